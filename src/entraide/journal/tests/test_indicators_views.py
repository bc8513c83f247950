"""The indicator pages: the list in the person's order, creating and changing one, moving it up or
down (with and without htmx), archiving and restoring it, the limit of 50; another person's
indicator is a 404 and the pages ask to log in."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db.models import F
from django.urls import reverse

from conftest import client_for
from entraide.journal import services
from entraide.journal.models import Indicator, IndicatorKind

pytestmark = pytest.mark.django_db

LIST = "/journal/indicateurs/"
NEW = "/journal/indicateurs/nouveau/"


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def indicator_of(owner, name="Douleur", kind=IndicatorKind.SCALE, **values) -> Indicator:
    return services.create_indicator(owner, name=name, kind=kind, **values)


def urls_of(indicator: Indicator) -> dict[str, str]:
    return {
        "edit": f"/journal/indicateurs/{indicator.pk}/",
        "move": f"/journal/indicateurs/{indicator.pk}/deplacer/",
        "archive": f"/journal/indicateurs/{indicator.pk}/archiver/",
    }


def names_in_order(owner) -> list[str]:
    return [i.name for i in services.active_indicators(owner)]


# --- who may see what ---------------------------------------------------------------------------


def test_indicator_pages_open_for_their_owner(owner):
    indicator = indicator_of(owner)
    client = client_for(owner)
    for url in (LIST, NEW, urls_of(indicator)["edit"]):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_indicator_pages_are_a_404_for_someone_else(owner, stranger):
    indicator = indicator_of(owner, name="Secret de Camille")
    second = indicator_of(owner, name="Autre")
    client = client_for(stranger)
    urls = urls_of(indicator)
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["edit"], {"name": "Volé"}).status_code == 404
    assert client.post(urls["move"], {"direction": "down"}).status_code == 404
    assert client.post(urls["archive"], {"action": "archive"}).status_code == 404
    assert client.get(urls["move"]).status_code == 404
    indicator.refresh_from_db()
    assert indicator.name == "Secret de Camille"
    assert indicator.archived_at is None
    assert names_in_order(owner) == ["Secret de Camille", second.name]
    assert "Secret de Camille" not in client.get(LIST).content.decode()


def test_indicator_pages_send_anonymous_visitors_to_log_in(owner):
    indicator = indicator_of(owner)
    client = client_for()
    login = reverse("account_login")
    for url in (LIST, NEW, *urls_of(indicator).values()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url
    response = client.post(urls_of(indicator)["archive"], {"action": "archive"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.archived_at is None


def test_indicator_unknown_id_is_a_404(owner):
    assert client_for(owner).get(f"/journal/indicateurs/{uuid.uuid4()}/").status_code == 404


# --- creating -----------------------------------------------------------------------------------


def test_indicator_new_explains_each_kind(owner):
    page = client_for(owner).get(NEW).content.decode()
    for kind in IndicatorKind:
        assert f'value="{kind.value}"' in page
    assert "A value from 0 to 10" in page
    assert "Only for a number" in page  # the unit says when it counts


def test_indicator_new_creates_a_number_with_its_unit(owner):
    client = client_for(owner)
    response = client.post(
        NEW, {"form_token": token_of(client.get(NEW)), "name": " Eau ", "kind": "number", "unit": "verres"}
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(owner=owner)
    assert response["Location"] == f"{LIST}#indicateur-{indicator.pk}"
    assert (indicator.kind, indicator.name, indicator.unit) == ("number", "Eau", "verres")
    page = client.get(LIST).content.decode()
    assert "Eau" in page and "verres" in page


def test_indicator_new_creates_a_choice_list_one_option_per_line(owner):
    client = client_for(owner)
    data = {
        "form_token": token_of(client.get(NEW)),
        "name": "Lieu",
        "kind": "choice",
        "choices": "Maison\r\n\r\nTravail\r\nDehors",
    }
    assert client.post(NEW, data).status_code == 302
    assert Indicator.objects.get(owner=owner).choices == ["Maison", "Travail", "Dehors"]


def test_indicator_new_twice_with_one_token_creates_one(owner):
    client = client_for(owner)
    data = {"form_token": token_of(client.get(NEW)), "name": "Marche", "kind": "yes_no"}
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Indicator.objects.filter(owner=owner).count() == 1


def test_indicator_new_errors_keep_every_value(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    response = client.post(
        NEW, {"form_token": token, "name": "Mon humeur du soir", "kind": "choice", "choices": "Seule option"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Give at least two options, one per line." in page
    assert 'value="Mon humeur du soir"' in page
    assert "Seule option</textarea>" in page
    assert re.search(r'value="choice"[^>]*checked', page)
    assert token_of(response) == token
    assert not Indicator.objects.exists()


def test_indicator_new_without_name_or_kind_says_what_to_fix(owner):
    client = client_for(owner)
    response = client.post(NEW, {"form_token": token_of(client.get(NEW)), "name": "", "unit": "km"})
    page = response.content.decode()
    assert "Give it a name." in page
    assert "Choose a kind from the list." in page
    assert 'value="km"' in page


def test_indicator_new_name_too_long_comes_back_from_the_service(owner):
    client = client_for(owner)
    name = "N" * 61
    response = client.post(NEW, {"form_token": token_of(client.get(NEW)), "name": name, "kind": "scale"})
    page = response.content.decode()
    assert "Keep the name under 60 characters." in page
    assert f'value="{name}"' in page


# --- the limit of 50 ----------------------------------------------------------------------------


def fill_to_the_limit(owner) -> None:
    Indicator.objects.bulk_create(
        Indicator(owner=owner, kind="scale", position=n, payload={"name": f"Indicateur {n:02d}"})
        for n in range(1, services.MAX_ACTIVE_INDICATORS + 1)
    )


def test_indicator_list_counts_what_is_used_of_the_50(owner):
    indicator_of(owner)
    indicator_of(owner, name="Marche")
    page = client_for(owner).get(LIST).content.decode()
    assert "You follow 2 indicators out of 50 possible." in page
    assert NEW in page


def test_indicator_limit_replaces_the_create_button_with_an_explanation(owner):
    fill_to_the_limit(owner)
    client = client_for(owner)
    page = client.get(LIST).content.decode()
    assert "You follow 50 indicators out of 50 possible." in page
    assert "the most there can be at once" in page
    assert f'href="{NEW}"' not in page
    new_page = client.get(NEW).content.decode()
    assert "the most there can be at once" in new_page
    assert 'name="name"' not in new_page


def test_indicator_limit_refuses_a_51st_kindly_and_keeps_the_values(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    fill_to_the_limit(owner)  # reached in another tab meanwhile
    response = client.post(NEW, {"form_token": token, "name": "Cinquante et un", "kind": "scale"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "the most there can be at once" in page
    assert 'value="Cinquante et un"' in page
    assert Indicator.objects.filter(owner=owner).count() == services.MAX_ACTIVE_INDICATORS


def test_indicator_restore_at_the_limit_explains_and_keeps_it_archived(owner):
    archived = indicator_of(owner, name="Ancien")
    services.archive_indicator(archived)
    fill_to_the_limit(owner)
    client = client_for(owner)
    response = client.post(urls_of(archived)["archive"], {"action": "restore"}, follow=True)
    assert "the most there can be at once" in response.content.decode()
    archived.refresh_from_db()
    assert archived.archived_at is not None


# --- changing -----------------------------------------------------------------------------------


def test_indicator_edit_renames_and_keeps_the_kind(owner):
    indicator = indicator_of(owner, name="Eau", kind=IndicatorKind.NUMBER, unit="verres")
    client = client_for(owner)
    url = urls_of(indicator)["edit"]
    page = client.get(url)
    content = page.content.decode()
    assert 'name="kind"' not in content
    assert "Its kind stays" in content
    assert 'value="verres"' in content
    assert 'name="choices"' not in content  # not a choice list
    response = client.post(
        url, {"form_token": token_of(page), "name": "Eau bue", "unit": "litres", "kind": "text"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.kind) == ("Eau bue", "litres", "number")


def test_indicator_edit_of_a_choice_list_changes_its_options(owner):
    indicator = indicator_of(owner, name="Lieu", kind=IndicatorKind.CHOICE, choices=["Maison", "Travail"])
    client = client_for(owner)
    url = urls_of(indicator)["edit"]
    page = client.get(url)
    assert "Maison\nTravail</textarea>" in page.content.decode()
    assert 'name="unit"' not in page.content.decode()
    client.post(url, {"form_token": token_of(page), "name": "Lieu", "choices": "Maison\nDehors\nAilleurs"})
    indicator.refresh_from_db()
    assert indicator.choices == ["Maison", "Dehors", "Ailleurs"]


def test_indicator_edit_errors_keep_every_value(owner):
    indicator = indicator_of(owner, name="Lieu", kind=IndicatorKind.CHOICE, choices=["Maison", "Travail"])
    client = client_for(owner)
    url = urls_of(indicator)["edit"]
    response = client.post(
        url, {"form_token": token_of(client.get(url)), "name": "Endroit", "choices": "Partout"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give at least two options, one per line." in page
    assert 'value="Endroit"' in page and "Partout</textarea>" in page
    indicator.refresh_from_db()
    assert indicator.name == "Lieu"


# --- order --------------------------------------------------------------------------------------


def test_indicator_list_shows_the_persons_order_with_move_buttons_where_they_make_sense(owner):
    first, middle, last = (indicator_of(owner, name=n) for n in ("Premier", "Milieu", "Dernier"))
    page = client_for(owner).get(LIST).content.decode()
    assert page.index("Premier") < page.index("Milieu") < page.index("Dernier")
    assert f'id="monter-{first.pk}"' not in page and f'id="descendre-{first.pk}"' in page
    assert f'id="monter-{middle.pk}"' in page and f'id="descendre-{middle.pk}"' in page
    assert f'id="monter-{last.pk}"' in page and f'id="descendre-{last.pk}"' not in page


def test_indicator_move_up_and_down_without_javascript(owner):
    first, second, third = (indicator_of(owner, name=n) for n in ("Un", "Deux", "Trois"))
    client = client_for(owner)
    response = client.post(urls_of(third)["move"], {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#indicateur-{third.pk}"
    assert names_in_order(owner) == ["Un", "Trois", "Deux"]
    client.post(urls_of(first)["move"], {"direction": "down"})
    assert names_in_order(owner) == ["Trois", "Un", "Deux"]
    client.post(urls_of(third)["move"], {"direction": "up"})  # already first: stays
    client.post(urls_of(second)["move"], {"direction": "sideways"})  # not a direction: nothing
    assert names_in_order(owner) == ["Trois", "Un", "Deux"]


def test_indicator_move_with_htmx_returns_the_list_alone(owner):
    indicator_of(owner, name="Un")
    second = indicator_of(owner, name="Deux")
    response = client_for(owner).post(urls_of(second)["move"], {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="indicator-list">')
    assert "<h1" not in page and "<html" not in page
    assert page.index("Deux") < page.index("Un")
    assert 'hx-post="' in page and 'name="csrfmiddlewaretoken"' in page


def test_indicator_move_and_archive_change_nothing_on_get(owner):
    first = indicator_of(owner, name="Un")
    indicator_of(owner, name="Deux")
    client = client_for(owner)
    for url in (urls_of(first)["move"], urls_of(first)["archive"]):
        response = client.get(url, {"direction": "down", "action": "archive"})
        assert response.status_code == 302
        assert response["Location"] == f"{LIST}#indicateur-{first.pk}"
    first.refresh_from_db()
    assert first.archived_at is None
    assert names_in_order(owner) == ["Un", "Deux"]


# --- archiving ----------------------------------------------------------------------------------


def test_indicator_archive_then_restore(owner):
    indicator = indicator_of(owner, name="Sommeil agité")
    indicator_of(owner, name="Marche")
    client = client_for(owner)
    response = client.post(urls_of(indicator)["archive"], {"action": "archive"}, follow=True)
    page = response.content.decode()
    indicator.refresh_from_db()
    assert indicator.archived_at is not None
    assert names_in_order(owner) == ["Marche"]
    assert "its past values stay" in page
    archived_part = page[page.index('id="archived-title"') :]
    assert "Sommeil agité" in archived_part
    assert 'value="restore"' in archived_part
    assert "You follow 1 indicator out of 50 possible." in page

    client.post(urls_of(indicator)["archive"], {"action": "restore"})
    indicator.refresh_from_db()
    assert indicator.archived_at is None
    assert names_in_order(owner) == ["Sommeil agité", "Marche"]  # back at its place


def test_indicator_list_says_archiving_keeps_past_values(owner):
    page = client_for(owner).get(LIST).content.decode()
    assert "keeps all its past values" in page


def test_indicator_list_query_count_does_not_grow_with_indicators(owner, django_assert_num_queries):
    indicator_of(owner, name="Premier")
    client = client_for(owner)
    client.get(LIST)  # the first page of a session also reads and caches what every page needs
    # Session, person, instance settings (freshness check), every indicator in one query, the key.
    with django_assert_num_queries(5):
        client.get(LIST)
    for n in range(30):
        indicator = indicator_of(owner, name=f"Indicateur {n}", kind=IndicatorKind.NUMBER, unit="u")
        if n % 3 == 0:
            services.archive_indicator(indicator)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.content.decode().count('class="card indicator"') == 31


def test_indicator_new_typed_after_the_session_expired_comes_back_after_login(owner):
    from django.contrib.sessions.models import Session

    from conftest import PASSWORD

    client = client_for(owner)
    token = token_of(client.get(NEW))
    Session.objects.all().delete()  # the session expired on the server
    response = client.post(
        NEW, {"form_token": token, "name": "Lieu", "kind": "choice", "choices": "Ici\nLà-bas"}
    )
    assert response.status_code == 302
    assert not Indicator.objects.exists()
    assert (
        client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD}).status_code == 302
    )
    body = client.get(NEW).content.decode()
    assert 'value="Lieu"' in body
    assert "Ici\nLà-bas</textarea>" in body
    assert re.search(r'value="choice"[^>]*checked', body)
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_indicators_of_lists_as_the_orm_orders_them_and_only_the_owners(owner, stranger):
    from entraide.journal.access import filter_indicators_of, indicators_of

    made = [services.create_indicator(owner, name=f"n{i}", kind="scale") for i in range(4)]
    services.create_indicator(stranger, name="someone else's", kind="scale")
    services.archive_indicator(made[1])
    # Active ones first in their order, then the archived: the same on SQLite and PostgreSQL
    # (which put NULLs at opposite ends unless told).
    expected = list(
        filter_indicators_of(owner).order_by(F("archived_at").asc(nulls_first=True), "position", "created_at")
    )
    found = indicators_of(owner)
    assert [i.pk for i in found] == [i.pk for i in expected] and len(found) == 4
    assert found[-1].pk == made[1].pk
    assert [i.name for i in found] == [i.name for i in expected]  # decrypted as the ORM's rows
