"""/api/v1/recovery-assessments: the owner's monthly self-ratings (CHIME), one per month."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from entraide.api.tests.conftest import json_post, json_put
from entraide.goals.models import RecoveryAssessment
from entraide.goals.tests.factories import make_assessment

pytestmark = pytest.mark.django_db
URL = "/api/v1/recovery-assessments"
EMPTY = {"score": None, "words": ""}


@time_machine.travel("2026-03-20 12:00Z", tick=False)
def test_rate_a_month_then_again_replaces_it(owner_api, owner):
    response = json_post(owner_api, URL, {"month": "2026-03", "hope": {"score": 6, "words": "Ça vient"}})
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["month"] == "2026-03"
    assert first["hope"] == {"score": 6, "words": "Ça vient"} and first["meaning"] == EMPTY
    again = json_post(owner_api, URL, {"month": "2026-03", "meaning": {"score": 4}})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["hope"] == EMPTY
    assert RecoveryAssessment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": "2026-03"}, "scores"),
        ({"month": "2026-13", "hope": {"score": 1}}, "month"),
        ({"month": "2999-01", "hope": {"score": 1}}, "month"),
        ({"month": "2026-03", "hope": {"score": 11}}, "hope.score"),
        ({"month": "2026-03", "hope": {"words": "x" * 1001}}, "hope.words"),
        ({"month": "2026-03", "courage": {"score": 5}}, "courage"),
    ],
)
@time_machine.travel("2026-03-20 12:00Z", tick=False)
def test_rate_recovery_explains_what_is_wrong_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_list_read_update_delete(owner_api, owner, stranger, django_assert_num_queries):
    for month in (1, 2, 3):
        make_assessment(owner, date(2026, month, 1), hope=month)
    make_assessment(stranger, date(2026, 1, 1), hope=9)
    owner_api.get(URL)
    with django_assert_num_queries(
        8
    ):  # the token, settings, consents, roles, circle grants, the count, the page, the key
        body = owner_api.get(URL).json()
    assert body["count"] == 3 and [a["month"] for a in body["items"]] == ["2026-03", "2026-02", "2026-01"]
    assert owner_api.get(URL, {"from": "2026-02", "to": "2026-02"}).json()["items"][0]["hope"]["score"] == 2
    url = f"{URL}/{body['items'][0]['id']}"
    assert owner_api.get(url).json()["hope"]["score"] == 3
    changed = json_put(owner_api, url, {"identity": {"score": 7, "words": "Moi"}})
    assert changed.status_code == 200 and changed.json()["month"] == "2026-03"
    assert changed.json()["identity"] == {"score": 7, "words": "Moi"} and changed.json()["hope"] == EMPTY
    assert owner_api.delete(url).status_code == 204
    assert RecoveryAssessment.objects.filter(owner=owner).count() == 2


def test_another_persons_month_is_a_404_and_a_read_token_cannot_write(owner, stranger_api, reader_api):
    row = make_assessment(owner)
    url = f"{URL}/{row.pk}"
    assert stranger_api.get(url).status_code == 404
    assert json_put(stranger_api, url, {"hope": {"score": 1}}).status_code == 404
    assert stranger_api.delete(url).status_code == 404
    assert reader_api.get(url).status_code == 200
    assert json_put(reader_api, url, {"hope": {"score": 1}}).status_code == 403
    assert json_post(reader_api, URL, {"month": "2026-03", "hope": {"score": 1}}).status_code == 403
    assert reader_api.delete(url).status_code == 403
    assert RecoveryAssessment.objects.get().score("hope") == 6


def test_today_is_the_persons_today(owner, owner_api):
    """23:30 UTC on 31 March is already April in Kiritimati (UTC+14): April may be rated there."""
    owner.time_zone = "Pacific/Kiritimati"
    owner.save(update_fields=["time_zone"])
    with time_machine.travel("2026-03-31 23:30Z", tick=False):
        assert json_post(owner_api, URL, {"month": "2026-04", "hope": {"score": 5}}).status_code == 201
