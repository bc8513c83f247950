""" "Ce qui m'aide" pages: the list (most helpful first, or by name), ideas picked in one click,
a strategy with its uses, the forms (strategy, "I used it"); tokens, 404s and logging in."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from entraide.goals.access import get_strategy_of
from entraide.goals.models import CopingStrategy, StrategyUse
from entraide.goals.tests.factories import make_strategy, make_use, token_of
from entraide.goals.values import STARTERS_BY_KEY

pytestmark = pytest.mark.django_db

LIST = "/objectifs/ce-qui-m-aide/"
NEW = "/objectifs/ce-qui-m-aide/nouvelle/"
IDEAS = "/objectifs/ce-qui-m-aide/idees/"


def urls_of(strategy: CopingStrategy) -> dict[str, str]:
    base = f"/objectifs/ce-qui-m-aide/{strategy.pk}/"
    return {
        "strategy": base,
        "edit": f"{base}modifier/",
        "delete": f"{base}supprimer/",
        "use": f"{base}utilisee/",
    }


def use_urls(use: StrategyUse) -> dict[str, str]:
    base = f"/objectifs/ce-qui-m-aide/{use.strategy_id}/utilisations/{use.pk}/"
    return {"edit": base, "delete": f"{base}supprimer/"}


def test_strategy_pages_open_for_their_owner_with_one_h1(owner):
    strategy = make_strategy(owner)
    use = make_use(strategy, note="Calme")
    client = client_for(owner)
    for url in [LIST, NEW, IDEAS, f"{LIST}?tri=nom", *urls_of(strategy).values(), *use_urls(use).values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_strategy_pages_are_a_404_for_someone_else(owner, stranger):
    strategy = make_strategy(owner, name="Secret de Camille")
    use = make_use(strategy, note="Note secrète")
    client = client_for(stranger)
    for url in [*urls_of(strategy).values(), *use_urls(use).values()]:
        assert client.get(url).status_code == 404, url
        if url != urls_of(strategy)["strategy"]:  # the strategy's page only reads
            posted = client.post(url, {"name": "x", "category": "body", "day": "2026-03-01"})
            assert posted.status_code == 404, url
    assert get_strategy_of(owner, strategy.pk).name == "Secret de Camille"
    assert StrategyUse.objects.count() == 1
    assert "Secret de Camille" not in client.get(LIST).content.decode()


def test_a_use_of_another_strategy_is_a_404(owner):
    one, other = make_strategy(owner), make_strategy(owner, name="Autre")
    use = make_use(one)
    assert (
        client_for(owner).get(f"/objectifs/ce-qui-m-aide/{other.pk}/utilisations/{use.pk}/").status_code
        == 404
    )


def test_strategy_pages_send_anonymous_visitors_to_log_in(owner):
    strategy = make_strategy(owner)
    use = make_use(strategy)
    client = client_for()
    for url in [LIST, NEW, IDEAS, *urls_of(strategy).values(), *use_urls(use).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url
    assert client.post(IDEAS, {"idea": "walk"}).status_code == 302
    assert not CopingStrategy.objects.filter(payload__isnull=False).exclude(pk=strategy.pk).exists()


def test_strategy_new_once_per_token_and_errors_keep_values(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    refused = client.post(
        NEW, {"form_token": token, "name": "x" * 101, "category": "mind", "note": "Ma note"}
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Keep the name under 100 characters." in page and "Ma note" in page
    assert re.search(r'value="mind"[^>]*checked', page)
    data = {"form_token": token, "name": "Chanter", "category": "creativity", "note": ""}
    first, second = client.post(NEW, data), client.post(NEW, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert [s.name for s in CopingStrategy.objects.filter(owner=owner)] == ["Chanter"]


def test_picking_an_idea_is_one_click_and_only_once(owner):
    client = client_for(owner)
    page = client.get(IDEAS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('name="idea"') >= 18
    assert "Grounding 5-4-3-2-1" in page
    response = client.post(IDEAS, {"idea": "grounding"})
    assert response.status_code == 302 and response["Location"] == f"{IDEAS}#idee-grounding"
    client.post(IDEAS, {"idea": "grounding"})
    rows = list(CopingStrategy.objects.filter(owner=owner))
    assert len(rows) == 1 and rows[0].name == "Grounding 5-4-3-2-1" and rows[0].category == "mind"
    page = client.get(IDEAS).content.decode()
    assert 'value="grounding"' not in page and "In your list" in page
    assert client.post(IDEAS, {"idea": "nope"}).status_code == 302
    assert CopingStrategy.objects.count() == 1


def test_ideas_come_in_french_for_a_french_reader(owner):
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.post(IDEAS, {"idea": "breathing"})
    with translation.override("fr"):
        french = str(STARTERS_BY_KEY["breathing"].name)
    assert CopingStrategy.objects.get().name == french


def test_i_used_it_records_the_day_and_how_much_it_helped(owner):
    strategy = make_strategy(owner, name="Musique")
    client = client_for(owner)
    url = urls_of(strategy)["use"]
    page = client.get(url)
    assert "How much did it help?" in page.content.decode()
    data = {"form_token": token_of(page), "day": "2026-03-14", "helped": "3", "note": "Un peu mieux"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    use = StrategyUse.objects.get()
    assert first["Location"] == f"{urls_of(strategy)['strategy']}#utilisation-{use.pk}"
    assert (use.day, use.helped, use.note) == (date(2026, 3, 14), 3, "Un peu mieux")
    detail = client.get(urls_of(strategy)["strategy"]).content.decode()
    assert "Used once" in detail and "helped 3 out of 4 on average" in detail
    assert "Un peu mieux" in detail


def test_i_used_it_errors_keep_values(owner):
    strategy = make_strategy(owner)
    client = client_for(owner)
    url = urls_of(strategy)["use"]
    response = client.post(
        url, {"form_token": token_of(client.get(url)), "day": "2199-01-01", "helped": "2", "note": "Gardé"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose today or a past day." in page and "Gardé" in page
    assert re.search(r'value="2"[^>]*checked', page)
    assert not StrategyUse.objects.exists()


def test_use_edit_can_remove_the_rating_and_delete_asks_first(owner):
    strategy = make_strategy(owner)
    use = make_use(strategy, helped=1)
    client = client_for(owner)
    page = client.get(use_urls(use)["edit"])
    assert 'name="no_rating"' in page.content.decode()
    response = client.post(
        use_urls(use)["edit"],
        {"form_token": token_of(page), "day": "2026-03-14", "helped": "1", "no_rating": "on", "note": ""},
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.helped is None
    assert get_strategy_of(owner, strategy.pk).mean_help is None
    assert client.get(use_urls(use)["delete"]).status_code == 200
    assert StrategyUse.objects.exists()
    assert client.post(use_urls(use)["delete"]).status_code == 302
    assert not StrategyUse.objects.exists()
    assert get_strategy_of(owner, strategy.pk).uses == 0


def test_strategy_edit_and_delete(owner):
    strategy = make_strategy(owner, name="Avant")
    make_use(strategy)
    client = client_for(owner)
    page = client.get(urls_of(strategy)["edit"])
    response = client.post(
        urls_of(strategy)["edit"],
        {"form_token": token_of(page), "name": "Après", "category": "rest", "note": "n"},
    )
    assert response.status_code == 302
    row = get_strategy_of(owner, strategy.pk)
    assert (row.name, row.category, row.note, row.uses) == ("Après", "rest", "n", 1)
    assert "one use you noted" in client.get(urls_of(strategy)["delete"]).content.decode()
    assert client.post(urls_of(strategy)["delete"])["Location"] == LIST
    assert not CopingStrategy.objects.exists() and not StrategyUse.objects.exists()


def test_strategy_list_most_helpful_first_or_by_name(owner):
    low, high = make_strategy(owner, name="Bain"), make_strategy(owner, name="Appeler Léa")
    make_use(low, helped=1)
    make_use(high, helped=4)
    make_use(high, helped=3)
    client = client_for(owner)
    page = client.get(LIST).content.decode()
    assert page.index("Appeler Léa") < page.index("Bain")
    assert "helped 3.5 out of 4 on average" in page
    assert '<meter class="help-bar" min="0" max="4" value="3.5"' in page
    french = client_for(owner)
    french.cookies["django_language"] = "fr"
    assert 'value="3.5"' in french.get(LIST).content.decode()  # an attribute: never "3,5"
    by_name = client.get(LIST, {"tri": "nom"}).content.decode()
    assert by_name.index("Appeler Léa") < by_name.index("Bain")


@pytest.mark.parametrize("count", [3, 40])
def test_strategy_list_query_count_does_not_grow(owner, count, django_assert_num_queries):
    for n in range(count):
        make_use(make_strategy(owner, name=f"Stratégie {n:02d}"), helped=n % 5)
    client = client_for(owner)
    client.get(LIST)
    with django_assert_num_queries(5):  # session, person, settings, every strategy, the key
        response = client.get(LIST, {"tri": "nom"})
    page = response.content.decode()
    assert page.count('class="card"') == min(count, 25)
    if count > 25:
        assert "?tri=nom&amp;page=2" in page


def test_strategy_detail_query_count_does_not_grow_with_uses(owner, django_assert_num_queries):
    strategy = make_strategy(owner)
    for day in range(1, 29):
        make_use(strategy, day=date(2026, 2, day))
    client = client_for(owner)
    url = urls_of(strategy)["strategy"]
    client.get(url)
    with django_assert_num_queries(7):  # session, person, settings, strategy, count, page, key
        assert client.get(url).content.decode().count('class="card"') == 25


def test_unknown_strategy_is_a_404(owner):
    assert client_for(owner).get(f"{LIST}{uuid.uuid4()}/").status_code == 404
