"""Goals and their steps: ``/goals``; and the router of the whole goals app (goals, coping
strategies, recovery self-assessments), registered in api/v1.py in one line. The rules are
entraide.goals' services; these schemas only describe them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.endpoints import recovery, strategies
from entraide.api.schemas import ITEM_ERRORS, ITEM_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS, Day, Input, Page
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_goals_of, find_step, get_goal_of
from entraide.goals.models import Goal

goals_router = Router(tags=["goals"])

GoalStatusName = Literal["in_progress", "paused", "reached", "let_go"]  # goals.models.GoalStatus
StepText = Annotated[str, Field(min_length=1, max_length=v.MAX_STEP_TEXT)]
LIMITS = (
    "At most 200 goals and 50 steps a goal: beyond, 422 with the field `limit`. "
    "Texts are trimmed and their inner spaces collapsed."
)


class GoalUpdate(Input):
    title: str = Field(max_length=v.MAX_GOAL_TITLE, description="Needed: a few words.")
    why: str = Field("", max_length=v.MAX_GOAL_WHY, description="Why it matters to the person.")
    target_date: Day | None = Field(None, description="A date to aim for (1900 to 2199), or none.")
    status: GoalStatusName = Field(
        "in_progress", description="in_progress, paused, reached or let_go (a choice, never a failure)."
    )


class GoalIn(GoalUpdate):
    steps: list[StepText] = Field([], max_length=v.MAX_STEPS, description="The first steps, in order.")


class StepIn(Input):
    text: StepText
    done: bool = Field(False, description="Ticked or not.")


class StepOut(Schema):
    id: uuid.UUID
    text: str
    done: bool
    done_at: datetime | None = Field(description="When it was ticked; null if not yet.")


class GoalOut(Schema):
    id: uuid.UUID
    title: str
    why: str
    status: GoalStatusName
    target_date: date | None
    reached_at: datetime | None = Field(description="When its status became reached; null otherwise.")
    steps: list[StepOut]
    steps_done: int
    created_at: datetime
    updated_at: datetime


class GoalList(Schema):
    count: int = Field(description="How many goals match, over all pages.")
    items: list[GoalOut]


class GoalFilters(Page):
    status: GoalStatusName | None = Field(None, description="Only the goals with this status.")


def step_out(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": step["id"],
        "text": step["text"],
        "done": bool(step.get("done_at")),
        "done_at": step.get("done_at"),
    }


def goal_out(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "title": goal.title,
        "why": goal.why,
        "status": goal.status,
        "target_date": goal.target_date,
        "reached_at": goal.reached_at,
        "steps": [step_out(s) for s in goal.steps],
        "steps_done": goal.steps_done,
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
    }


@goals_router.get(
    "/goals",
    response={200: GoalList, **READ_ERRORS},
    operation_id="listGoals",
    summary="List goals",
    description="In progress first, then paused, reached and let go; in each, the nearest target date first.",
)
def list_goals(request: HttpRequest, filters: Query[GoalFilters]) -> dict[str, Any]:
    qs = filter_goals_of(owner_of(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows = services.ordered_goals(qs)[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [goal_out(g) for g in rows]}


@goals_router.post(
    "/goals",
    response={201: GoalOut, **WRITE_ERRORS},
    operation_id="createGoal",
    summary="Set a goal",
    description=LIMITS,
)
def create_goal(request: HttpRequest, data: GoalIn) -> Status[Any]:
    goal = services.create_goal(owner_of(request), **data.model_dump())
    return Status(201, goal_out(goal))


@goals_router.get(
    "/goals/{goal_id}",
    response={200: GoalOut, **ITEM_ERRORS},
    operation_id="getGoal",
    summary="Read a goal",
)
def get_goal(request: HttpRequest, goal_id: uuid.UUID) -> dict[str, Any]:
    return goal_out(get_goal_of(owner_of(request), goal_id))


@goals_router.put(
    "/goals/{goal_id}",
    response={200: GoalOut, **ITEM_WRITE_ERRORS},
    operation_id="updateGoal",
    summary="Replace a goal",
    description="Title, reason, target date and status are replaced (a field left out takes its "
    "default); the steps stay: change them with the steps operations.",
)
def update_goal(request: HttpRequest, goal_id: uuid.UUID, data: GoalUpdate) -> dict[str, Any]:
    goal = get_goal_of(owner_of(request), goal_id)
    return goal_out(services.update_goal(goal, **data.model_dump()))


@goals_router.delete(
    "/goals/{goal_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteGoal",
    summary="Delete a goal and its steps",
)
def delete_goal(request: HttpRequest, goal_id: uuid.UUID) -> Status[Any]:
    services.delete_goal(get_goal_of(owner_of(request), goal_id))
    return Status(204, None)


@goals_router.post(
    "/goals/{goal_id}/steps",
    response={201: StepOut, **ITEM_WRITE_ERRORS},
    operation_id="addGoalStep",
    summary="Add a step at the end of a goal's checklist",
    description=LIMITS,
)
def add_step(request: HttpRequest, goal_id: uuid.UUID, data: StepIn) -> Status[Any]:
    goal = get_goal_of(owner_of(request), goal_id)
    step = services.add_step(goal, text=data.text)
    if data.done:
        step = services.update_step(goal, step["id"], done=True)
    return Status(201, step_out(step))


@goals_router.put(
    "/goals/{goal_id}/steps/{step_id}",
    response={200: StepOut, **ITEM_WRITE_ERRORS},
    operation_id="updateGoalStep",
    summary="Change or tick a step",
    description="Its text and whether it is done. Ticking a ticked step keeps the time it was first ticked.",
)
def update_step(request: HttpRequest, goal_id: uuid.UUID, step_id: uuid.UUID, data: StepIn) -> dict[str, Any]:
    goal = get_goal_of(owner_of(request), goal_id)
    find_step(goal, step_id)
    return step_out(services.update_step(goal, step_id, text=data.text, done=data.done))


@goals_router.delete(
    "/goals/{goal_id}/steps/{step_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteGoalStep",
    summary="Remove a step",
)
def delete_step(request: HttpRequest, goal_id: uuid.UUID, step_id: uuid.UUID) -> Status[Any]:
    services.remove_step(get_goal_of(owner_of(request), goal_id), step_id)
    return Status(204, None)


# The goals app's operations, all in the token owner's time zone ("today" is the person's today).
router = area_router("goals")
router.add_decorator(in_owner_zone)
router.add_router("", goals_router)
router.add_router("", strategies.router)
router.add_router("", recovery.router)
