"""/api/v1/safety-plan and /api/v1/crisis-moments: the owner's safety plan and crisis moments,
through entraide.safety's services."""

from __future__ import annotations

import uuid

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.safety.access import find_plan_of
from entraide.safety.models import CrisisMoment
from entraide.safety.tests.factories import FULL_PLAN, make_moment, make_plan

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/safety-plan"
MOMENTS = "/api/v1/crisis-moments"


def test_a_plan_not_written_yet_reads_as_empty(owner_api):
    body = owner_api.get(PLAN).json()
    assert body["id"] is None and body["reviewed_at"] is None
    assert body["coping"] == [] and body["help_people"] == []


def test_read_the_plan(owner_api, owner):
    plan = make_plan(owner)
    body = owner_api.get(PLAN).json()
    assert body["id"] == str(plan.pk)
    assert {key: body[key] for key in FULL_PLAN} == FULL_PLAN
    assert body["reviewed_at"] is not None


def test_put_replaces_the_whole_plan(owner_api, owner):
    make_plan(owner)
    response = json_put(
        owner_api,
        PLAN,
        {"coping": ["  Marcher  au parc ", ""], "help_people": [{"name": "Léa", "phone": "06 12 34 56 78"}]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["coping"] == ["Marcher au parc"]
    assert body["help_people"] == [{"name": "Léa", "phone": "06 12 34 56 78"}]
    assert body["reasons"] == []
    assert find_plan_of(owner).items("coping") == ["Marcher au parc"]


def test_put_creates_the_plan_the_first_time(owner_api, owner):
    assert json_put(owner_api, PLAN, {"reasons": ["Pixel"]}).json()["reasons"] == ["Pixel"]
    assert find_plan_of(owner).items("reasons") == ["Pixel"]


def test_invalid_values_are_a_422_naming_the_row(owner_api, owner):
    response = json_put(
        owner_api,
        PLAN,
        {"professionals": [{"name": "Dr Martin", "phone": "pas un numéro"}, {"name": "", "phone": "15"}]},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {
        "professionals.0.phone",
        "professionals.1.name",
    }
    assert json_put(owner_api, PLAN, {"favourite": ["x"]}).status_code == 422  # unknown field
    assert json_put(owner_api, PLAN, {"coping": ["x"] * 21}).status_code == 422
    assert find_plan_of(owner) is None


def test_review_moves_the_review_date_only(owner_api, owner):
    assert json_post(owner_api, f"{PLAN}/review").status_code == 404  # no plan yet
    plan = make_plan(owner)
    body = json_post(owner_api, f"{PLAN}/review").json()
    assert body["reviewed_at"] > body["updated_at"]
    assert find_plan_of(owner).updated_at == plan.updated_at


def test_list_and_delete_crisis_moments(owner_api, owner, stranger):
    first = make_moment(owner, source="phq9")
    second = make_moment(owner)
    make_moment(stranger)
    body = owner_api.get(MOMENTS).json()
    assert body["count"] == 2
    assert [(m["id"], m["source"]) for m in body["items"]] == [
        (str(second.pk), "button"),
        (str(first.pk), "phq9"),
    ]
    assert owner_api.get(MOMENTS, {"limit": 1, "offset": 1}).json()["items"][0]["id"] == str(first.pk)
    assert owner_api.delete(f"{MOMENTS}/{first.pk}").status_code == 204
    assert list(CrisisMoment.objects.filter(owner=owner)) == [second]


def test_another_persons_data_is_never_reached(owner, stranger_api):
    make_plan(owner)
    moment = make_moment(owner)
    assert stranger_api.get(PLAN).json()["id"] is None
    assert stranger_api.get(MOMENTS).json()["count"] == 0
    assert stranger_api.delete(f"{MOMENTS}/{moment.pk}").status_code == 404
    assert stranger_api.delete(f"{MOMENTS}/{uuid.uuid4()}").status_code == 404
    json_put(stranger_api, PLAN, {"reasons": ["Intrus"]})
    assert find_plan_of(owner).items("reasons") == FULL_PLAN["reasons"]


def test_a_read_only_token_cannot_change_anything(reader_api, owner):
    make_plan(owner)
    moment = make_moment(owner)
    assert reader_api.get(PLAN).status_code == 200
    assert json_put(reader_api, PLAN, {"reasons": []}).status_code == 403
    assert json_post(reader_api, f"{PLAN}/review").status_code == 403
    assert reader_api.delete(f"{MOMENTS}/{moment.pk}").status_code == 403
    assert find_plan_of(owner).items("reasons") == FULL_PLAN["reasons"]


def test_no_token_is_a_401():
    from entraide.api.tests.conftest import api_client

    assert api_client().get(PLAN).status_code == 401
    assert api_client().get(MOMENTS).status_code == 401


def test_list_moments_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    make_moment(owner)
    owner_api.get(MOMENTS)
    with django_assert_num_queries(8) as one:  # token, settings, consents, roles, grants, count, page, key
        owner_api.get(MOMENTS)
    for _ in range(20):
        make_moment(owner)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(owner_api.get(MOMENTS).json()["items"]) == 21


def test_nul_characters_are_dropped_as_everywhere(owner_api, owner):
    """Issue 18 item 10: a NUL was stored in a plan's items (core.text, at the edge)."""
    response = json_put(
        owner_api, PLAN, {"coping": ["Mar\u0000cher"], "help_people": [{"name": "L\u0000éa"}]}
    )
    assert response.status_code == 200, response.content
    assert find_plan_of(owner).items("coping") == ["Marcher"]
    assert response.json()["help_people"] == [{"name": "Léa", "phone": ""}]
