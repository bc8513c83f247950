"""The safety plan (Stanley and Brown) and the crisis moments: ``/safety-plan``,
``/crisis-moments``. The rules are entraide.safety's services; these schemas only describe them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, owner_of
from entraide.api.schemas import ITEM_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut, Input, Page
from entraide.safety import services
from entraide.safety import values as v
from entraide.safety.access import filter_moments_of, find_plan_of, get_moment_of
from entraide.safety.models import CrisisMoment, SafetyPlan

router = area_router("safety", tags=["safety"])

Line = Annotated[str, Field(max_length=v.MAX_ITEM)]
STEPS_TEXT = (
    "The six steps of Stanley and Brown's plan, in the order they are used in a crisis: "
    "warning_signs, coping (what the person can do on their own), distractions (people and places), "
    "help_people and professionals (a name and a phone number each), environment (making the "
    "surroundings safer); then reasons (reasons for living). Each a list of at most 20 lines; empty "
    "lines are dropped, texts trimmed and their inner spaces collapsed."
)


class ContactIn(Input):
    name: str = Field("", max_length=v.MAX_NAME, description="Needed when a phone number is given.")
    phone: str = Field(
        "", max_length=v.MAX_PHONE, description="Digits, spaces, dots, dashes, brackets, a leading +."
    )


class ContactOut(Schema):
    name: str
    phone: str


class SafetyPlanIn(Input):
    warning_signs: list[Line] = Field([], max_length=v.MAX_ITEMS)
    coping: list[Line] = Field([], max_length=v.MAX_ITEMS)
    distractions: list[Line] = Field([], max_length=v.MAX_ITEMS)
    help_people: list[ContactIn] = Field([], max_length=v.MAX_ITEMS)
    professionals: list[ContactIn] = Field([], max_length=v.MAX_ITEMS)
    environment: list[Line] = Field([], max_length=v.MAX_ITEMS)
    reasons: list[Line] = Field([], max_length=v.MAX_ITEMS)


class SafetyPlanOut(Schema):
    id: uuid.UUID | None = Field(description="Null until the plan is first saved.")
    warning_signs: list[str]
    coping: list[str]
    distractions: list[str]
    help_people: list[ContactOut]
    professionals: list[ContactOut]
    environment: list[str]
    reasons: list[str]
    created_at: datetime | None
    updated_at: datetime | None
    reviewed_at: datetime | None = Field(description="When it was last saved or read again.")


class CrisisMomentOut(Schema):
    id: uuid.UUID
    created_at: datetime
    source: str = Field(description="button (“I'm not doing well”), phq9 (a questionnaire answer) or other.")


class CrisisMomentList(Schema):
    count: int
    items: list[CrisisMomentOut]


def plan_out(plan: SafetyPlan | None) -> dict[str, Any]:
    return {
        "id": plan.pk if plan else None,
        **{key: plan.items(key) if plan else [] for key in v.STEP_KEYS},
        "created_at": plan.created_at if plan else None,
        "updated_at": plan.updated_at if plan else None,
        "reviewed_at": plan.reviewed_at if plan else None,
    }


def moment_out(moment: CrisisMoment) -> dict[str, Any]:
    return {"id": moment.pk, "created_at": moment.created_at, "source": moment.source}


@router.get(
    "/safety-plan",
    response={200: SafetyPlanOut, **READ_ERRORS},
    operation_id="getSafetyPlan",
    summary="Read the safety plan",
    description=f"{STEPS_TEXT} A person who has not written one gets empty lists and a null id.",
)
def get_plan(request: HttpRequest) -> dict[str, Any]:
    return plan_out(find_plan_of(owner_of(request)))


@router.put(
    "/safety-plan",
    response={200: SafetyPlanOut, **WRITE_ERRORS},
    operation_id="saveSafetyPlan",
    summary="Write the safety plan",
    description=f"{STEPS_TEXT} Replaces the whole plan (a step left out becomes empty) and counts as "
    "reading it again (reviewed_at is now).",
)
def save_plan(request: HttpRequest, data: SafetyPlanIn) -> dict[str, Any]:
    return plan_out(services.save_safety_plan(owner_of(request), steps=data.model_dump()))


@router.post(
    "/safety-plan/review",
    response={200: SafetyPlanOut, **WRITE_ERRORS, 404: ErrorOut},
    operation_id="reviewSafetyPlan",
    summary="Note that the plan was read again",
    description="Moves reviewed_at to now, changing nothing else; 404 when there is no plan yet.",
)
def review_plan(request: HttpRequest) -> dict[str, Any]:
    plan = find_plan_of(owner_of(request))
    if plan is None:
        raise Http404
    return plan_out(services.review_safety_plan(plan))


@router.get(
    "/crisis-moments",
    response={200: CrisisMomentList, **READ_ERRORS},
    operation_id="listCrisisMoments",
    summary="List crisis moments",
    description="Each time the person signalled that they were not doing well, newest first.",
)
def list_moments(request: HttpRequest, filters: Query[Page]) -> dict[str, Any]:
    qs = filter_moments_of(owner_of(request))
    rows = qs.order_by("-created_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [moment_out(m) for m in rows]}


@router.delete(
    "/crisis-moments/{moment_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteCrisisMoment",
    summary="Delete a crisis moment",
)
def delete_moment(request: HttpRequest, moment_id: uuid.UUID) -> Status[Any]:
    services.delete_crisis_moment(get_moment_of(owner_of(request), moment_id))
    return Status(204, None)
