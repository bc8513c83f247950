"""/api/v1/entries: the owner's journal entries, Markdown in, safe HTML out."""

from __future__ import annotations

from datetime import date

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.journal import services
from entraide.journal.access import filter_entries_of
from entraide.journal.models import JournalEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/entries"


def test_list_entries_newest_first_with_rendered_html(owner_api, journal_of, stranger):
    services.create_entry(stranger, day=journal_of["entries"][0].day, body="pas à Camille")
    body = owner_api.get(URL).json()
    assert body["count"] == 2
    latest = body["items"][0]
    assert latest["day"] == "2026-11-02"
    assert latest["body"] == "Marché **au soleil**"
    assert latest["html"] == "<p>Marché <strong>au soleil</strong></p>"
    assert latest["tags"] == ["dehors"]


def test_list_entries_filters_by_day_and_words(owner_api, journal_of):
    assert owner_api.get(URL, {"from": "2026-11-02"}).json()["count"] == 1
    assert owner_api.get(URL, {"to": "2026-11-01"}).json()["items"][0]["title"] == "Premier jour"
    found = owner_api.get(URL, {"q": "marche SOLEIL"}).json()  # case and accents aside
    assert [e["day"] for e in found["items"]] == ["2026-11-02"]
    assert owner_api.get(URL, {"q": "calme", "from": "2026-11-02"}).json()["count"] == 0
    page = owner_api.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and page["items"][0]["day"] == "2026-11-01"


def test_list_entries_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    for day in range(1, 20):
        services.create_entry(owner, day=date(2026, 10, day), body=f"Jour {day}")
    owner_api.get(URL)
    with django_assert_num_queries(
        8
    ):  # the token, settings, consents, roles, circle grants, the count, the page, the data key
        assert len(owner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["items"]) == 19


def test_create_read_update_delete_an_entry(owner_api, owner):
    response = json_post(owner_api, URL, {"day": "2026-11-05", "body": "<script>x</script> *ok*", "mood": 5})
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["html"] == "<p>&lt;script&gt;x&lt;/script&gt; <em>ok</em></p>"
    url = f"{URL}/{entry['id']}"
    assert owner_api.get(url).json()["mood"] == 5

    response = json_put(owner_api, url, {"day": "2026-11-04", "title": "Autre titre"})
    assert response.status_code == 200, response.content
    assert response.json()["body"] == "" and response.json()["mood"] is None  # replaced
    assert filter_entries_of(owner).get(pk=entry["id"]).day.isoformat() == "2026-11-04"

    assert owner_api.delete(url).status_code == 204
    assert not JournalEntry.objects.filter(pk=entry["id"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": "2026-11-05"}, "body"),  # nothing written
        ({"day": "1850-01-01", "body": "Trop tôt"}, "day"),
        ({"day": "2026-11-05", "body": "x" * 50_001}, "body"),
        ({"day": "2026-11-05", "body": "ok", "mood": -1}, "mood"),
        ({"day": "2026-11-05", "body": "ok", "tags": ["x" * 41]}, "tags.0"),
    ],
)
def test_create_entry_explains_what_is_wrong_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_search_query_has_a_length_limit(owner_api):
    assert owner_api.get(URL, {"q": "x" * 201}).status_code == 422


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_persons_entry_is_a_404(stranger_api, journal_of, method):
    entry = journal_of["entries"][0]
    url = f"{URL}/{entry.pk}"
    if method == "put":
        response = json_put(stranger_api, url, {"day": "2026-11-01", "body": "Pris"})
    else:
        response = getattr(stranger_api, method)(url)
    assert response.status_code == 404
    assert JournalEntry.objects.get(pk=entry.pk).payload["title"] == "Premier jour"


def test_stranger_lists_and_searches_only_their_own(stranger_api, journal_of):
    assert stranger_api.get(URL).json()["count"] == 0
    assert stranger_api.get(URL, {"q": "calme"}).json()["count"] == 0


def test_read_token_cannot_write_entries(reader_api, journal_of):
    entry = journal_of["entries"][0]
    assert reader_api.get(f"{URL}/{entry.pk}").status_code == 200
    assert json_post(reader_api, URL, {"day": "2026-11-05", "body": "non"}).status_code == 403
    assert json_put(reader_api, f"{URL}/{entry.pk}", {"day": "2026-11-05", "body": "non"}).status_code == 403
    assert reader_api.delete(f"{URL}/{entry.pk}").status_code == 403
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_nul_characters_are_dropped_from_every_text(owner_api, owner):
    """Issue 18 item 10: a NUL was stored in a journal entry's title."""
    body = {"day": "2026-11-05", "title": "Ti\u0000tre", "body": "Te\u0000xte", "tags": ["d\u0000ehors"]}
    response = json_post(owner_api, URL, body)
    assert response.status_code == 201, response.content
    entry = JournalEntry.objects.get()
    assert (entry.payload["title"], entry.payload["body"], entry.payload["tags"]) == (
        "Titre",
        "Texte",
        ["dehors"],
    )
    assert "\x00" not in owner_api.get(URL, {"q": "Ti\x00tre"}).content.decode()
