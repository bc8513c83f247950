"""Every write to a person's treatments, schedules, doses and side-effect notes, named
``verb_object``: pages, the API and the demo data call these, so the rules hold whatever the door.
Also the figures read from them: the doses due in a period and adherence.

Rules broken raise ``InvalidValuesError`` (``treatments.values``) listing every problem at once.
entraide never proposes a dose: an on-demand pattern is what the person copied from their
prescription, and reminders follow it as written.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.accounts.models import DEFAULT_TIME_ZONE
from entraide.core import dates, jobs
from entraide.core.errors import InvalidValuesError
from entraide.core.localtime import local_date, occurrence
from entraide.treatments import values as v
from entraide.treatments.access import (
    filter_records_of,
    filter_schedules_of,
    filter_starts_of,
    filter_treatments_of,
)
from entraide.treatments.models import (
    DoseRecord,
    DoseStatus,
    OnDemandStart,
    Schedule,
    ScheduleKind,
    SideEffectNote,
    Treatment,
)

FIXED_KINDS = frozenset({ScheduleKind.DAILY, ScheduleKind.WEEKDAYS, ScheduleKind.CYCLE})
ADHERENCE_PERIODS = (7, 30, 90)


def zone_of(owner: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(owner.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def today_of(owner: Any) -> date:
    return local_date(jobs.now(), zone_of(owner))


def _reminders() -> Any:
    from entraide.treatments import reminders

    return reminders


# --- Treatments ---------------------------------------------------------------------------------


def _clean_treatment(
    *,
    name: str,
    dose: str,
    form: str,
    prescriber: str,
    prescription_end: date | None,
    notes: str,
    renewal_days: Any,
) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    cleaned: dict[str, Any] = {
        "name": v.clean_line(name),
        "dose": v.clean_line(dose),
        "form": v.clean_line(form),
        "prescriber": v.clean_line(prescriber),
        "notes": v.clean_text(notes),
    }
    if not cleaned["name"]:
        errors["name"] = pgettext_lazy("treatment values", "Write the name of the treatment.")
    for key, limit in (("name", v.MAX_NAME), ("dose", v.MAX_DOSE), ("form", v.MAX_FORM)):
        if len(cleaned[key]) > limit:
            errors[key] = pgettext_lazy("treatment values", "Keep this under 100 characters.")
    if len(cleaned["prescriber"]) > v.MAX_PRESCRIBER:
        errors["prescriber"] = pgettext_lazy("treatment values", "Keep this under 100 characters.")
    if len(cleaned["notes"]) > v.MAX_NOTES:
        errors["notes"] = pgettext_lazy("treatment values", "Keep the notes under 2,000 characters.")
    if prescription_end is not None and not dates.in_range(prescription_end):
        errors["prescription_end"] = dates.OUT_OF_RANGE
    if (
        isinstance(renewal_days, bool)
        or not isinstance(renewal_days, int)
        or not 1 <= renewal_days <= v.MAX_RENEWAL_DAYS
    ):
        errors["renewal_days"] = pgettext_lazy("treatment values", "Choose a number of days from 1 to 60.")
    if errors:
        raise InvalidValuesError(errors)
    cleaned["prescription_end"] = prescription_end.isoformat() if prescription_end else None
    return cleaned


def create_treatment(
    owner: Any,
    *,
    name: str,
    dose: str = "",
    form: str = "",
    prescriber: str = "",
    prescription_end: date | None = None,
    notes: str = "",
    renewal_days: int = v.DEFAULT_RENEWAL_DAYS,
) -> Treatment:
    payload = _clean_treatment(
        name=name,
        dose=dose,
        form=form,
        prescriber=prescriber,
        prescription_end=prescription_end,
        notes=notes,
        renewal_days=renewal_days,
    )
    with transaction.atomic():
        if filter_treatments_of(owner).count() >= v.MAX_TREATMENTS:
            raise InvalidValuesError(
                {"limit": pgettext_lazy("treatment values", "You can keep up to 100 treatments.")}
            )
        now = timezone.now()
        treatment = Treatment(
            owner=owner, renewal_days=renewal_days, created_at=now, updated_at=now, payload=payload
        )
        treatment.save(force_insert=True)
        _reminders().sync_renewal(treatment)
    return treatment


def update_treatment(
    treatment: Treatment,
    *,
    name: str,
    dose: str = "",
    form: str = "",
    prescriber: str = "",
    prescription_end: date | None = None,
    notes: str = "",
    renewal_days: int = v.DEFAULT_RENEWAL_DAYS,
    active: bool = True,
) -> Treatment:
    payload = _clean_treatment(
        name=name,
        dose=dose,
        form=form,
        prescriber=prescriber,
        prescription_end=prescription_end,
        notes=notes,
        renewal_days=renewal_days,
    )
    with transaction.atomic():
        treatment.payload = payload
        treatment.renewal_days = renewal_days
        treatment.active = bool(active)
        treatment.updated_at = timezone.now()
        treatment.save()
        _reminders().sync_renewal(treatment)
        for schedule in treatment.schedules.all():
            schedule.treatment = treatment
            _reminders().sync_schedule(schedule)
    return treatment


def delete_treatment(treatment: Treatment) -> None:
    with transaction.atomic():
        _reminders().forget(treatment)
        treatment.delete()


# --- Schedules ----------------------------------------------------------------------------------


def _parse_time(value: Any) -> time | None:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value.strip())
        except ValueError:
            return None
        return parsed.replace(second=0, microsecond=0, tzinfo=None)
    return None


def _small_int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) < 8:
        value = int(value)
    return value if isinstance(value, int) and low <= value <= high else None


def clean_schedule(
    *,
    kind: str,
    times: Sequence[Any] = (),
    weekdays: Iterable[Any] = (),
    cycle_on: Any = None,
    cycle_off: Any = None,
    starts_on: date | None = None,
    pattern: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The schedule's fields as stored, or every problem at once."""
    errors: dict[str, str | Promise] = {}
    if kind not in ScheduleKind.values:
        raise InvalidValuesError({"kind": pgettext_lazy("schedule values", "Choose a kind of schedule.")})
    starts_on = starts_on or None
    if starts_on is not None and not dates.in_range(starts_on):
        errors["starts_on"] = dates.OUT_OF_RANGE
    cleaned: dict[str, Any] = {
        "kind": kind,
        "times": [],
        "weekdays": [],
        "cycle_on": None,
        "cycle_off": None,
        "starts_on": starts_on,
        "pattern": [],
    }
    if kind in FIXED_KINDS:
        parsed = [_parse_time(t) for t in times if not (isinstance(t, str) and not t.strip())]
        if any(t is None for t in parsed):
            errors["times"] = pgettext_lazy(
                "schedule values", "Write each time as hours and minutes, like 08:00."
            )
        elif not parsed:
            errors["times"] = pgettext_lazy("schedule values", "Give at least one time.")
        elif len(parsed) > v.MAX_TIMES:
            errors["times"] = pgettext_lazy("schedule values", "Give at most 12 times.")
        else:
            cleaned["times"] = sorted({t.strftime("%H:%M") for t in parsed if t is not None})
    if kind == ScheduleKind.WEEKDAYS:
        days = {_small_int(d, 0, 6) for d in weekdays}
        if not days or None in days:
            errors["weekdays"] = pgettext_lazy("schedule values", "Tick at least one day of the week.")
        else:
            cleaned["weekdays"] = sorted(d for d in days if d is not None)
    if kind == ScheduleKind.CYCLE:
        on = _small_int(cycle_on, 1, v.MAX_CYCLE_DAYS)
        off = _small_int(cycle_off, 0, v.MAX_CYCLE_DAYS)
        if on is None:
            errors["cycle_on"] = pgettext_lazy("schedule values", "Give a number of days from 1 to 365.")
        if off is None:
            errors["cycle_off"] = pgettext_lazy("schedule values", "Give a number of days from 0 to 365.")
        cleaned["cycle_on"], cleaned["cycle_off"] = on, off
    if kind == ScheduleKind.ON_DEMAND:
        doses = []
        bad = False
        for item in pattern:
            hours = item.get("offset_hours")
            minutes = item.get("offset_minutes")
            amount = v.clean_line(item.get("amount", ""))
            if minutes is None and hours is not None:
                hours_value = _small_int(hours, 0, v.MAX_OFFSET_HOURS)
                minutes = None if hours_value is None else hours_value * 60
            minutes = _small_int(minutes, 0, v.MAX_OFFSET_HOURS * 60)
            if minutes is None or not amount or len(amount) > v.MAX_AMOUNT:
                bad = True
                continue
            doses.append({"offset_minutes": minutes, "amount": amount})
        if bad:
            errors["pattern"] = pgettext_lazy(
                "schedule values",
                "For each dose, write the number of hours after the first one (0 to 720) and what "
                "to take, as on your prescription.",
            )
        elif not doses:
            errors["pattern"] = pgettext_lazy(
                "schedule values", "Copy at least one dose from your prescription."
            )
        elif len(doses) > v.MAX_PATTERN:
            errors["pattern"] = pgettext_lazy("schedule values", "Give at most 12 doses.")
        elif len({d["offset_minutes"] for d in doses}) != len(doses):
            errors["pattern"] = pgettext_lazy("schedule values", "Give each dose its own time.")
        cleaned["pattern"] = sorted(doses, key=lambda d: d["offset_minutes"])
    if errors:
        raise InvalidValuesError(errors)
    return cleaned


