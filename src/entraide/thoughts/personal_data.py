"""A person's thought records in their export; gone with their account."""

from __future__ import annotations

from typing import Any

from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.thoughts.access import filter_thoughts_of
from entraide.thoughts.models import ThoughtRecord

KEY = "thoughts.records"


def export_records(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your thought records: the day (and time) of the moment, the situation, the automatic "
            "thought, emotions with their intensity before and after (0 to 100; listed emotions by "
            "their key, your own words as written), the thinking traps ticked (by their key), the "
            "evidence for and against, the balanced thought, the follow-up if you wrote one, and "
            "whether you keep it private from your circle."
        ),
        records=[
            {
                "id": str(r.pk),
                "day": r.day,
                "follow_up_on": r.follow_up_on,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
                "private": r.private,
                **r.payload,
            }
            for r in filter_thoughts_of(person).order_by("day", "created_at", "id")
        ],
        tabular=True,
    )


def erase_records(person: Any) -> object:
    return filter_thoughts_of(person).delete()


def register() -> None:
    register_export(ExportRegistration(key=KEY, models=(ThoughtRecord,), export=export_records, order=30))
    register_erasure(ErasureRegistration(key=KEY, models=(ThoughtRecord,), erase=erase_records, order=30))
