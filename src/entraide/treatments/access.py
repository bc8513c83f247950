"""Loading a person's own treatments, schedules, starts, dose records and side-effect notes. They
never take a viewer: another person's data goes through circle's gate first (ARCHITECTURE.md).
Another person's row is a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from entraide.core.access import one_or_404
from entraide.treatments.models import DoseRecord, OnDemandStart, Schedule, SideEffectNote, Treatment


def filter_treatments_of(owner: Any, qs: QuerySet[Treatment] | None = None) -> QuerySet[Treatment]:
    return (Treatment.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_treatment_of(owner: Any, treatment_id: uuid.UUID | str) -> Treatment:
    return one_or_404(filter_treatments_of(owner), treatment_id)


def filter_schedules_of(owner: Any, qs: QuerySet[Schedule] | None = None) -> QuerySet[Schedule]:
    return (Schedule.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_schedule_of(owner: Any, schedule_id: uuid.UUID | str, treatment: Treatment | None = None) -> Schedule:
    """One of the owner's schedules (of ``treatment`` when given: another's is a 404 too)."""
    qs = filter_schedules_of(owner).select_related("treatment")
    if treatment is not None:
        qs = qs.filter(treatment_id=treatment.pk)
    return one_or_404(qs, schedule_id)


def filter_starts_of(owner: Any, qs: QuerySet[OnDemandStart] | None = None) -> QuerySet[OnDemandStart]:
    return (OnDemandStart.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def filter_records_of(owner: Any, qs: QuerySet[DoseRecord] | None = None) -> QuerySet[DoseRecord]:
    return (DoseRecord.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def filter_notes_of(owner: Any, qs: QuerySet[SideEffectNote] | None = None) -> QuerySet[SideEffectNote]:
    return (SideEffectNote.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_note_of(owner: Any, treatment: Treatment, note_id: uuid.UUID | str) -> SideEffectNote:
    return one_or_404(filter_notes_of(owner).filter(treatment_id=treatment.pk), note_id)