def _apply_schedule(schedule: Schedule, cleaned: dict[str, Any]) -> None:
    schedule.kind = cleaned["kind"]
    schedule.times = cleaned["times"]
    schedule.weekdays = cleaned["weekdays"]
    schedule.cycle_on = cleaned["cycle_on"]
    schedule.cycle_off = cleaned["cycle_off"]
    schedule.starts_on = cleaned["starts_on"] or schedule.starts_on or today_of(schedule.owner)
    schedule.payload = {"pattern": cleaned["pattern"]} if cleaned["pattern"] else {}


def add_schedule(treatment: Treatment, **fields: Any) -> Schedule:
    cleaned = clean_schedule(**fields)
    with transaction.atomic():
        if treatment.schedules.count() >= v.MAX_SCHEDULES:
            raise InvalidValuesError(
                {"limit": pgettext_lazy("schedule values", "A treatment can have up to 10 schedules.")}
            )
        schedule = Schedule(owner_id=treatment.owner_id, treatment=treatment, starts_on=date(2000, 1, 1))
        schedule.owner = treatment.owner
        schedule.starts_on = cleaned["starts_on"] or today_of(treatment.owner)
        _apply_schedule(schedule, cleaned)
        schedule.save(force_insert=True)
        _reminders().sync_schedule(schedule)
    return schedule


