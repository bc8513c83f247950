"""Thought records: ``/thought-records`` and the distortions they name, ``/thought-distortions``.
The rules are thoughts.services'; these schemas only describe them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.endpoints.checkins import Emotion
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    DateRange,
    Day,
    Input,
)
from entraide.thoughts import services
from entraide.thoughts import values as v
from entraide.thoughts.access import filter_thoughts_of, get_thought_of
from entraide.thoughts.models import ThoughtRecord

router = area_router("thoughts", tags=["thought records"])
router.add_decorator(in_owner_zone)

# thoughts.values.DISTORTIONS, spelled out so that the schema lists them (a test keeps them equal).
DistortionKey = Literal[
    "all_or_nothing",
    "overgeneralisation",
    "mental_filter",
    "discounting_positive",
    "jumping_to_conclusions",
    "magnification",
    "emotional_reasoning",
    "should_statements",
    "labelling",
    "personalisation",
]
ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["18:40"])]
Intensity = Annotated[int, Field(ge=0, le=v.MAX_INTENSITY)]
Text = Annotated[str, Field(max_length=v.MAX_TEXT)]


class EmotionIn(Input):
    """A listed emotion (``emotion``) or one in the person's own words (``own``): one of the two."""

    emotion: Emotion | None = None
    own: str | None = Field(None, max_length=v.MAX_OWN_WORD, description="The person's own word.")
    before: Intensity | None = Field(None, description="How strong at the start, 0 to 100.")
    after: Intensity | None = Field(None, description="How strong at the end, 0 to 100.")


class ThoughtIn(Input):
    day: Day = Field(description="The local day of the moment (today or earlier).")
    time: ClockTime | None = Field(None, description="The local time of the moment (hh:mm), if known.")
    situation: Text = Field("", description="What happened. The situation or the thought is needed.")
    thought: Text = Field("", description="The automatic thought, as it came.")
    emotions: list[EmotionIn] = Field([], max_length=v.MAX_EMOTIONS)
    distortions: list[DistortionKey] = Field(
        [], max_length=len(v.DISTORTIONS), description="Keys from GET /thought-distortions."
    )
    evidence_for: Text = ""
    evidence_against: Text = ""
    balanced_thought: Text = ""
    private: bool | None = Field(
        None,
        description="“Reste privé”: never shown to anyone the person shares with. Left out: false "
        "for a new one, unchanged when replacing.",
    )


class FollowUpIn(Input):
    on: Day = Field(description="The day of the follow-up: from the record's day to today.")
    note: Text = Field("", description="How it went. A note or an intensity is needed.")
    intensity: Intensity | None = Field(None, description="How strong the feeling is now, 0 to 100.")


class EmotionOut(Schema):
    emotion: Emotion | None = Field(description="The listed emotion's key, or null for one's own word.")
    own: str | None = Field(description="The person's own word, or null for a listed emotion.")
    name: str = Field(description="The emotion in the reader's language, or the person's own word.")
    before: int | None
    after: int | None


class FollowUpOut(Schema):
    on: date
    note: str
    intensity: int | None


class ThoughtOut(Schema):
    id: uuid.UUID
    day: date
    time: str | None
    situation: str
    thought: str
    emotions: list[EmotionOut]
    distortions: list[DistortionKey]
    evidence_for: str
    evidence_against: str
    balanced_thought: str
    follow_up: FollowUpOut | None = Field(description="“Et maintenant ?”: null until written.")
    private: bool = Field(description="“Reste privé”: never shown to anyone the person shares with.")
    created_at: datetime
    updated_at: datetime


class ThoughtList(Schema):
    count: int = Field(description="How many records match, over all pages.")
    items: list[ThoughtOut]


class ThoughtFilters(DateRange):
    q: str = Field(
        "", max_length=200, description="Only records holding every word (case and accents aside)."
    )


class DistortionOut(Schema):
    key: DistortionKey
    name: str
    explanation: str
    example: str


