"""Loading a person's own journal rows. They never take a viewer: another person's data goes
through circle's gate first (ARCHITECTURE.md). Another person's row is a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, QuerySet

from entraide.core.access import one_or_404
from entraide.journal.models import Checkin, Indicator, JournalEntry


def filter_checkins_of(owner: Any, qs: QuerySet[Checkin] | None = None) -> QuerySet[Checkin]:
    return (Checkin.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_checkin_of(owner: Any, checkin_id: uuid.UUID | str) -> Checkin:
    return one_or_404(filter_checkins_of(owner), checkin_id)


def filter_indicators_of(owner: Any, qs: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    return (Indicator.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def indicators_of(owner: Any) -> list[Indicator]:
    """All the person's indicators, archived ones included: active ones first, in their order."""
    return list(
        filter_indicators_of(owner).order_by(F("archived_at").asc(nulls_first=True), "position", "created_at")
    )


def get_indicator_of(owner: Any, indicator_id: uuid.UUID | str) -> Indicator:
    return one_or_404(filter_indicators_of(owner), indicator_id)


def filter_entries_of(owner: Any, qs: QuerySet[JournalEntry] | None = None) -> QuerySet[JournalEntry]:
    return (JournalEntry.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_entry_of(owner: Any, entry_id: uuid.UUID | str) -> JournalEntry:
    return one_or_404(filter_entries_of(owner), entry_id)