def update_schedule(schedule: Schedule, **fields: Any) -> Schedule:
    cleaned = clean_schedule(**fields)
    with transaction.atomic():
        _apply_schedule(schedule, cleaned)
        schedule.save()
        _reminders().sync_schedule(schedule)
    return schedule


def delete_schedule(schedule: Schedule) -> None:
    with transaction.atomic():
        _reminders().forget_schedule(schedule)
        schedule.delete()


def start_on_demand(schedule: Schedule, *, at: datetime) -> OnDemandStart:
    """ "I'm starting now / at T": record the first dose's instant; a reminder for each dose of
    the pattern still to come (at T + its offset, in elapsed time)."""
    if schedule.kind != ScheduleKind.ON_DEMAND:
        raise InvalidValuesError(
            {"kind": pgettext_lazy("schedule values", "Only an on-demand schedule can be started.")}
        )
    if at.utcoffset() is None:
        raise InvalidValuesError({"at": pgettext_lazy("schedule values", "Give the date and time.")})
    at = at.replace(second=0, microsecond=0)  # a dose's instant is a whole minute
    now = jobs.now()
    if not now - timedelta(days=7) <= at <= now + timedelta(days=30):
        raise InvalidValuesError(
            {
                "at": pgettext_lazy(
                    "schedule values", "Choose a moment from a week ago to thirty days from now."
                )
            }
        )
    with transaction.atomic():
        if schedule.starts.count() >= v.MAX_STARTS_KEPT:
            schedule.starts.order_by("started_at").first().delete()  # type: ignore[union-attr]
        start = OnDemandStart(owner_id=schedule.owner_id, schedule=schedule, started_at=at, payload={})
        start.owner = schedule.owner
        start.save(force_insert=True)
        _reminders().sync_start(schedule, start)
    return start


def delete_start(start: OnDemandStart) -> None:
    with transaction.atomic():
        _reminders().forget_start(start)
        start.delete()


# --- Doses --------------------------------------------------------------------------------------


@dataclass
class Dose:
    """One due dose: its schedule, its instant, what to take (on demand) and what became of it."""

    schedule: Schedule
    due_at: datetime
    amount: str = ""
    status: str = ""  # a DoseStatus, or "" when not noted

    @property
    def stamp(self) -> str:
        return v.stamp(self.due_at)


