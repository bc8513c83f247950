"""Treatments, their schedules, on-demand starts, side-effect notes, doses and adherence: the
treatments app's router, registered in api/v1.py in one line. The rules are entraide.treatments'
services (shared with the pages); these schemas only describe them. Owner only: another person's
treatment is a 404."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import pgettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Input,
    Instant,
    Page,
)
from entraide.core.errors import InvalidValuesError
from entraide.core.localtime import occurrence
from entraide.treatments import services
from entraide.treatments import values as v
from entraide.treatments.access import (
    filter_notes_of,
    filter_treatments_of,
    get_note_of,
    get_schedule_of,
    get_treatment_of,
)
from entraide.treatments.models import Schedule, SideEffectNote, Treatment

treatments_router = Router(tags=["treatments"])

ScheduleKindName = Literal["daily", "weekdays", "cycle", "on_demand"]  # treatments.models.ScheduleKind
DoseStatusName = Literal["taken", "late", "skipped"]  # treatments.models.DoseStatus
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]
MAX_DOSE_SPAN = 92  # days of doses in one answer


# --- Treatments ---------------------------------------------------------------------------------


class TreatmentIn(Input):
    name: str = Field(max_length=v.MAX_NAME, description="Needed: as on the prescription.")
    dose: str = Field("", max_length=v.MAX_DOSE)
    form: str = Field("", max_length=v.MAX_FORM)
    prescriber: str = Field("", max_length=v.MAX_PRESCRIBER)
    prescription_end: Day | None = Field(None, description="Optional: a renewal reminder comes before it.")
    renewal_days: int = Field(v.DEFAULT_RENEWAL_DAYS, ge=1, le=v.MAX_RENEWAL_DAYS)
    notes: str = Field("", max_length=v.MAX_NOTES)


class TreatmentUpdate(TreatmentIn):
    active: bool = Field(True, description="False once stopped: history kept, reminders stopped.")


class TreatmentOut(Schema):
    id: uuid.UUID
    name: str
    dose: str
    form: str
    prescriber: str
    prescription_end: date | None
    renewal_days: int
    notes: str
    active: bool
    created_at: datetime
    updated_at: datetime


class TreatmentList(Schema):
    count: int
    items: list[TreatmentOut]


class TreatmentFilters(Page):
    active: bool | None = Field(None, description="Only current (true) or stopped (false) treatments.")


def treatment_out(t: Treatment) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "dose": t.dose,
        "form": t.form,
        "prescriber": t.prescriber,
        "prescription_end": t.prescription_end,
        "renewal_days": t.renewal_days,
        "notes": t.notes,
        "active": t.active,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


@treatments_router.get(
    "/treatments",
    response={200: TreatmentList, **READ_ERRORS},
    operation_id="listTreatments",
    summary="List treatments",
    description="Current ones first, then in the order they were added.",
)
def list_treatments(request: HttpRequest, filters: Query[TreatmentFilters]) -> dict[str, Any]:
    qs = filter_treatments_of(owner_of(request))
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    rows = qs.order_by("-active", "created_at", "id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [treatment_out(t) for t in rows]}


@treatments_router.post(
    "/treatments",
    response={201: TreatmentOut, **WRITE_ERRORS},
    operation_id="createTreatment",
    summary="Add a treatment",
    description="At most 100 treatments (beyond, 422 with the field `limit`).",
)
def create_treatment(request: HttpRequest, data: TreatmentIn) -> Status[Any]:
    return Status(201, treatment_out(services.create_treatment(owner_of(request), **data.model_dump())))


@treatments_router.get(
    "/treatments/{treatment_id}",
    response={200: TreatmentOut, **ITEM_ERRORS},
    operation_id="getTreatment",
    summary="Read a treatment",
)
def get_treatment(request: HttpRequest, treatment_id: uuid.UUID) -> dict[str, Any]:
    return treatment_out(get_treatment_of(owner_of(request), treatment_id))


@treatments_router.put(
    "/treatments/{treatment_id}",
    response={200: TreatmentOut, **ITEM_WRITE_ERRORS},
    operation_id="updateTreatment",
    summary="Replace a treatment",
    description="Every field is replaced (a field left out takes its default); schedules stay.",
)
def update_treatment(request: HttpRequest, treatment_id: uuid.UUID, data: TreatmentUpdate) -> dict[str, Any]:
    treatment = get_treatment_of(owner_of(request), treatment_id)
    return treatment_out(services.update_treatment(treatment, **data.model_dump()))


@treatments_router.delete(
    "/treatments/{treatment_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteTreatment",
    summary="Delete a treatment with its schedules, doses and notes",
)
def delete_treatment(request: HttpRequest, treatment_id: uuid.UUID) -> Status[Any]:
    services.delete_treatment(get_treatment_of(owner_of(request), treatment_id))
    return Status(204, None)


# --- Schedules ----------------------------------------------------------------------------------


class PatternDose(Schema):
    offset_minutes: int = Field(
        ge=0, le=v.MAX_OFFSET_HOURS * 60, description="After the first dose (0: the first)."
    )
    amount: str = Field(min_length=1, max_length=v.MAX_AMOUNT, description="What to take, as prescribed.")


class ScheduleIn(Input):
    kind: ScheduleKindName
    times: list[LocalTime] = Field([], max_length=v.MAX_TIMES, description="Local times (not for on_demand).")
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        [], max_length=7, description="0 is Monday (kind weekdays only)."
    )
    cycle_on: int | None = Field(None, ge=1, le=v.MAX_CYCLE_DAYS, description="Days on (kind cycle only).")
    cycle_off: int | None = Field(None, ge=0, le=v.MAX_CYCLE_DAYS, description="Days off (kind cycle only).")
    starts_on: Day | None = Field(None, description="First day (and a cycle's first day on); today if null.")
    pattern: list[PatternDose] = Field(
        [],
        max_length=v.MAX_PATTERN,
        description="On demand only: the doses copied from the prescription. entraide proposes none.",
    )


class ScheduleOut(Schema):
    id: uuid.UUID
    treatment_id: uuid.UUID
    kind: ScheduleKindName
    times: list[str]
    weekdays: list[int]
    cycle_on: int | None
    cycle_off: int | None
    starts_on: date
    pattern: list[PatternDose]
    created_at: datetime


def schedule_out(s: Schedule) -> dict[str, Any]:
    return {
        "id": s.pk,
        "treatment_id": s.treatment_id,
        "kind": s.kind,
        "times": s.times,
        "weekdays": s.weekdays,
        "cycle_on": s.cycle_on,
        "cycle_off": s.cycle_off,
        "starts_on": s.starts_on,
        "pattern": s.pattern,
        "created_at": s.created_at,
    }


SCHEDULE_RULES = (
    "daily: times; weekdays: times and weekdays; cycle: times, cycle_on and cycle_off, counted from "
    "starts_on; on_demand: a pattern, reminded after each start. Reminders at the person's local "
    "times; a time that does not exist that day is reminded at the next valid minute, one that "
    "happens twice once. At most 10 schedules a treatment."
)


@treatments_router.get(
    "/treatments/{treatment_id}/schedules",
    response={200: list[ScheduleOut], **ITEM_ERRORS},
    operation_id="listTreatmentSchedules",
    summary="List a treatment's schedules",
)
def list_schedules(request: HttpRequest, treatment_id: uuid.UUID) -> list[dict[str, Any]]:
    treatment = get_treatment_of(owner_of(request), treatment_id)
    return [schedule_out(s) for s in treatment.schedules.order_by("created_at", "id")]


@treatments_router.post(
    "/treatments/{treatment_id}/schedules",
    response={201: ScheduleOut, **ITEM_WRITE_ERRORS},
    operation_id="createTreatmentSchedule",
    summary="Add a schedule",
    description=SCHEDULE_RULES,
)
def create_schedule(request: HttpRequest, treatment_id: uuid.UUID, data: ScheduleIn) -> Status[Any]:
    treatment = get_treatment_of(owner_of(request), treatment_id)
    return Status(201, schedule_out(services.add_schedule(treatment, **data.model_dump())))


@treatments_router.get(
    "/treatments/{treatment_id}/schedules/{schedule_id}",
    response={200: ScheduleOut, **ITEM_ERRORS},
    operation_id="getTreatmentSchedule",
    summary="Read a schedule",
)
def get_schedule(request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    return schedule_out(get_schedule_of(owner, schedule_id, get_treatment_of(owner, treatment_id)))


@treatments_router.put(
    "/treatments/{treatment_id}/schedules/{schedule_id}",
    response={200: ScheduleOut, **ITEM_WRITE_ERRORS},
    operation_id="updateTreatmentSchedule",
    summary="Replace a schedule",
    description=SCHEDULE_RULES,
)
def update_schedule(
    request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID, data: ScheduleIn
) -> dict[str, Any]:
    owner = owner_of(request)
    schedule = get_schedule_of(owner, schedule_id, get_treatment_of(owner, treatment_id))
    return schedule_out(services.update_schedule(schedule, **data.model_dump()))


@treatments_router.delete(
    "/treatments/{treatment_id}/schedules/{schedule_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteTreatmentSchedule",
    summary="Delete a schedule, its reminders and its noted doses",
)
def delete_schedule(request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID) -> Status[Any]:
    owner = owner_of(request)
    services.delete_schedule(get_schedule_of(owner, schedule_id, get_treatment_of(owner, treatment_id)))
    return Status(204, None)


class StartIn(Input):
    at: Instant = Field(
        description="The first dose's time, with its offset (from 7 days ago to 30 days ahead)."
    )


class StartOut(Schema):
    id: uuid.UUID
    schedule_id: uuid.UUID
    started_at: datetime


@treatments_router.post(
    "/treatments/{treatment_id}/schedules/{schedule_id}/starts",
    response={201: StartOut, **ITEM_WRITE_ERRORS},
    operation_id="startOnDemandSchedule",
    summary="Start an on-demand pattern",
    description="Each dose of the pattern is reminded at `at` plus its offset (elapsed time). "
    "Only for an on-demand schedule (else 422).",
)
def start_schedule(
    request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID, data: StartIn
) -> Status[Any]:
    owner = owner_of(request)
    schedule = get_schedule_of(owner, schedule_id, get_treatment_of(owner, treatment_id))
    at = data.at
    if at.utcoffset() is None:
        raise InvalidValuesError(
            {
                "at": pgettext_lazy(
                    "treatments api", "Give the time with its offset, like 2026-06-01T20:00:00+02:00."
                )
            }
        )
    start = services.start_on_demand(schedule, at=at)
    return Status(201, {"id": start.pk, "schedule_id": schedule.pk, "started_at": start.started_at})


# --- Side-effect notes --------------------------------------------------------------------------


class SideEffectIn(Input):
    day: Day = Field(description="Up to today, in the person's time zone.")
    text: str = Field(min_length=1, max_length=v.MAX_NOTE)


class SideEffectOut(Schema):
    id: uuid.UUID
    treatment_id: uuid.UUID
    day: date
    text: str
    created_at: datetime


def note_out(n: SideEffectNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "treatment_id": n.treatment_id,
        "day": n.day,
        "text": n.text,
        "created_at": n.created_at,
    }


@treatments_router.get(
    "/treatments/{treatment_id}/side-effects",
    response={200: list[SideEffectOut], **ITEM_ERRORS},
    operation_id="listSideEffects",
    summary="List a treatment's side-effect notes",
    description="Newest first.",
)
def list_notes(request: HttpRequest, treatment_id: uuid.UUID) -> list[dict[str, Any]]:
    owner = owner_of(request)
    treatment = get_treatment_of(owner, treatment_id)
    notes = filter_notes_of(owner).filter(treatment_id=treatment.pk).order_by("-day", "-created_at")
    return [note_out(n) for n in notes]


@treatments_router.post(
    "/treatments/{treatment_id}/side-effects",
    response={201: SideEffectOut, **ITEM_WRITE_ERRORS},
    operation_id="addSideEffect",
    summary="Note a side effect",
)
def add_note(request: HttpRequest, treatment_id: uuid.UUID, data: SideEffectIn) -> Status[Any]:
    treatment = get_treatment_of(owner_of(request), treatment_id)
    return Status(201, note_out(services.add_side_effect(treatment, day=data.day, text=data.text)))


@treatments_router.delete(
    "/treatments/{treatment_id}/side-effects/{note_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteSideEffect",
    summary="Delete a side-effect note",
)
def delete_note(request: HttpRequest, treatment_id: uuid.UUID, note_id: uuid.UUID) -> Status[Any]:
    owner = owner_of(request)
    services.delete_side_effect(get_note_of(owner, get_treatment_of(owner, treatment_id), note_id))
    return Status(204, None)


# --- Doses and adherence ------------------------------------------------------------------------


class DoseOut(Schema):
    schedule_id: uuid.UUID
    treatment_id: uuid.UUID
    due_at: datetime = Field(description="When it is due (UTC).")
    dose_at: str = Field(description="The dose's key in URLs: its due time as YYYYMMDDTHHMMSSZ.")
    amount: str = Field(description="What to take, for an on-demand dose; empty otherwise.")
    status: DoseStatusName | None = Field(description="What was noted; null if nothing yet.")


class DoseFilters(Schema):
    start: Day | None = Field(None, description="First local day (default: today).")
    end: Day | None = Field(None, description="Last local day (default: start); at most 92 days in all.")
    treatment_id: uuid.UUID | None = Field(None, description="Only this treatment's doses.")


class DoseIn(Input):
    status: DoseStatusName


@treatments_router.get(
    "/doses",
    response={200: list[DoseOut], **READ_ERRORS},
    operation_id="listDoses",
    summary="List the doses due over some days",
    description="Every dose of the current treatments due on those local days, with what was noted.",
)
def list_doses(request: HttpRequest, filters: Query[DoseFilters]) -> Any:
    owner = owner_of(request)
    zone = services.zone_of(owner)
    start = filters.start or services.today_of(owner)
    end = filters.end or start
    if end < start or (end - start).days >= MAX_DOSE_SPAN:
        raise InvalidValuesError(
            {
                "end": pgettext_lazy(
                    "treatments api", "Give an end on or after the start, at most 92 days in all."
                )
            }
        )
    treatment = get_treatment_of(owner, filters.treatment_id) if filters.treatment_id else None
    doses = services.doses_between(
        owner,
        occurrence(start, time(0, 0), zone),
        occurrence(end + timedelta(days=1), time(0, 0), zone) - timedelta(seconds=1),
        treatment=treatment,
    )
    return [
        {
            "schedule_id": d.schedule.pk,
            "treatment_id": d.schedule.treatment_id,
            "due_at": d.due_at,
            "dose_at": d.stamp,
            "amount": d.amount,
            "status": d.status or None,
        }
        for d in doses
    ]


def _dose(request: HttpRequest, schedule_id: uuid.UUID, dose_at: str) -> tuple[Schedule, datetime]:
    schedule = get_schedule_of(owner_of(request), schedule_id)
    due_at = v.parse_stamp(dose_at)
    if due_at is None or not services.is_due(schedule, due_at):
        raise Http404
    return schedule, due_at


@treatments_router.put(
    "/doses/{schedule_id}/{dose_at}",
    response={200: DoseOut, **ITEM_WRITE_ERRORS},
    operation_id="noteDose",
    summary="Note a dose: taken, taken late or skipped",
    description="`dose_at` as listed by listDoses. Noting again replaces the first note.",
)
def note_dose(request: HttpRequest, schedule_id: uuid.UUID, dose_at: str, data: DoseIn) -> dict[str, Any]:
    schedule, due_at = _dose(request, schedule_id, dose_at)
    services.record_dose(schedule, due_at=due_at, status=data.status)
    return {
        "schedule_id": schedule.pk,
        "treatment_id": schedule.treatment_id,
        "due_at": due_at,
        "dose_at": v.stamp(due_at),
        "amount": "",
        "status": data.status,
    }


@treatments_router.delete(
    "/doses/{schedule_id}/{dose_at}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="clearDose",
    summary="Forget what was noted for a dose",
)
def clear_dose(request: HttpRequest, schedule_id: uuid.UUID, dose_at: str) -> Status[Any]:
    schedule, due_at = _dose(request, schedule_id, dose_at)
    services.clear_dose(schedule, due_at=due_at)
    return Status(204, None)


class AdherenceOut(Schema):
    days: int = Field(description="The last N local days, today included, up to now.")
    scheduled: int = Field(description="Doses due in that time.")
    taken: int = Field(description="Noted as taken (on time).")
    late: int = Field(description="Noted as taken late (not counted in taken).")
    skipped: int = Field(description="Noted as not taken.")
    unmarked: int = Field(description="Nothing noted.")
    taken_share: float | None = Field(description="taken / scheduled; null without scheduled doses.")
    taken_any_share: float | None = Field(description="(taken + late) / scheduled.")


class AdherenceFilters(Schema):
    treatment_id: uuid.UUID | None = Field(None, description="Only this treatment.")


@treatments_router.get(
    "/adherence",
    response={200: list[AdherenceOut], **READ_ERRORS, 404: ITEM_ERRORS[404]},
    operation_id="getAdherence",
    summary="Doses taken over 7, 30 and 90 days",
    description="Current treatments only. Figures, not a judgement.",
)
def get_adherence(request: HttpRequest, filters: Query[AdherenceFilters]) -> list[dict[str, Any]]:
    owner = owner_of(request)
    treatment = get_treatment_of(owner, filters.treatment_id) if filters.treatment_id else None
    out = []
    for days in services.ADHERENCE_PERIODS:
        a = services.adherence(owner, days, treatment=treatment)
        out.append(
            {
                "days": days,
                "scheduled": a.scheduled,
                "taken": a.taken,
                "late": a.late,
                "skipped": a.skipped,
                "unmarked": a.unmarked,
                "taken_share": a.taken_share,
                "taken_any_share": a.taken_any_share,
            }
        )
    return out


router = area_router("treatments")
router.add_decorator(in_owner_zone)
router.add_router("", treatments_router)
