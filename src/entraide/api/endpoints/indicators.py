"""Custom indicators: ``/indicators``. An indicator is never deleted (its history stays): it is
archived, and can be restored."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.endpoints.checkins import IndicatorValue
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    DateRange,
    ErrorOut,
    Input,
)
from entraide.journal import services
from entraide.journal.access import filter_checkins_of, filter_indicators_of, get_indicator_of
from entraide.journal.models import Indicator

router = area_router("journal", tags=["indicators"])
router.add_decorator(in_owner_zone)

Kind = Literal["scale", "number", "yes_no", "duration", "choice", "text"]  # journal IndicatorKind
Option = Annotated[str, Field(max_length=40)]


class IndicatorUpdate(Input):
    name: str = Field(max_length=services.MAX_INDICATOR_NAME)
    unit: str = Field("", max_length=services.MAX_UNIT, description="For a number, e.g. 'km'.")
    choices: list[Option] = Field(
        [], max_length=services.MAX_CHOICES, description="For a choice list: 2 to 20 options."
    )


class IndicatorIn(IndicatorUpdate):
    kind: Kind = Field(
        description="scale: 0 to 10; number: a number with a unit; yes_no: true or false; "
        "duration: minutes; choice: one of the options; text: up to 200 characters. "
        "It never changes afterwards."
    )


class IndicatorOut(Schema):
    id: uuid.UUID
    name: str
    kind: Kind
    unit: str
    choices: list[str]
    position: int = Field(description="Order in the check-in form, among active indicators.")
    archived: bool
    archived_at: datetime | None
    created_at: datetime


class IndicatorValueOut(Schema):
    checkin_id: uuid.UUID
    moment: datetime
    local_date: date
    value: IndicatorValue


class IndicatorValueList(Schema):
    count: int
    items: list[IndicatorValueOut]


def indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "choices": indicator.choices,
        "position": indicator.position,
        "archived": indicator.archived_at is not None,
        "archived_at": indicator.archived_at,
        "created_at": indicator.created_at,
    }


LIMIT_ERROR = {409: ErrorOut}


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **READ_ERRORS},
    operation_id="listIndicators",
    summary="List indicators",
    description="Active ones first in the person's order, then archived ones.",
)
def list_indicators(request: HttpRequest) -> list[dict[str, Any]]:
    rows = filter_indicators_of(owner_of(request)).order_by("position", "created_at")
    ordered = sorted(rows, key=lambda i: i.archived_at is not None)
    return [indicator_out(i) for i in ordered]


@router.post(
    "/indicators",
    response={201: IndicatorOut, **WRITE_ERRORS, **LIMIT_ERROR},
    operation_id="createIndicator",
    summary="Create an indicator",
    description="At most 50 active indicators (409 beyond).",
)
def create_indicator(request: HttpRequest, data: IndicatorIn) -> Status[Any]:
    indicator = services.create_indicator(
        owner_of(request), name=data.name, kind=data.kind, unit=data.unit, choices=data.choices
    )
    return Status(201, indicator_out(indicator))


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **ITEM_ERRORS},
    operation_id="getIndicator",
    summary="Read an indicator",
)
def get_indicator(request: HttpRequest, indicator_id: uuid.UUID) -> dict[str, Any]:
    return indicator_out(get_indicator_of(owner_of(request), indicator_id))


@router.put(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **ITEM_WRITE_ERRORS},
    operation_id="updateIndicator",
    summary="Rename an indicator, change its unit or options",
    description="Its kind stays. An option removed from a choice list stays in past check-ins.",
)
def update_indicator(request: HttpRequest, indicator_id: uuid.UUID, data: IndicatorUpdate) -> dict[str, Any]:
    indicator = get_indicator_of(owner_of(request), indicator_id)
    services.update_indicator(indicator, name=data.name, unit=data.unit, choices=data.choices)
    return indicator_out(indicator)


@router.post(
    "/indicators/{indicator_id}/archive",
    response={200: IndicatorOut, **ITEM_WRITE_ERRORS},
    operation_id="archiveIndicator",
    summary="Archive an indicator",
    description="It leaves the check-in form; its values stay. There is no delete.",
)
def archive_indicator(request: HttpRequest, indicator_id: uuid.UUID) -> dict[str, Any]:
    indicator = get_indicator_of(owner_of(request), indicator_id)
    if indicator.archived_at is None:
        services.archive_indicator(indicator)
    return indicator_out(indicator)


@router.post(
    "/indicators/{indicator_id}/restore",
    response={200: IndicatorOut, **ITEM_WRITE_ERRORS, **LIMIT_ERROR},
    operation_id="restoreIndicator",
    summary="Restore an archived indicator",
    description="It comes back in the check-in form (409 when 50 are already active).",
)
def restore_indicator(request: HttpRequest, indicator_id: uuid.UUID) -> dict[str, Any]:
    indicator = get_indicator_of(owner_of(request), indicator_id)
    if indicator.archived_at is not None:
        services.restore_indicator(indicator)
    return indicator_out(indicator)


@router.get(
    "/indicators/{indicator_id}/values",
    response={200: IndicatorValueList, **ITEM_ERRORS},
    operation_id="listIndicatorValues",
    summary="List an indicator's values",
    description="The check-ins that recorded it, newest first, optionally between two local dates.",
)
def list_indicator_values(
    request: HttpRequest, indicator_id: uuid.UUID, filters: Query[DateRange]
) -> dict[str, Any]:
    owner = owner_of(request)
    key = str(get_indicator_of(owner, indicator_id).pk)
    qs = filter_checkins_of(owner)
    if filters.from_:
        qs = qs.filter(local_date__gte=filters.from_)
    if filters.to:
        qs = qs.filter(local_date__lte=filters.to)
    # Values live in each check-in's encrypted payload: read in memory (one person's scale).
    found = [
        {"checkin_id": c.pk, "moment": c.moment, "local_date": c.local_date, "value": value}
        for c in qs.order_by("-local_date", "-moment", "-id")
        if (value := c.payload.get("indicators", {}).get(key)) is not None
    ]
    return {"count": len(found), "items": found[filters.offset : filters.offset + filters.limit]}
