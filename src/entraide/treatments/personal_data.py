"""A person's treatments, schedules, on-demand starts, noted doses and side-effect notes in their
export; gone with their account (their reminders go with the notifications app's)."""

from __future__ import annotations

from typing import Any

from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.treatments.access import (
    filter_notes_of,
    filter_records_of,
    filter_schedules_of,
    filter_starts_of,
    filter_treatments_of,
)
from entraide.treatments.models import DoseRecord, OnDemandStart, Schedule, SideEffectNote, Treatment


def export_treatments(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your treatments as you described them: name, dose, form, prescriber, prescription end "
            "date, notes, whether it is current, and how many days before the end you are reminded."
        ),
        records=[
            {
                "id": str(t.pk),
                "active": t.active,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
                "name": t.name,
                "dose": t.dose,
                "form": t.form,
                "prescriber": t.prescriber,
                "prescription_end": t.prescription_end,
                "renewal_days": t.renewal_days,
                "notes": t.notes,
            }
            for t in filter_treatments_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_schedules(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "When you take each treatment: kind (daily, weekdays, cycle, on_demand), local times, "
            "weekdays (0 is Monday), days on and off of a cycle, first day, and for on demand the "
            "pattern you copied from your prescription (minutes after the first dose, what to take)."
        ),
        records=[
            {
                "id": str(s.pk),
                "treatment_id": str(s.treatment_id),
                "kind": s.kind,
                "times": s.times,
                "weekdays": s.weekdays,
                "cycle_on": s.cycle_on,
                "cycle_off": s.cycle_off,
                "starts_on": s.starts_on,
                "created_at": s.created_at,
                "pattern": s.pattern,
            }
            for s in filter_schedules_of(person).order_by("created_at", "id")
        ],
    )


def export_starts(person: Any) -> ExportedPart:
    return ExportedPart(
        description="Each time you started an on-demand pattern: the schedule and the first dose's time.",
        records=[
            {"id": str(s.pk), "schedule_id": str(s.schedule_id), "started_at": s.started_at}
            for s in filter_starts_of(person).order_by("started_at", "id")
        ],
        tabular=True,
    )


def export_doses(person: Any) -> ExportedPart:
    return ExportedPart(
        description="Each dose you noted: the schedule, when it was due, and taken, late or skipped.",
        records=[
            {
                "id": str(r.pk),
                "schedule_id": str(r.schedule_id),
                "due_at": r.due_at,
                "recorded_at": r.recorded_at,
                "status": r.status,
            }
            for r in filter_records_of(person).order_by("due_at", "id")
        ],
        tabular=True,
    )


def export_notes(person: Any) -> ExportedPart:
    return ExportedPart(
        description="Your side-effect notes: the treatment, the day and your words.",
        records=[
            {
                "id": str(n.pk),
                "treatment_id": str(n.treatment_id),
                "day": n.day,
                "created_at": n.created_at,
                "text": n.text,
            }
            for n in filter_notes_of(person).order_by("day", "created_at", "id")
        ],
        tabular=True,
    )


def _erase(model: type[Any]) -> Any:
    return lambda person: model.objects.filter(owner_id=person.pk).delete()


def register() -> None:
    # Children first: a treatment's deletion would cascade anyway; the list keeps the rule visible.
    for key, model, export in (
        ("treatments.doses", DoseRecord, export_doses),
        ("treatments.side_effects", SideEffectNote, export_notes),
        ("treatments.starts", OnDemandStart, export_starts),
        ("treatments.schedules", Schedule, export_schedules),
        ("treatments.treatments", Treatment, export_treatments),
    ):
        register_export(ExportRegistration(key=key, models=(model,), export=export, order=40))
        register_erasure(ErasureRegistration(key=key, models=(model,), erase=_erase(model), order=40))