def _on_day(schedule: Schedule, day: date) -> bool:
    if day < schedule.starts_on:
        return False
    if schedule.kind == ScheduleKind.WEEKDAYS:
        return day.weekday() in schedule.weekdays
    if schedule.kind == ScheduleKind.CYCLE:
        period = (schedule.cycle_on or 1) + (schedule.cycle_off or 0)
        return (day - schedule.starts_on).days % period < (schedule.cycle_on or 1)
    return True


def due_instants(
    schedule: Schedule, zone: zoneinfo.ZoneInfo, start: datetime, end: datetime, starts: Iterable[Any] = ()
) -> list[tuple[datetime, str]]:
    """(instant, amount) of the schedule's doses due from ``start`` to ``end`` (both included).

    Fixed kinds follow the reminder primitive's rule (core.localtime): each local date once, a
    time in a spring-forward gap at the next valid minute, an ambiguous one at its first
    occurrence. On demand: each start plus each offset of the pattern, in elapsed time.
    """
    found: list[tuple[datetime, str]] = []
    if schedule.kind == ScheduleKind.ON_DEMAND:
        for each in starts:
            for dose in schedule.pattern:
                instant = each.started_at + timedelta(minutes=int(dose["offset_minutes"]))
                if start <= instant <= end:
                    found.append((instant, str(dose["amount"])))
        return sorted(found, key=lambda d: d[0])
    day = max(local_date(start, zone) - timedelta(days=1), schedule.starts_on)
    last = local_date(end, zone) + timedelta(days=1)
    times = schedule.local_times
    while day <= last:
        if _on_day(schedule, day):
            for at in times:
                instant = occurrence(day, at, zone)
                if local_date(instant, zone) == day and start <= instant <= end:
                    found.append((instant, ""))
        day += timedelta(days=1)
    return sorted(found, key=lambda d: d[0])


def doses_between(
    owner: Any,
    start: datetime,
    end: datetime,
    *,
    treatment: Treatment | None = None,
    active_only: bool = True,
) -> list[Dose]:
    """The owner's doses due from ``start`` to ``end``, each with what they noted, by time."""
    zone = zone_of(owner)
    schedules = filter_schedules_of(owner).select_related("treatment")
    if treatment is not None:
        schedules = schedules.filter(treatment_id=treatment.pk)
    if active_only:
        schedules = schedules.filter(treatment__active=True)
    schedules_list = list(schedules.order_by("treatment__created_at", "created_at"))
    starts_by: dict[Any, list[OnDemandStart]] = {}
    longest = max(
        (max((d["offset_minutes"] for d in s.pattern), default=0) for s in schedules_list), default=0
    )
    for each in filter_starts_of(owner).filter(
        schedule_id__in=[s.pk for s in schedules_list if s.kind == ScheduleKind.ON_DEMAND],
        started_at__gte=start - timedelta(minutes=longest),
        started_at__lte=end,
    ):
        starts_by.setdefault(each.schedule_id, []).append(each)
    records = {
        (r.schedule_id, r.due_at): r.status
        for r in filter_records_of(owner).filter(
            schedule_id__in=[s.pk for s in schedules_list], due_at__gte=start, due_at__lte=end
        )
    }
    doses = [
        Dose(schedule, instant, amount, records.get((schedule.pk, instant), ""))
        for schedule in schedules_list
        for instant, amount in due_instants(schedule, zone, start, end, starts_by.get(schedule.pk, []))
    ]
    return sorted(doses, key=lambda d: (d.due_at, str(d.schedule.treatment_id)))


def is_due(schedule: Schedule, due_at: datetime) -> bool:
    zone = zone_of(schedule.owner)
    starts = (
        filter_starts_of(schedule.owner).filter(schedule_id=schedule.pk)
        if schedule.kind == ScheduleKind.ON_DEMAND
        else []
    )
    return any(instant == due_at for instant, _ in due_instants(schedule, zone, due_at, due_at, starts))


def dose_at_or_before(schedule: Schedule, instant: datetime) -> datetime | None:
    """The latest dose of the schedule due at or before ``instant`` (within a day): the dose a
    reminder is about, even when it was snoozed."""
    zone = zone_of(schedule.owner)
    starts = (
        filter_starts_of(schedule.owner).filter(schedule_id=schedule.pk)
        if schedule.kind == ScheduleKind.ON_DEMAND
        else []
    )
    found = due_instants(schedule, zone, instant - timedelta(hours=25), instant, starts)
    return found[-1][0] if found else None


