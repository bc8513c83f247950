"""Check-ins: ``/checkins``. The rules are journal.values'; these schemas only describe them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    AwareInstant,
    DateRange,
    Input,
)
from entraide.journal import services
from entraide.journal import values as v
from entraide.journal.access import filter_checkins_of, get_checkin_of
from entraide.journal.models import Checkin

router = area_router("journal", tags=["check-ins"])
router.add_decorator(in_owner_zone)

# journal.values.EMOTIONS, spelled out so that the schema lists them (a test keeps them equal).
Emotion = Literal[
    "joy",
    "calm",
    "gratitude",
    "pride",
    "hope",
    "relief",
    "tenderness",
    "curiosity",
    "sadness",
    "worry",
    "fear",
    "anger",
    "shame",
    "guilt",
    "loneliness",
    "overwhelm",
]
ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["23:30"])]
Word = Annotated[str, Field(max_length=v.MAX_TAG)]
OwnEmotion = Annotated[str, Field(max_length=v.MAX_OWN_EMOTION)]
# One value of a custom indicator; its kind says which (see GET /indicators).
IndicatorValue = bool | int | float | Annotated[str, Field(max_length=v.MAX_SHORT_TEXT)]


class CheckinValues(Schema):
    """Every value is optional; a value left out (or null) is "not recorded"."""

    mood: int | None = Field(None, ge=0, le=10, description="0 (very low) to 10 (very good).")
    anxiety: int | None = Field(None, ge=0, le=10, description="0 (none) to 10 (extreme).")
    energy: int | None = Field(None, ge=0, le=10, description="0 (exhausted) to 10 (full of energy).")
    emotions: list[Emotion] | None = Field(None, max_length=len(v.EMOTIONS))
    own_emotions: list[OwnEmotion] | None = Field(
        None, max_length=v.MAX_OWN_EMOTIONS, description="Emotions in the person's own words."
    )
    sleep_bed: ClockTime | None = Field(None, description="Went to bed at (hh:mm, local time).")
    sleep_wake: ClockTime | None = Field(None, description="Woke up at (hh:mm); give both or neither.")
    sleep_quality: int | None = Field(None, ge=1, le=5)
    activity_minutes: int | None = Field(None, ge=0, le=v.MINUTES_A_DAY)
    outdoors_minutes: int | None = Field(None, ge=0, le=v.MINUTES_A_DAY)
    regular_meals: bool | None = None
    social_contact: bool | None = None
    alcohol_drinks: int | None = Field(None, ge=0, le=99)
    tobacco: int | None = Field(None, ge=0, le=999)
    other_substances: str | None = Field(None, max_length=v.MAX_SHORT_TEXT)
    note: str | None = Field(None, max_length=v.MAX_NOTE)
    tags: list[Word] | None = Field(None, max_length=v.MAX_TAGS)
    indicators: dict[uuid.UUID, IndicatorValue | None] | None = Field(
        None,
        max_length=200,
        description="Custom indicator values by indicator id (see GET /indicators for each kind).",
    )


class CheckinIn(CheckinValues, Input):
    moment: AwareInstant = Field(description="When, with its UTC offset (ISO 8601).")
    private: bool | None = Field(
        None,
        description="“Reste privé”: never shown to anyone the person shares with. Left out: false "
        "for a new one, unchanged when replacing.",
    )


class CheckinOut(CheckinValues):
    id: uuid.UUID
    moment: datetime
    local_date: date = Field(description="The date of the moment in the person's time zone then.")
    time_zone: str
    created_at: datetime
    updated_at: datetime
    sleep_minutes: int | None = Field(None, description="From sleep_bed to sleep_wake, in minutes.")
    indicators: dict[str, IndicatorValue] | None = None  # type: ignore[assignment]  # ids as given
    private: bool = Field(description="“Reste privé”: never shown to anyone the person shares with.")


class CheckinList(Schema):
    count: int = Field(description="How many check-ins match, over all pages.")
    items: list[CheckinOut]


def checkin_out(checkin: Checkin) -> dict[str, Any]:
    return {
        **{k: val for k, val in checkin.payload.items() if k in v.CHECKIN_KEYS},
        "id": checkin.pk,
        "moment": checkin.moment,
        "local_date": checkin.local_date,
        "time_zone": checkin.time_zone,
        "created_at": checkin.created_at,
        "updated_at": checkin.updated_at,
        "private": checkin.private,
    }


def _values(data: CheckinIn) -> dict[str, Any]:
    values = data.model_dump(exclude={"moment", "private"}, exclude_none=True)
    if "indicators" in values:
        values["indicators"] = {str(k): val for k, val in values["indicators"].items()}
    return values


@router.get(
    "/checkins",
    response={200: CheckinList, **READ_ERRORS},
    operation_id="listCheckins",
    summary="List check-ins",
    description="Newest first, optionally between two local dates (both included).",
)
def list_checkins(request: HttpRequest, filters: Query[DateRange]) -> dict[str, Any]:
    qs = filter_checkins_of(owner_of(request))
    if filters.from_:
        qs = qs.filter(local_date__gte=filters.from_)
    if filters.to:
        qs = qs.filter(local_date__lte=filters.to)
    rows = qs.order_by("-local_date", "-moment", "-id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [checkin_out(c) for c in rows]}


@router.post(
    "/checkins",
    response={201: CheckinOut, **WRITE_ERRORS},
    operation_id="createCheckin",
    summary="Record a check-in",
    description="Its local date is the moment's date in the person's time zone now.",
)
def create_checkin(request: HttpRequest, data: CheckinIn) -> Status[Any]:
    checkin = services.record_checkin(
        owner_of(request), moment=data.moment, values=_values(data), private=bool(data.private)
    )
    return Status(201, checkin_out(checkin))


@router.get(
    "/checkins/{checkin_id}",
    response={200: CheckinOut, **ITEM_ERRORS},
    operation_id="getCheckin",
    summary="Read a check-in",
)
def get_checkin(request: HttpRequest, checkin_id: uuid.UUID) -> dict[str, Any]:
    return checkin_out(get_checkin_of(owner_of(request), checkin_id))


@router.put(
    "/checkins/{checkin_id}",
    response={200: CheckinOut, **ITEM_WRITE_ERRORS},
    operation_id="updateCheckin",
    summary="Replace a check-in",
    description="Every value is replaced: a value left out is removed. A new moment takes the "
    "person's current time zone; an unchanged one keeps its local date.",
)
def update_checkin(request: HttpRequest, checkin_id: uuid.UUID, data: CheckinIn) -> dict[str, Any]:
    checkin = get_checkin_of(owner_of(request), checkin_id)
    checkin = services.update_checkin(checkin, moment=data.moment, values=_values(data))
    if data.private is not None:
        checkin = services.mark_checkin_private(checkin, private=data.private)
    return checkin_out(checkin)


@router.delete(
    "/checkins/{checkin_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteCheckin",
    summary="Delete a check-in",
)
def delete_checkin(request: HttpRequest, checkin_id: uuid.UUID) -> Status[Any]:
    services.delete_checkin(get_checkin_of(owner_of(request), checkin_id))
    return Status(204, None)
