"""A person's safety plan and crisis moments in their export; gone with their account."""

from __future__ import annotations

from typing import Any

from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.safety import values as v
from entraide.safety.access import filter_moments_of, filter_plans_of
from entraide.safety.models import CrisisMoment, SafetyPlan


def export_plan(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your safety plan (Stanley and Brown): warning_signs, coping (what you can do on your own), "
            "distractions (people and places), help_people and professionals (name and phone), "
            "environment (making your surroundings safer), reasons (your reasons for living); "
            "reviewed_at is when you last saved it or read it again."
        ),
        records=[
            {
                "id": str(p.pk),
                "created_at": p.created_at,
                "updated_at": p.updated_at,
                "reviewed_at": p.reviewed_at,
                **{key: p.items(key) for key in v.STEP_KEYS},
            }
            for p in filter_plans_of(person)
        ],
    )


def export_moments(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Each time you signalled that you were not doing well: when, and from where (button: the "
            "“I'm not doing well” button; phq9: a questionnaire answer; other)."
        ),
        records=[
            {"id": str(m.pk), "created_at": m.created_at, "source": m.source}
            for m in filter_moments_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def _erase(model: type[Any]) -> Any:
    return lambda person: model.objects.filter(owner_id=person.pk).delete()


def register() -> None:
    for key, model, export in (
        ("safety.plan", SafetyPlan, export_plan),
        ("safety.crisis_moments", CrisisMoment, export_moments),
    ):
        register_export(ExportRegistration(key=key, models=(model,), export=export, order=50))
        register_erasure(ErasureRegistration(key=key, models=(model,), erase=_erase(model), order=50))
