"""/api/v1/thought-records and /api/v1/thought-distortions: the owner's thought records, the same
rules as the pages (thoughts.services)."""

from __future__ import annotations

import typing
from datetime import date, timedelta

import pytest
from django.utils import timezone

from entraide.api.endpoints import thoughts as endpoint
from entraide.api.tests.conftest import json_post, json_put
from entraide.api.v1 import api
from entraide.thoughts import services
from entraide.thoughts import values as v
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/thought-records"
FULL = {
    "day": "2026-11-05",
    "time": "18:40",
    "situation": "Réunion : on m'a coupé la parole.",
    "thought": "Ils ne me respectent pas.",
    "emotions": [{"emotion": "anger", "before": 70, "after": 40}, {"own": "honte", "before": 55}],
    "distortions": ["labelling", "jumping_to_conclusions"],
    "evidence_for": "Deux fois.",
    "evidence_against": "Paul m'a demandé mon avis.",
    "balanced_thought": "Ils étaient pressés.",
}


@pytest.fixture
def records(owner):
    return [
        services.create_thought(
            owner, day=date(2026, 11, 1), situation="Au marché", thought="Tout le monde me regarde"
        ),
        services.create_thought(
            owner,
            day=date(2026, 11, 3),
            thought="Je vais ÉCHOUER",
            emotions=[{"emotion": "worry", "before": 80, "after": 30}],
            distortions=["magnification"],
        ),
    ]


def test_schema_lists_the_distortions_of_the_code():
    assert list(typing.get_args(endpoint.DistortionKey)) == list(v.DISTORTIONS)
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert {
        "/api/v1/thought-records",
        "/api/v1/thought-records/{thought_id}/follow-up",
        "/api/v1/thought-distortions",
    } <= set(schema["paths"])


def test_list_thought_records_newest_first_and_only_the_owners(owner_api, records, stranger):
    services.create_thought(stranger, day=date(2026, 11, 4), thought="pas à Camille")
    body = owner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 2
    latest = body["items"][0]
    assert latest["day"] == "2026-11-03"
    assert latest["emotions"] == [
        {"emotion": "worry", "own": None, "name": "worry", "before": 80, "after": 30}
    ]
    assert latest["distortions"] == ["magnification"]
    assert latest["follow_up"] is None


def test_list_thought_records_filters_by_day_and_words(owner_api, records):
    assert owner_api.get(URL, {"from": "2026-11-02"}).json()["count"] == 1
    assert owner_api.get(URL, {"to": "2026-11-01"}).json()["items"][0]["situation"] == "Au marché"
    found = owner_api.get(URL, {"q": "echouer"}).json()  # case and accents aside
    assert [r["day"] for r in found["items"]] == ["2026-11-03"]
    assert owner_api.get(URL, {"q": "marche", "from": "2026-11-02"}).json()["count"] == 0
    page = owner_api.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and page["items"][0]["day"] == "2026-11-01"


def test_list_thought_records_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    for day in range(1, 20):
        services.create_thought(owner, day=date(2026, 10, day), thought=f"Jour {day}")
    owner_api.get(URL)
    with django_assert_num_queries(
        8
    ):  # the token, settings, consents, roles, circle grants, the count, the page, the data key
        assert len(owner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["items"]) == 19


