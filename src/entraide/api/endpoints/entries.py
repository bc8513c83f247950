"""Journal entries: ``/entries``. The body is Markdown (a safe subset)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    DateRange,
    Day,
    Input,
)
from entraide.core.content.markdown import render_entry
from entraide.journal import services
from entraide.journal import values as v
from entraide.journal.access import filter_entries_of, get_entry_of
from entraide.journal.models import JournalEntry

router = area_router("journal", tags=["journal entries"])
router.add_decorator(in_owner_zone)

Word = Annotated[str, Field(max_length=v.MAX_TAG)]


class EntryIn(Input):
    day: Day = Field(description="The day it is about (today or earlier).")
    title: str = Field("", max_length=services.MAX_ENTRY_TITLE)
    body: str = Field(
        "", max_length=services.MAX_ENTRY_BODY, description="Markdown. A title or a body is needed."
    )
    mood: int | None = Field(None, ge=0, le=10)
    tags: list[Word] = Field([], max_length=v.MAX_TAGS)
    private: bool | None = Field(
        None,
        description="“Reste privé”: never shown to anyone the person shares with. Left out: false "
        "for a new one, unchanged when replacing.",
    )


class EntryOut(Schema):
    id: uuid.UUID
    day: date
    title: str
    body: str = Field(description="Markdown, as written.")
    html: str = Field(description="The body rendered to safe HTML, as the site shows it.")
    mood: int | None
    tags: list[str]
    private: bool = Field(description="“Reste privé”: never shown to anyone the person shares with.")
    created_at: datetime
    updated_at: datetime


class EntryList(Schema):
    count: int
    items: list[EntryOut]


class EntryFilters(DateRange):
    q: str = Field(
        "", max_length=200, description="Only entries holding every word (case and accents aside)."
    )


def entry_out(entry: JournalEntry) -> dict[str, Any]:
    p = entry.payload
    return {
        "id": entry.pk,
        "day": entry.day,
        "title": p.get("title", ""),
        "body": p.get("body", ""),
        "html": str(render_entry(p.get("body", ""))),
        "mood": p.get("mood"),
        "tags": p.get("tags", []),
        "private": entry.private,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def _in_range(day: date, filters: EntryFilters) -> bool:
    return (filters.from_ is None or day >= filters.from_) and (filters.to is None or day <= filters.to)


@router.get(
    "/entries",
    response={200: EntryList, **READ_ERRORS},
    operation_id="listEntries",
    summary="List journal entries",
    description="Newest first, optionally between two days (both included) and holding words.",
)
def list_entries(request: HttpRequest, filters: Query[EntryFilters]) -> dict[str, Any]:
    owner = owner_of(request)
    end = filters.offset + filters.limit
    if filters.q.strip():
        # Entries are encrypted: the search reads them in memory (journal.services).
        found = [e for e in services.search_entries(owner, filters.q) if _in_range(e.day, filters)]
        return {"count": len(found), "items": [entry_out(e) for e in found[filters.offset : end]]}
    qs = filter_entries_of(owner)
    if filters.from_:
        qs = qs.filter(day__gte=filters.from_)
    if filters.to:
        qs = qs.filter(day__lte=filters.to)
    rows = qs.order_by("-day", "-created_at", "-id")[filters.offset : end]
    return {"count": qs.count(), "items": [entry_out(e) for e in rows]}


@router.post(
    "/entries",
    response={201: EntryOut, **WRITE_ERRORS},
    operation_id="createEntry",
    summary="Write a journal entry",
)
def create_entry(request: HttpRequest, data: EntryIn) -> Status[Any]:
    entry = services.create_entry(
        owner_of(request), **data.model_dump(exclude={"private"}), private=bool(data.private)
    )
    return Status(201, entry_out(entry))


@router.get(
    "/entries/{entry_id}",
    response={200: EntryOut, **ITEM_ERRORS},
    operation_id="getEntry",
    summary="Read a journal entry",
)
def get_entry(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    return entry_out(get_entry_of(owner_of(request), entry_id))


@router.put(
    "/entries/{entry_id}",
    response={200: EntryOut, **ITEM_WRITE_ERRORS},
    operation_id="updateEntry",
    summary="Replace a journal entry",
    description="Every field is replaced: a field left out takes its default (empty).",
)
def update_entry(request: HttpRequest, entry_id: uuid.UUID, data: EntryIn) -> dict[str, Any]:
    entry = get_entry_of(owner_of(request), entry_id)
    entry = services.update_entry(entry, **data.model_dump(exclude={"private"}))
    if data.private is not None:
        entry = services.mark_entry_private(entry, private=data.private)
    return entry_out(entry)


@router.delete(
    "/entries/{entry_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteEntry",
    summary="Delete a journal entry",
)
def delete_entry(request: HttpRequest, entry_id: uuid.UUID) -> Status[Any]:
    services.delete_entry(get_entry_of(owner_of(request), entry_id))
    return Status(204, None)
