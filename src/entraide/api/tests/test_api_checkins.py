"""/api/v1/checkins: the owner's check-ins only, through the journal's services."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from entraide.api.tests.conftest import api_client, json_post, json_put
from entraide.journal.access import filter_checkins_of
from entraide.journal.models import Checkin

pytestmark = pytest.mark.django_db
URL = "/api/v1/checkins"


def test_list_checkins_gives_the_owners_newest_first_with_a_count(owner_api, journal_of, stranger):
    from entraide.journal import services

    services.record_checkin(stranger, moment=journal_of["checkins"][0].moment, values={"mood": 1})
    response = owner_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [c["local_date"] for c in body["items"]] == ["2026-11-03", "2026-11-02", "2026-11-01"]
    latest = body["items"][0]
    assert latest["anxiety"] == 3 and latest["sleep_minutes"] == 450 and latest["mood"] is None
    assert latest["time_zone"] == "Europe/Paris"
    assert body["items"][1]["note"] == "Une bonne journée"


def test_list_checkins_filters_by_local_date_and_paginates(owner_api, journal_of):
    body = owner_api.get(URL, {"from": "2026-11-02", "to": "2026-11-03"}).json()
    assert body["count"] == 2
    assert {c["local_date"] for c in body["items"]} == {"2026-11-02", "2026-11-03"}

    first = owner_api.get(URL, {"limit": 2}).json()
    second = owner_api.get(URL, {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["items"][0]["local_date"] == "2026-11-01"


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"from": "hier"}, {"to": "2026-13-01"}]
)
def test_list_checkins_refuses_bad_filters_with_422(owner_api, query):
    response = owner_api.get(URL, query)
    assert response.status_code == 422
    field = next(iter(query))
    assert response.json()["detail"][0]["field"] == field


def test_list_checkins_makes_a_fixed_number_of_queries(
    owner_api, journal_of, owner, django_assert_num_queries
):
    from entraide.journal import services

    for day in range(4, 20):
        services.record_checkin(
            owner, moment=journal_of["checkins"][0].moment.replace(day=day), values={"mood": 5}
        )
    owner_api.get(URL)  # the token's last use is written at most once a minute: not again below
    # The token and its owner, the count, the page, the data key; with a language asked for, the
    # instance's default language is not looked up.
    with django_assert_num_queries(
        8
    ):  # + the instance settings and the consents, roles, circle grants, checked per request
        assert len(owner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["items"]) == 19


def test_create_checkin_records_it_through_the_service(owner_api, owner, journal_of):
    sleep = journal_of["indicators"][0]
    response = json_post(
        owner_api,
        URL,
        {
            "moment": "2026-11-10T23:30:00+01:00",
            "mood": 6,
            "emotions": ["joy", "calm"],
            "own_emotions": ["apaisée"],
            "tags": ["travail", "Travail"],
            "sleep_bed": "23:00",
            "sleep_wake": "06:30",
            "indicators": {str(sleep.pk): 7},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["local_date"] == "2026-11-10"
    assert body["emotions"] == ["joy", "calm"]
    assert body["tags"] == ["travail"]
    assert body["sleep_minutes"] == 450
    assert body["indicators"] == {str(sleep.pk): 7}
    stored = filter_checkins_of(owner).get(pk=body["id"])
    assert stored.payload["mood"] == 6


def test_create_checkin_explains_invalid_values_with_422(owner_api, journal_of):
    walk = journal_of["indicators"][1]
    response = json_post(
        owner_api,
        URL,
        {
            "moment": "2199-01-01T10:00:00+00:00",
            "sleep_bed": "23:00",
            "indicators": {str(walk.pk): "beaucoup"},
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert set(fields) == {"moment"}  # the moment is checked first, by itself
    response = json_post(
        owner_api,
        URL,
        {
            "moment": "2026-11-10T10:00:00+00:00",
            "sleep_bed": "23:00",
            "indicators": {str(walk.pk): "beaucoup"},
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert fields == {
        "sleep_wake": "Give both the time you went to bed and the time you woke up (hh:mm).",
        f"indicator_{walk.pk}": "Write a number, like 2 or 7.5.",
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_validation_messages_follow_accept_language(owner_api, language):
    response = json_post(
        owner_api, URL, {"moment": "2199-01-01T10:00:00+00:00"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 422
    with translation.override(language):
        expected = pgettext("check-in values", "This moment is in the future: choose today or a past day.")
    assert response.json()["detail"] == [{"field": "moment", "message": expected}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": 5}, "moment"),
        ({"moment": "2026-11-10T10:00:00"}, "moment"),  # no offset: ambiguous
        ({"moment": "2026-11-10T10:00:00Z", "mood": 11}, "mood"),
        ({"moment": "2026-11-10T10:00:00Z", "emotions": ["ennui"]}, "emotions.0"),
        ({"moment": "2026-11-10T10:00:00Z", "note": "x" * 5001}, "note"),
        ({"moment": "2026-11-10T10:00:00Z", "humeur": 5}, "humeur"),
        ({"moment": "2026-11-10T10:00:00Z", "indicators": {"pas-un-id": 1}}, "indicators.pas-un-id.[key]"),
    ],
)
def test_create_checkin_refuses_malformed_bodies_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_create_checkin_refuses_what_is_not_json(owner_api):
    assert owner_api.post(URL, "{nope", content_type="application/json").status_code in {400, 422}
    response = owner_api.post(URL, {"moment": "2026-11-10T10:00:00Z"})  # a form, not JSON
    assert response.status_code in {400, 415, 422}


def test_get_update_delete_a_checkin(owner_api, owner, journal_of):
    checkin = journal_of["checkins"][1]
    url = f"{URL}/{checkin.pk}"
    assert owner_api.get(url).json()["mood"] == 7

    response = json_put(owner_api, url, {"moment": checkin.moment.isoformat(), "energy": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["energy"] == 2 and body["mood"] is None and body["note"] is None  # replaced
    assert body["local_date"] == "2026-11-02"

    assert owner_api.delete(url).status_code == 204
    assert not Checkin.objects.filter(pk=checkin.pk).exists()
    assert owner_api.get(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_persons_checkin_is_a_404(stranger_api, journal_of, method):
    checkin = journal_of["checkins"][0]
    url = f"{URL}/{checkin.pk}"
    if method == "put":
        response = json_put(stranger_api, url, {"moment": checkin.moment.isoformat(), "mood": 0})
    else:
        response = getattr(stranger_api, method)(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Checkin.objects.get(pk=checkin.pk).payload["mood"] == 4


def test_stranger_lists_only_their_own(stranger_api, journal_of):
    assert stranger_api.get(URL).json() == {"count": 0, "items": []}


@pytest.mark.parametrize("checkin_id", ["pas-un-uuid", "1", "00000000-0000-4000-8000-000000000009"])
def test_unknown_or_malformed_ids_are_404_or_422(owner_api, checkin_id):
    assert owner_api.get(f"{URL}/{checkin_id}").status_code in {404, 422}


def test_read_token_reads_but_cannot_write(reader_api, journal_of):
    checkin = journal_of["checkins"][0]
    assert reader_api.get(URL).status_code == 200
    for response in (
        json_post(reader_api, URL, {"moment": "2026-11-10T10:00:00Z"}),
        json_put(reader_api, f"{URL}/{checkin.pk}", {"moment": checkin.moment.isoformat()}),
        reader_api.delete(f"{URL}/{checkin.pk}"),
    ):
        assert response.status_code == 403
        assert "only read" in response.json()["detail"]
    assert Checkin.objects.filter(pk=checkin.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_gets_401(method, journal_of):
    response = getattr(api_client(), method)(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_create_checkin_with_nothing_but_a_moment_is_422(owner_api, owner):
    response = json_post(
        owner_api,
        URL,
        {"moment": "2026-11-03T10:00:00+01:00", "emotions": [], "note": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "checkin", "message": "Nothing to save yet: note at least one thing, even a word."}
    ]
    assert not filter_checkins_of(owner).exists()