def test_create_read_update_delete_a_thought_record(owner_api, owner):
    response = json_post(owner_api, URL, FULL)
    assert response.status_code == 201, response.content
    record = response.json()
    assert record["emotions"][1] == {
        "emotion": None,
        "own": "honte",
        "name": "honte",
        "before": 55,
        "after": None,
    }
    assert record["distortions"] == ["jumping_to_conclusions", "labelling"]
    url = f"{URL}/{record['id']}"
    assert owner_api.get(url).json()["balanced_thought"] == "Ils étaient pressés."

    response = json_put(
        owner_api, f"{url}/follow-up", {"on": "2026-11-10", "note": "Mieux.", "intensity": 10}
    )
    assert response.status_code == 200, response.content
    assert response.json()["follow_up"] == {"on": "2026-11-10", "note": "Mieux.", "intensity": 10}

    response = json_put(owner_api, url, {"day": "2026-11-04", "situation": "Autre"})
    assert response.status_code == 200, response.content
    replaced = response.json()
    assert replaced["thought"] == "" and replaced["emotions"] == [] and replaced["time"] is None  # replaced
    assert replaced["follow_up"]["note"] == "Mieux."  # the follow-up stays
    assert ThoughtRecord.objects.get(pk=record["id"]).day == date(2026, 11, 4)

    assert owner_api.delete(f"{url}/follow-up").status_code == 204
    assert owner_api.get(url).json()["follow_up"] is None
    assert owner_api.delete(url).status_code == 204
    assert not ThoughtRecord.objects.filter(pk=record["id"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": "2026-11-05"}, "situation"),  # neither situation nor thought
        ({"day": "1850-01-01", "thought": "Trop tôt"}, "day"),
        ({"day": "2026-11-05", "thought": "x" * 5_001}, "thought"),
        (
            {"day": "2026-11-05", "thought": "ok", "emotions": [{"emotion": "fear", "before": 101}]},
            "emotions.0.before",
        ),
        (
            {"day": "2026-11-05", "thought": "ok", "emotions": [{"emotion": "fear", "after": -1}]},
            "emotions.0.after",
        ),
        ({"day": "2026-11-05", "thought": "ok", "emotions": [{"before": 40}]}, "emotions.0.emotion"),
        (
            {"day": "2026-11-05", "thought": "ok", "emotions": [{"emotion": "fear", "own": "peur"}]},
            "emotions.0.own",
        ),
        ({"day": "2026-11-05", "thought": "ok", "emotions": [{"emotion": "fear"}] * 2}, "emotions.1.emotion"),
        (
            {"day": "2026-11-05", "thought": "ok", "emotions": [{"own": f"mot {n}"} for n in range(11)]},
            "emotions",
        ),
        ({"day": "2026-11-05", "thought": "ok", "distortions": ["fortune_telling"]}, "distortions.0"),
        ({"day": "2026-11-05", "thought": "ok", "time": "25:00"}, "time"),
        ({"day": "2026-11-05", "thought": "ok", "mood": 3}, "mood"),  # unknown field
    ],
)
def test_create_thought_record_explains_what_is_wrong_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]
    assert not ThoughtRecord.objects.exists()


def test_follow_up_explains_what_is_wrong_with_422(owner_api, records):
    url = f"{URL}/{records[0].pk}/follow-up"
    response = json_put(owner_api, url, {"on": "2026-10-01", "intensity": 20})  # before the record's day
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["on"]
    response = json_put(owner_api, url, {"on": "2026-11-02"})  # nothing said
    assert [e["field"] for e in response.json()["detail"]] == ["note"]


def test_thought_distortions_lists_the_ten_with_their_explanations(owner_api):
    body = owner_api.get("/api/v1/thought-distortions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [d["key"] for d in body] == list(v.DISTORTIONS)
    labelling = next(d for d in body if d["key"] == "labelling")
    assert labelling["name"] == "Labelling"
    assert labelling["explanation"].startswith("Giving yourself or someone else a harsh label")
    assert "idiot" in labelling["example"]


def test_another_persons_record_is_a_404(stranger_api, records):
    url = f"{URL}/{records[0].pk}"
    assert stranger_api.get(url).status_code == 404
    assert json_put(stranger_api, url, {"day": "2026-11-01", "thought": "pris"}).status_code == 404
    assert json_put(stranger_api, f"{url}/follow-up", {"on": "2026-11-02", "intensity": 1}).status_code == 404
    assert stranger_api.delete(f"{url}/follow-up").status_code == 404
    assert stranger_api.delete(url).status_code == 404
    assert stranger_api.get(URL).json()["count"] == 0
    assert ThoughtRecord.objects.get(pk=records[0].pk).payload["thought"] == "Tout le monde me regarde"


def test_a_read_only_token_reads_but_never_writes(reader_api, records):
    assert reader_api.get(URL).status_code == 200
    assert reader_api.get("/api/v1/thought-distortions").status_code == 200
    assert json_post(reader_api, URL, FULL).status_code == 403
    url = f"{URL}/{records[0].pk}"
    assert json_put(reader_api, f"{url}/follow-up", {"on": "2026-11-02", "intensity": 1}).status_code == 403
    assert reader_api.delete(url).status_code == 403
    assert ThoughtRecord.objects.count() == 2


def test_without_a_token_every_operation_is_a_401(client, records):
    for url in (URL, f"{URL}/{records[0].pk}", "/api/v1/thought-distortions"):
        assert client.get(url).status_code == 401


def test_day_in_the_future_is_refused(owner_api):
    later = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = json_post(owner_api, URL, {"day": later, "thought": "Demain"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["day"]