def record_dose(schedule: Schedule, *, due_at: datetime, status: str) -> DoseRecord:
    """Note what became of one due dose (taken, taken late, not taken); noting it again replaces
    the first note. A dose that is not in the schedule, or is more than a day ahead, is refused."""
    if status not in DoseStatus.values:
        raise InvalidValuesError(
            {"status": pgettext_lazy("dose values", "Choose taken, taken late or not taken.")}
        )
    if due_at > jobs.now() + timedelta(days=1) or not is_due(schedule, due_at):
        raise InvalidValuesError(
            {"due_at": pgettext_lazy("dose values", "This dose is not in the schedule, or not yet due.")}
        )
    with transaction.atomic():
        record = filter_records_of(schedule.owner).filter(schedule_id=schedule.pk, due_at=due_at).first()
        if record is None:
            record = DoseRecord(owner_id=schedule.owner_id, schedule=schedule, due_at=due_at, payload={})
            record.owner = schedule.owner
        record.payload = {"status": status}
        record.recorded_at = jobs.now()
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # noted at the same moment from another tab: the last one wins
            record = filter_records_of(schedule.owner).get(schedule_id=schedule.pk, due_at=due_at)
            record.payload = {"status": status}
            record.save()
    return record


def clear_dose(schedule: Schedule, *, due_at: datetime) -> None:
    filter_records_of(schedule.owner).filter(schedule_id=schedule.pk, due_at=due_at).delete()


def dose_noted(schedule_id: Any, due_at: datetime) -> bool:
    return DoseRecord.objects.filter(schedule_id=schedule_id, due_at=due_at).exists()


# --- Adherence ----------------------------------------------------------------------------------


@dataclass
class Adherence:
    """Doses due over the last ``days`` local days (today included, up to now)."""

    days: int
    scheduled: int = 0
    taken: int = 0  # on time
    late: int = 0  # taken late (counted apart from "taken")
    skipped: int = 0
    unmarked: int = 0
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # (day, scheduled, taken+late)

    @property
    def taken_share(self) -> float | None:
        """Taken on time / scheduled."""
        return self.taken / self.scheduled if self.scheduled else None

    @property
    def taken_any_share(self) -> float | None:
        """Taken (on time or late) / scheduled."""
        return (self.taken + self.late) / self.scheduled if self.scheduled else None


def adherence(owner: Any, days: int, *, treatment: Treatment | None = None) -> Adherence:
    zone = zone_of(owner)
    now = jobs.now()
    first = local_date(now, zone) - timedelta(days=days - 1)
    doses = doses_between(owner, occurrence(first, time(0, 0), zone), now, treatment=treatment)
    result = Adherence(days=days, scheduled=len(doses))
    by_day: dict[date, list[int]] = {first + timedelta(days=n): [0, 0] for n in range(days)}
    for dose in doses:
        if dose.status == DoseStatus.TAKEN:
            result.taken += 1
        elif dose.status == DoseStatus.LATE:
            result.late += 1
        elif dose.status == DoseStatus.SKIPPED:
            result.skipped += 1
        else:
            result.unmarked += 1
        counts = by_day.setdefault(local_date(dose.due_at, zone), [0, 0])
        counts[0] += 1
        counts[1] += dose.status in {DoseStatus.TAKEN, DoseStatus.LATE}
    result.per_day = [(day, c[0], c[1]) for day, c in sorted(by_day.items())]
    return result


# --- Side-effect notes --------------------------------------------------------------------------


def _clean_note(*, day: date, text: str, owner: Any) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    text = v.clean_text(text)
    if not text:
        errors["text"] = pgettext_lazy("side effect values", "Write what you noticed, in a few words.")
    elif len(text) > v.MAX_NOTE:
        errors["text"] = pgettext_lazy("side effect values", "Keep the note under 2,000 characters.")
    if day > today_of(owner) or day < dates.MIN_DATE:
        errors["day"] = pgettext_lazy("side effect values", "Choose a day up to today.")
    if errors:
        raise InvalidValuesError(errors)
    return {"text": text}


def add_side_effect(treatment: Treatment, *, day: date, text: str) -> SideEffectNote:
    payload = _clean_note(day=day, text=text, owner=treatment.owner)
    note = SideEffectNote(owner_id=treatment.owner_id, treatment=treatment, day=day, payload=payload)
    note.owner = treatment.owner
    note.save(force_insert=True)
    return note


def delete_side_effect(note: SideEffectNote) -> None:
    note.delete()