def thought_out(record: ThoughtRecord) -> dict[str, Any]:
    p = record.payload
    follow_up = None
    if record.follow_up_on is not None:
        follow_up = {
            "on": record.follow_up_on,
            "note": p.get("follow_up_note", ""),
            "intensity": p.get("follow_up_intensity"),
        }
    return {
        "id": record.pk,
        "day": record.day,
        "time": p.get("time"),
        "situation": p.get("situation", ""),
        "thought": p.get("thought", ""),
        "emotions": [
            {
                "emotion": e.get("emotion"),
                "own": e.get("own"),
                "name": services.emotion_name(e),
                "before": e.get("before"),
                "after": e.get("after"),
            }
            for e in p.get("emotions", [])
        ],
        "distortions": p.get("distortions", []),
        "evidence_for": p.get("evidence_for", ""),
        "evidence_against": p.get("evidence_against", ""),
        "balanced_thought": p.get("balanced_thought", ""),
        "follow_up": follow_up,
        "private": record.private,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _in_range(day: date, filters: ThoughtFilters) -> bool:
    return (filters.from_ is None or day >= filters.from_) and (filters.to is None or day <= filters.to)


@router.get(
    "/thought-records",
    response={200: ThoughtList, **READ_ERRORS},
    operation_id="listThoughtRecords",
    summary="List thought records",
    description="Newest first, optionally between two local days (both included) and holding words.",
)
def list_thoughts(request: HttpRequest, filters: Query[ThoughtFilters]) -> dict[str, Any]:
    owner = owner_of(request)
    end = filters.offset + filters.limit
    if filters.q.strip():
        # Records are encrypted: the search reads them in memory (thoughts.services).
        found = [r for r in services.search_thoughts(owner, filters.q) if _in_range(r.day, filters)]
        return {"count": len(found), "items": [thought_out(r) for r in found[filters.offset : end]]}
    qs = filter_thoughts_of(owner)
    if filters.from_:
        qs = qs.filter(day__gte=filters.from_)
    if filters.to:
        qs = qs.filter(day__lte=filters.to)
    rows = qs.order_by("-day", "-created_at", "-id")[filters.offset : end]
    return {"count": qs.count(), "items": [thought_out(r) for r in rows]}


@router.post(
    "/thought-records",
    response={201: ThoughtOut, **WRITE_ERRORS},
    operation_id="createThoughtRecord",
    summary="Write a thought record",
)
def create_thought(request: HttpRequest, data: ThoughtIn) -> Status[Any]:
    record = services.create_thought(
        owner_of(request), **data.model_dump(exclude={"private"}), private=bool(data.private)
    )
    return Status(201, thought_out(record))


@router.get(
    "/thought-records/{thought_id}",
    response={200: ThoughtOut, **ITEM_ERRORS},
    operation_id="getThoughtRecord",
    summary="Read a thought record",
)
def get_thought(request: HttpRequest, thought_id: uuid.UUID) -> dict[str, Any]:
    return thought_out(get_thought_of(owner_of(request), thought_id))


@router.put(
    "/thought-records/{thought_id}",
    response={200: ThoughtOut, **ITEM_WRITE_ERRORS},
    operation_id="updateThoughtRecord",
    summary="Replace a thought record",
    description="Every field is replaced (a field left out takes its default, empty); the follow-up stays.",
)
def update_thought(request: HttpRequest, thought_id: uuid.UUID, data: ThoughtIn) -> dict[str, Any]:
    record = get_thought_of(owner_of(request), thought_id)
    record = services.update_thought(record, **data.model_dump(exclude={"private"}))
    if data.private is not None:
        record = services.mark_thought_private(record, private=data.private)
    return thought_out(record)


@router.delete(
    "/thought-records/{thought_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteThoughtRecord",
    summary="Delete a thought record",
)
def delete_thought(request: HttpRequest, thought_id: uuid.UUID) -> Status[Any]:
    services.delete_thought(get_thought_of(owner_of(request), thought_id))
    return Status(204, None)


@router.put(
    "/thought-records/{thought_id}/follow-up",
    response={200: ThoughtOut, **ITEM_WRITE_ERRORS},
    operation_id="setThoughtFollowUp",
    summary="Write or replace the follow-up of a thought record",
    description="“Et maintenant ?”: some time later, how it went and how strong the feeling is now.",
)
def set_follow_up(request: HttpRequest, thought_id: uuid.UUID, data: FollowUpIn) -> dict[str, Any]:
    record = get_thought_of(owner_of(request), thought_id)
    return thought_out(services.record_follow_up(record, **data.model_dump()))


@router.delete(
    "/thought-records/{thought_id}/follow-up",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteThoughtFollowUp",
    summary="Remove the follow-up of a thought record",
)
def delete_follow_up(request: HttpRequest, thought_id: uuid.UUID) -> Status[Any]:
    services.clear_follow_up(get_thought_of(owner_of(request), thought_id))
    return Status(204, None)


@router.get(
    "/thought-distortions",
    response={200: list[DistortionOut], **READ_ERRORS},
    operation_id="listThoughtDistortions",
    summary="List the thinking traps (cognitive distortions)",
    description="The ten a record can name, in their usual order, with a plain explanation and an "
    "everyday example in the reader's language (Accept-Language).",
)
def list_distortions(request: HttpRequest) -> list[dict[str, Any]]:
    owner_of(request)  # owner only, like every operation
    return [
        {"key": d.key, "name": str(d.name), "explanation": str(d.explanation), "example": str(d.example)}
        for d in v.DISTORTIONS.values()
    ]
