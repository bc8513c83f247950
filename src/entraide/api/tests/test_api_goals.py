"""/api/v1/goals: the owner's goals and their steps, through entraide.goals' services."""

from __future__ import annotations

import uuid

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.goals.access import get_goal_of
from entraide.goals.models import Goal
from entraide.goals.tests.factories import make_goal

pytestmark = pytest.mark.django_db
URL = "/api/v1/goals"


def test_list_goals_in_progress_first_with_their_steps(owner_api, owner, stranger):
    make_goal(owner, title="Atteint", status="reached")
    make_goal(owner, title="Marcher", target_date=None)
    make_goal(stranger, title="pas à Camille")
    body = owner_api.get(URL).json()
    assert body["count"] == 2
    assert [g["title"] for g in body["items"]] == ["Marcher", "Atteint"]
    walk = body["items"][0]
    assert walk["status"] == "in_progress" and walk["steps_done"] == 0
    assert [s["text"] for s in walk["steps"]] == ["Trouver des chaussures", "Première marche de 10 minutes"]
    assert walk["steps"][0]["done"] is False and walk["steps"][0]["done_at"] is None
    assert body["items"][1]["reached_at"] is not None


def test_list_goals_filters_by_status_and_paginates(owner_api, owner):
    for n in range(3):
        make_goal(owner, title=f"En cours {n}")
    make_goal(owner, title="En pause", status="paused")
    assert [g["title"] for g in owner_api.get(URL, {"status": "paused"}).json()["items"]] == ["En pause"]
    page = owner_api.get(URL, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert owner_api.get(URL, {"status": "failed"}).status_code == 422


def test_list_goals_makes_a_fixed_number_of_queries(owner_api, owner, django_assert_num_queries):
    for n in range(30):
        make_goal(owner, title=f"But {n}")
    owner_api.get(URL)
    with django_assert_num_queries(
        8
    ):  # the token, settings, consents, roles, circle grants, the count, the page, the key
        assert len(owner_api.get(URL).json()["items"]) == 30


def test_create_read_update_delete_a_goal(owner_api, owner):
    response = json_post(
        owner_api,
        URL,
        {
            "title": "Reprendre le vélo",
            "why": "Le plaisir",
            "steps": ["Gonfler les pneus"],
            "target_date": "2026-06-01",
        },
    )
    assert response.status_code == 201, response.content
    goal = response.json()
    url = f"{URL}/{goal['id']}"
    assert owner_api.get(url).json()["steps"][0]["text"] == "Gonfler les pneus"

    response = json_put(owner_api, url, {"title": "Vélo", "status": "reached"})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["why"] == "" and changed["target_date"] is None and changed["reached_at"] is not None
    assert len(changed["steps"]) == 1  # steps stay

    assert owner_api.delete(url).status_code == 204
    assert not Goal.objects.filter(pk=goal["id"]).exists()


def test_steps_can_be_added_ticked_and_removed(owner_api, owner):
    goal = make_goal(owner, steps=[])
    steps = f"{URL}/{goal.pk}/steps"
    response = json_post(owner_api, steps, {"text": "Appeler Léa", "done": True})
    assert response.status_code == 201, response.content
    step = response.json()
    assert step["done"] is True and step["done_at"]
    response = json_put(owner_api, f"{steps}/{step['id']}", {"text": "Appeler Léa dimanche", "done": False})
    assert response.status_code == 200
    assert response.json() == {
        "id": step["id"],
        "text": "Appeler Léa dimanche",
        "done": False,
        "done_at": None,
    }
    assert owner_api.delete(f"{steps}/{step['id']}").status_code == 204
    assert get_goal_of(owner, goal.pk).steps == []
    assert owner_api.delete(f"{steps}/{uuid.uuid4()}").status_code == 404
    assert json_put(owner_api, f"{steps}/{uuid.uuid4()}", {"text": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "target_date": "1850-01-01"}, "target_date"),
        ({"title": "ok", "status": "failed"}, "status"),
        ({"title": "ok", "steps": ["x" * 201]}, "steps.0"),
        ({"title": "ok", "steps": ["a"] * 51}, "steps"),
        ({"title": "ok", "colour": "red"}, "colour"),
    ],
)
def test_create_goal_explains_what_is_wrong_with_422(owner_api, body, field):
    response = json_post(owner_api, URL, body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]


def test_the_51st_step_is_a_422_naming_the_limit(owner_api, owner):
    goal = make_goal(owner, steps=[f"étape {n}" for n in range(50)])
    response = json_post(owner_api, f"{URL}/{goal.pk}/steps", {"text": "Encore une"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


def test_another_persons_goal_is_a_404(owner, stranger_api):
    goal = make_goal(owner)
    url = f"{URL}/{goal.pk}"
    step = goal.steps[0]["id"]
    assert stranger_api.get(url).status_code == 404
    assert json_put(stranger_api, url, {"title": "x"}).status_code == 404
    assert stranger_api.delete(url).status_code == 404
    assert json_post(stranger_api, f"{url}/steps", {"text": "x"}).status_code == 404
    assert json_put(stranger_api, f"{url}/steps/{step}", {"text": "x", "done": True}).status_code == 404
    assert stranger_api.delete(f"{url}/steps/{step}").status_code == 404
    assert stranger_api.get(URL).json()["count"] == 0
    assert get_goal_of(owner, goal.pk).steps_done == 0


def test_a_read_token_cannot_write(owner, reader_api):
    goal = make_goal(owner)
    assert reader_api.get(URL).status_code == 200
    assert json_post(reader_api, URL, {"title": "x"}).status_code == 403
    assert json_put(reader_api, f"{URL}/{goal.pk}", {"title": "x"}).status_code == 403
    assert reader_api.delete(f"{URL}/{goal.pk}").status_code == 403
    assert json_post(reader_api, f"{URL}/{goal.pk}/steps", {"text": "x"}).status_code == 403
    assert Goal.objects.count() == 1 and len(get_goal_of(owner, goal.pk).steps) == 2


def test_the_schema_describes_the_goal_operations(owner_api):
    schema = owner_api.get("/api/v1/openapi.json").json()
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {
        "listGoals",
        "createGoal",
        "getGoal",
        "updateGoal",
        "deleteGoal",
        "addGoalStep",
        "updateGoalStep",
        "deleteGoalStep",
        "listCopingStrategies",
        "createCopingStrategy",
        "getCopingStrategy",
        "updateCopingStrategy",
        "deleteCopingStrategy",
        "listStrategyUses",
        "recordStrategyUse",
        "getStrategyUse",
        "updateStrategyUse",
        "deleteStrategyUse",
        "listRecoveryAssessments",
        "rateRecovery",
        "getRecoveryAssessment",
        "updateRecoveryAssessment",
        "deleteRecoveryAssessment",
    } <= operations
    assert schema["paths"]["/api/v1/goals"]["get"]["tags"] == ["goals"]
