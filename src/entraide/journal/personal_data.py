"""A person's journal in their export; gone with their account."""

from __future__ import annotations

from typing import Any

from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.journal.access import filter_checkins_of, filter_entries_of, filter_indicators_of
from entraide.journal.models import Checkin, DayMeans, Indicator, JournalEntry, JournalSettings


def export_checkins(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your check-ins: the moment, its local date and time zone, whether you keep it private "
            "from your circle, and every value you recorded (indicators by their id, see "
            "journal.indicators)."
        ),
        records=[
            {
                "id": str(c.pk),
                "moment": c.moment,
                "local_date": c.local_date,
                "time_zone": c.time_zone,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
                "private": c.private,
                **c.payload,
            }
            for c in filter_checkins_of(person).order_by("moment", "id")
        ],
        tabular=True,
    )


def export_indicators(person: Any) -> ExportedPart:
    return ExportedPart(
        description="The indicators you created: name, kind, unit or options, order, and when archived.",
        records=[
            {
                "id": str(i.pk),
                "kind": i.kind,
                "position": i.position,
                "created_at": i.created_at,
                "archived_at": i.archived_at,
                "name": i.name,
                "unit": i.unit,
                "choices": i.choices,
            }
            for i in filter_indicators_of(person).order_by("position", "created_at")
        ],
        tabular=True,
    )


def export_entries(person: Any) -> ExportedPart:
    return ExportedPart(
        description="Your journal entries: day, whether you keep it private from your circle, title, text (Markdown), mood and tags.",
        records=[
            {
                "id": str(e.pk),
                "day": e.day,
                "created_at": e.created_at,
                "updated_at": e.updated_at,
                "private": e.private,
                **e.payload,
            }
            for e in filter_entries_of(person).order_by("day", "created_at")
        ],
        tabular=True,
    )


def export_settings(person: Any) -> ExportedPart:
    rows = JournalSettings.objects.filter(owner_id=person.pk)
    return ExportedPart(
        description="Your check-in choices: substances shown or not, and your own emotions.",
        records=[{"updated_at": s.updated_at, **s.payload} for s in rows],
    )


def _erase(model: type[Any]) -> Any:
    return lambda person: model.objects.filter(owner_id=person.pk).delete()


def register() -> None:
    for key, models, export in (
        ("journal.checkins", (Checkin,), export_checkins),
        ("journal.indicators", (Indicator,), export_indicators),
        ("journal.entries", (JournalEntry,), export_entries),
        ("journal.settings", (JournalSettings,), export_settings),
    ):
        register_export(ExportRegistration(key=key, models=models, export=export, order=20))
        register_erasure(ErasureRegistration(key=key, models=models, erase=_erase(models[0]), order=20))
    # Derived from the check-ins (their export holds every value): erased, not exported.
    register_erasure(
        ErasureRegistration(key="journal.day_means", models=(DayMeans,), erase=_erase(DayMeans), order=20)
    )
