"""The journal pages: list and search, an entry, the form (new, edit), deleting; one-time tokens;
another person's entry is a 404 and the pages ask to log in."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from entraide.journal import services
from entraide.journal.models import JournalEntry

pytestmark = pytest.mark.django_db

LIST = "/journal/carnet/"
NEW = "/journal/carnet/nouveau/"


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def entry_of(owner, **values) -> JournalEntry:
    values.setdefault("day", date(2026, 3, 14))
    values.setdefault("body", "Une journée ordinaire.")
    return services.create_entry(owner, **values)


def urls_of(entry: JournalEntry) -> dict[str, str]:
    return {
        "entry": f"/journal/carnet/{entry.pk}/",
        "edit": f"/journal/carnet/{entry.pk}/modifier/",
        "delete": f"/journal/carnet/{entry.pk}/supprimer/",
    }


# --- who may see what ---------------------------------------------------------------------------


def test_entry_pages_open_for_their_owner(owner):
    entry = entry_of(owner, title="Mon titre")
    client = client_for(owner)
    for url in [LIST, NEW, *urls_of(entry).values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_entry_pages_are_a_404_for_someone_else(owner, stranger):
    entry = entry_of(owner, title="Secret de Camille")
    client = client_for(stranger)
    for url in urls_of(entry).values():
        assert client.get(url).status_code == 404, url
    assert client.post(urls_of(entry)["delete"]).status_code == 404
    edit = client.post(urls_of(entry)["edit"], {"day": "2026-03-14", "body": "changé"})
    assert edit.status_code == 404
    entry.refresh_from_db()
    assert entry.payload["body"] == "Une journée ordinaire."
    assert "Secret de Camille" not in client.get(LIST).content.decode()


def test_entry_pages_send_anonymous_visitors_to_log_in(owner):
    entry = entry_of(owner)
    client = client_for()
    for url in [LIST, NEW, *urls_of(entry).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url


def test_entry_unknown_id_is_a_404(owner):
    assert client_for(owner).get(f"/journal/carnet/{uuid.uuid4()}/").status_code == 404


# --- creating -----------------------------------------------------------------------------------


def test_entry_new_defaults_to_today_in_the_persons_zone(owner):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of the server
    owner.save(update_fields=["time_zone"])
    page = client_for(owner).get(NEW).content.decode()
    with timezone.override("Pacific/Kiritimati"):
        today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in page


def test_entry_new_saves_and_shows_the_entry(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    response = client.post(
        NEW,
        {
            "form_token": token,
            "day": "2026-03-14",
            "title": "Au parc",
            "body": "Une **belle** promenade.\n- soleil\n- calme",
            "mood": "7",
            "tags": "dehors, Famille , dehors",
        },
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(owner=owner)
    assert entry.day == date(2026, 3, 14)
    assert entry.payload == {
        "title": "Au parc",
        "body": "Une **belle** promenade.\n- soleil\n- calme",
        "mood": 7,
        "tags": ["dehors", "Famille"],
    }
    assert response["Location"] == urls_of(entry)["entry"]
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Au parc</h1>" in page
    assert "<strong>belle</strong>" in page
    assert "<li>soleil</li>" in page
    assert "7/10" in page
    assert "Famille" in page


def test_entry_new_twice_with_one_token_saves_once(owner):
    client = client_for(owner)
    data = {"form_token": token_of(client.get(NEW)), "day": "2026-03-14", "body": "Une seule fois."}
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert JournalEntry.objects.filter(owner=owner).count() == 1


def test_entry_new_errors_keep_every_value(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    long_title = "T" * 201
    response = client.post(
        NEW,
        {
            "form_token": token,
            "day": "2026-03-14",
            "title": long_title,
            "body": "Ce que j'ai écrit <avec> soin.",
            "mood": "4",
            "tags": "travail, repos",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Keep the title under 200 characters." in page
    assert long_title in page
    assert "Ce que j&#x27;ai écrit &lt;avec&gt; soin." in page
    assert re.search(r'value="4"[^>]*checked', page)
    assert "travail, repos" in page
    assert token_of(response) == token  # the same token: nothing was saved yet
    assert not JournalEntry.objects.filter(owner=owner).exists()


def test_entry_new_needs_a_title_or_a_text(owner):
    client = client_for(owner)
    response = client.post(
        NEW, {"form_token": token_of(client.get(NEW)), "day": "2026-03-14", "tags": "vide"}
    )
    assert response.status_code == 200
    assert "Write something, even a few words." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_entry_new_refuses_a_day_in_the_future(owner):
    client = client_for(owner)
    later = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(NEW, {"form_token": token_of(client.get(NEW)), "day": later, "body": "Demain"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose today or a past day." in page
    assert f'value="{later}"' in page
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_entry_new_refuses_a_day_out_of_range_with_a_field_error(owner, day):
    """Issue 18 item 2: core.dates' range, where the form parses the day."""
    client = client_for(owner)
    response = client.post(
        NEW, {"form_token": token_of(client.get(NEW)), "day": day, "body": "Il y a longtemps"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a date between 1900 and 2199." in page and f'value="{day}"' in page
    assert not JournalEntry.objects.exists()


def test_entry_new_with_another_accounts_token_saves_nothing(owner, stranger):
    stranger_token = token_of(client_for(stranger).get(NEW))
    response = client_for(owner).post(
        NEW, {"form_token": stranger_token, "day": "2026-03-14", "body": "Mien"}
    )
    assert response.status_code == 200
    assert "opened for another account" in response.content.decode()
    assert "Mien" in response.content.decode()
    assert not JournalEntry.objects.exists()


# --- editing and deleting -----------------------------------------------------------------------


def test_entry_edit_changes_the_entry(owner):
    entry = entry_of(owner, title="Avant", mood=3, tags=["a"])
    client = client_for(owner)
    url = urls_of(entry)["edit"]
    page = client.get(url)
    assert 'value="Avant"' in page.content.decode()
    response = client.post(
        url,
        {"form_token": token_of(page), "day": "2026-03-15", "title": "Après", "body": "Nouveau", "mood": "8"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.day == date(2026, 3, 15)
    assert entry.payload == {"title": "Après", "body": "Nouveau", "mood": 8, "tags": []}


def test_entry_edit_can_remove_the_mood_without_javascript(owner):
    entry = entry_of(owner, mood=3)
    client = client_for(owner)
    url = urls_of(entry)["edit"]
    page = client.get(url)
    assert 'name="no_mood"' in page.content.decode()
    data = {
        "form_token": token_of(page),
        "day": "2026-03-14",
        "body": "Sans humeur",
        "mood": "3",
        "no_mood": "on",
    }
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.payload["mood"] is None
    assert 'name="no_mood"' not in client.get(NEW).content.decode()  # nothing to remove on a new entry


def test_entry_edit_errors_keep_every_value(owner):
    entry = entry_of(owner)
    client = client_for(owner)
    url = urls_of(entry)["edit"]
    tags = ", ".join(f"mot{n}" for n in range(25))
    response = client.post(
        url,
        {"form_token": token_of(client.get(url)), "day": "2026-03-14", "body": "Texte gardé", "tags": tags},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "At most 20 tags." in page
    assert tags in page and "Texte gardé" in page
    entry.refresh_from_db()
    assert entry.payload["body"] == "Une journée ordinaire."


def test_entry_delete_asks_then_deletes_on_post(owner):
    entry = entry_of(owner, title="À effacer")
    client = client_for(owner)
    url = urls_of(entry)["delete"]
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "À effacer" in confirm.content.decode()
    assert JournalEntry.objects.filter(pk=entry.pk).exists()  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()


# --- the list and the search --------------------------------------------------------------------


def test_entry_list_shows_newest_first_with_title_or_first_words(owner):
    entry_of(owner, day=date(2026, 1, 1), title="Le plus ancien")
    entry_of(
        owner, day=date(2026, 2, 1), body="Sans titre mais avec des mots qui commencent une longue phrase"
    )
    entry_of(owner, day=date(2026, 3, 1), title="Le plus récent", mood=6, tags=["soleil"])
    page = client_for(owner).get(LIST).content.decode()
    newest, untitled, oldest = (
        page.index("Le plus récent"),
        page.index("Sans titre mais avec des mots qui commencent…"),
        page.index("Le plus ancien"),
    )
    assert newest < untitled < oldest
    assert "mood 6/10" in page
    assert "soleil" in page


def test_entry_list_search_ignores_case_and_accents(owner):
    entry_of(owner, title="Été au lac")
    entry_of(owner, title="Hiver", body="Froid")
    entry_of(owner, title="Sans", tags=["ÉTÉ indien"])
    response = client_for(owner).get(LIST, {"q": "ete"})
    page = response.content.decode()
    assert "Été au lac" in page
    assert "Sans" in page  # found by its tag
    assert "Hiver" not in page
    assert "2 entries found" in page
    assert 'value="ete"' in page


def test_entry_list_search_finding_nothing_says_so(owner):
    entry_of(owner, title="Printemps")
    page = client_for(owner).get(LIST, {"q": "automne"}).content.decode()
    assert "No entry holds all these words" in page
    assert "Printemps" not in page


def test_entry_list_paginates_by_25_and_keeps_the_search(owner):
    for n in range(30):
        entry_of(owner, day=date(2026, 1, 1) + timedelta(days=n), title=f"Été {n:02d}")
    client = client_for(owner)
    first = client.get(LIST, {"q": "ete"}).content.decode()
    assert first.count('class="card"') == 25
    assert "?q=ete&amp;page=2" in first
    assert "Été 29" in first and "Été 04" not in first
    second = client.get(LIST, {"q": "ete", "page": "2"}).content.decode()
    assert second.count('class="card"') == 5
    assert "Été 04" in second and "Été 00" in second
    plain = client.get(LIST).content.decode()
    assert plain.count('class="card"') == 25
    assert "?page=2" in plain


# Session, person, instance settings (freshness check and row), the count, one page of rows,
# the person's key: decrypting happens in memory.
LIST_QUERIES = 6


@pytest.mark.parametrize("count", [3, 40])
def test_entry_list_query_count_does_not_grow_with_entries(owner, count, django_assert_num_queries):
    """Session, person, their key, the count, one page of rows: decrypting happens in memory."""
    for n in range(count):
        entry_of(owner, day=date(2026, 1, 1) + timedelta(days=n), title=f"Entrée {n}", tags=["a", "b"])
    client = client_for(owner)
    client.get(LIST)  # the first page of a session also reads and caches what every page needs
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert response.content.decode().count('class="card"') == min(count, 25)
    with django_assert_num_queries(LIST_QUERIES - 1):  # a search loads every row in one query, no count
        client.get(LIST, {"q": "entree"})


# --- a form typed while the session expired -----------------------------------------------------


def test_entry_new_typed_after_the_session_expired_comes_back_after_login(owner):
    from django.contrib.sessions.models import Session

    from conftest import PASSWORD

    client = client_for(owner)
    token = token_of(client.get(NEW))
    Session.objects.all().delete()  # the session expired on the server
    text = "Un long texte écrit avant que la session ne se termine."
    response = client.post(NEW, {"form_token": token, "day": "2026-03-14", "body": text, "mood": "3"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('account_login')}?next={NEW}")
    assert not JournalEntry.objects.exists()
    assert (
        client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD}).status_code == 302
    )
    page = client.get(NEW)
    body = page.content.decode()
    assert text in body
    assert 'value="2026-03-14"' in body
    assert re.search(r'value="3"[^>]*checked', body)
    assert not JournalEntry.objects.exists()  # shown again, never saved on its own
    assert (
        client.post(NEW, {"form_token": token_of(page), "day": "2026-03-14", "body": text}).status_code == 302
    )
    assert JournalEntry.objects.get(owner=owner).payload["body"] == text


def test_entry_new_drops_nul_characters_as_the_api_does(owner):
    """Issue 18 item 10: one normalisation for forms and the API (core.text): a NUL is dropped,
    not refused with Django's "Null characters are not allowed."."""
    client = client_for(owner)
    data = {
        "form_token": token_of(client.get(NEW)),
        "day": "2026-03-14",
        "title": "Ti\x00tre",
        "body": "x\x00y",
    }
    assert client.post(NEW, data).status_code == 302
    entry = JournalEntry.objects.get()
    assert (entry.payload["title"], entry.payload["body"]) == ("Titre", "xy")
