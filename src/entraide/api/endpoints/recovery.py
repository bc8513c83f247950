"""Monthly recovery self-assessments (CHIME): ``/recovery-assessments``. One per local month:
rating a month again replaces it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from entraide.api.auth import owner_of
from entraide.api.schemas import ITEM_ERRORS, ITEM_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS, Input, Page
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_assessments_of, get_assessment_of
from entraide.goals.models import RecoveryAssessment

router = Router(tags=["recovery self-assessments"])

# Years 1900 to 2199 (core.dates); the services refuse the future with a 422.
Month = Annotated[str, Field(pattern=r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$", examples=["2026-03"])]
DIMENSIONS_TEXT = (
    "Five dimensions (CHIME): connectedness, hope, identity, meaning, empowerment; each a score from "
    "0 (not at all) to 10 (completely) or null, and the person's words. At least one score or some words."
)


class DimensionIn(Input):
    score: int | None = Field(None, ge=v.SCORE_LOW, le=v.SCORE_HIGH)
    words: str = Field("", max_length=v.MAX_RECOVERY_WORDS)


class DimensionOut(Schema):
    score: int | None
    words: str


class RecoveryValues(Input):
    connectedness: DimensionIn | None = None
    hope: DimensionIn | None = None
    identity: DimensionIn | None = None
    meaning: DimensionIn | None = None
    empowerment: DimensionIn | None = None


class RecoveryIn(RecoveryValues):
    month: Month = Field(description="The local month rated (YYYY-MM): this month or a past one.")


class RecoveryOut(Schema):
    id: uuid.UUID
    month: Month
    connectedness: DimensionOut
    hope: DimensionOut
    identity: DimensionOut
    meaning: DimensionOut
    empowerment: DimensionOut
    created_at: datetime
    updated_at: datetime


class RecoveryList(Schema):
    count: int
    items: list[RecoveryOut]


class RecoveryFilters(Page):
    from_: Month | None = Field(None, alias="from", description="From this month (YYYY-MM, included).")
    to: Month | None = Field(None, description="Up to this month (YYYY-MM, included).")


def _first_day(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def recovery_out(row: RecoveryAssessment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "month": row.month.strftime("%Y-%m"),
        **{key: {"score": row.score(key), "words": row.words(key)} for key in v.DIMENSION_KEYS},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _values(data: RecoveryValues) -> dict[str, Any]:
    return data.model_dump(include=set(v.DIMENSION_KEYS))


@router.get(
    "/recovery-assessments",
    response={200: RecoveryList, **READ_ERRORS},
    operation_id="listRecoveryAssessments",
    summary="List recovery self-assessments",
    description="Newest month first, optionally between two months (both included).",
)
def list_assessments(request: HttpRequest, filters: Query[RecoveryFilters]) -> dict[str, Any]:
    qs = filter_assessments_of(owner_of(request))
    if filters.from_:
        qs = qs.filter(month__gte=_first_day(filters.from_))
    if filters.to:
        qs = qs.filter(month__lte=_first_day(filters.to))
    rows = qs.order_by("-month")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [recovery_out(r) for r in rows]}


@router.post(
    "/recovery-assessments",
    response={200: RecoveryOut, 201: RecoveryOut, **WRITE_ERRORS},
    operation_id="rateRecovery",
    summary="Rate a month",
    description=f"{DIMENSIONS_TEXT} 201 for a new month; a month already rated is replaced (200).",
)
def rate_recovery(request: HttpRequest, data: RecoveryIn) -> Status[Any]:
    row, replaced = services.rate_recovery(
        owner_of(request), month=_first_day(data.month), values=_values(data)
    )
    return Status(200 if replaced else 201, recovery_out(row))


@router.get(
    "/recovery-assessments/{assessment_id}",
    response={200: RecoveryOut, **ITEM_ERRORS},
    operation_id="getRecoveryAssessment",
    summary="Read a recovery self-assessment",
)
def get_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> dict[str, Any]:
    return recovery_out(get_assessment_of(owner_of(request), assessment_id))


@router.put(
    "/recovery-assessments/{assessment_id}",
    response={200: RecoveryOut, **ITEM_WRITE_ERRORS},
    operation_id="updateRecoveryAssessment",
    summary="Replace a month's answers",
    description=f"{DIMENSIONS_TEXT} The month stays; a dimension left out is not rated.",
)
def update_assessment(request: HttpRequest, assessment_id: uuid.UUID, data: RecoveryValues) -> dict[str, Any]:
    row = get_assessment_of(owner_of(request), assessment_id)
    return recovery_out(services.update_assessment(row, values=_values(data)))


@router.delete(
    "/recovery-assessments/{assessment_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteRecoveryAssessment",
    summary="Delete a month's answers",
)
def delete_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> Status[Any]:
    services.delete_assessment(get_assessment_of(owner_of(request), assessment_id))
    return Status(204, None)
