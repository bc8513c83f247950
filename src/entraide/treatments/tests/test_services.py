"""Treatments, schedules, doses, adherence and side-effect notes through the services (in this
process; the real worker across the clock changes is in test_reminders_worker.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from entraide.core import jobs
from entraide.core.errors import InvalidValuesError
from entraide.notifications import reminders as primitive
from entraide.notifications.models import Notification, Reminder
from entraide.treatments import services
from entraide.treatments.models import DoseRecord, DoseStatus, ScheduleKind, Treatment
from entraide.treatments.reminders import DOSE_REMINDER_KIND, RENEWAL_NOTIFICATION_KIND, RENEWAL_REMINDER_KIND
from entraide.treatments.tests.factories import AT_PREP, SECRET_NAME, make_schedule, make_treatment

pytestmark = pytest.mark.django_db


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


@pytest.fixture
def person(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


def test_a_treatment_is_encrypted_at_rest(person):
    from django.db import connection

    treatment = make_treatment(person)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM treatments_treatment WHERE id = %s", [treatment.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores the UUID natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT payload FROM treatments_treatment WHERE id = %s", [treatment.pk])
            row = cursor.fetchone()
    assert SECRET_NAME.encode() not in bytes(row[0])
    assert Treatment.objects.get(pk=treatment.pk).name == SECRET_NAME


def test_treatment_rules_are_listed_at_once(person):
    with pytest.raises(InvalidValuesError) as caught:
        services.create_treatment(person, name=" ", dose="x" * 101, renewal_days=0)
    assert set(caught.value.errors) == {"name", "dose", "renewal_days"}


def test_schedule_rules(person):
    treatment = make_treatment(person)
    with pytest.raises(InvalidValuesError) as caught:
        services.add_schedule(treatment, kind="daily", times=["25:00"])
    assert set(caught.value.errors) == {"times"}
    with pytest.raises(InvalidValuesError) as caught:
        services.add_schedule(treatment, kind="weekdays", times=["08:00"], weekdays=[])
    assert set(caught.value.errors) == {"weekdays"}
    with pytest.raises(InvalidValuesError) as caught:
        services.add_schedule(treatment, kind="cycle", times=["08:00"], cycle_on=0, cycle_off=-1)
    assert set(caught.value.errors) == {"cycle_on", "cycle_off"}
    with pytest.raises(InvalidValuesError) as caught:
        services.add_schedule(treatment, kind="on_demand", pattern=[])
    assert set(caught.value.errors) == {"pattern"}
    with pytest.raises(InvalidValuesError):
        services.add_schedule(treatment, kind="on_demand", pattern=[{"offset_hours": 1, "amount": ""}])
    with pytest.raises(InvalidValuesError):
        services.add_schedule(treatment, kind="teleport", times=["08:00"])


def test_daily_times_are_sorted_and_deduplicated_with_one_reminder_each(person):
    schedule = make_schedule(make_treatment(person), times=["20:00", "08:00", "08:00"])
    assert schedule.times == ["08:00", "20:00"]
    assert Reminder.objects.filter(kind=DOSE_REMINDER_KIND, target=str(schedule.pk)).count() == 2


def test_due_instants_across_both_paris_changes_known_answers(person):
    with jobs.clock_at(utc("2026-03-01T12:00:00")):
        schedule = make_schedule(
            make_treatment(person), times=["02:30", "08:00"], starts_on=date(2026, 3, 28)
        )
    zone = services.zone_of(person)
    spring = [
        i
        for i, _ in services.due_instants(
            schedule, zone, utc("2026-03-28T00:00:00"), utc("2026-03-30T23:00:00")
        )
    ]
    assert spring == [
        utc("2026-03-28T01:30:00"),  # 02:30 CET
        utc("2026-03-28T07:00:00"),  # 08:00 CET
        utc("2026-03-29T01:00:00"),  # 02:30 does not exist: 03:00 CEST
        utc("2026-03-29T06:00:00"),  # 08:00 CEST
        utc("2026-03-30T00:30:00"),
        utc("2026-03-30T06:00:00"),
    ]
    autumn = [
        i
        for i, _ in services.due_instants(
            schedule, zone, utc("2026-10-25T00:00:00"), utc("2026-10-25T23:00:00")
        )
    ]
    assert autumn == [utc("2026-10-25T00:30:00"), utc("2026-10-25T07:00:00")]  # first 02:30; 08:00 CET


def test_reminder_next_firings_match_the_due_doses(person):
    """The primitive (cycles, weekdays) and the dose list agree: same instants, same days."""
    with jobs.clock_at(utc("2026-03-01T12:00:00")):
        treatment = make_treatment(person)
        cycle = make_schedule(
            treatment,
            kind=ScheduleKind.CYCLE,
            times=["08:00"],
            cycle_on=3,
            cycle_off=2,
            starts_on=date(2026, 3, 26),
        )
        weekly = make_schedule(
            treatment,
            kind=ScheduleKind.WEEKDAYS,
            times=["21:00"],
            weekdays=[0, 3],
            starts_on=date(2026, 3, 1),
        )
    zone = services.zone_of(person)
    for schedule in (cycle, weekly):
        reminder = Reminder.objects.get(kind=DOSE_REMINDER_KIND, target=str(schedule.pk))
        fired = []
        after = utc("2026-03-20T00:00:00")
        for _ in range(8):
            after = primitive.next_fire_after(reminder, after)
            fired.append(after)
        due = [i for i, _ in services.due_instants(schedule, zone, utc("2026-03-20T00:00:00"), fired[-1])]
        assert fired == due
    cycle_days = [
        services.local_date(i, zone).day
        for i, _ in services.due_instants(cycle, zone, utc("2026-03-20T00:00:00"), utc("2026-04-05T00:00:00"))
    ]
    assert cycle_days == [26, 27, 28, 31, 1, 2]  # 3 on, 2 off from the 26th


def test_a_dose_reminder_is_discreet_and_opens_the_dose_page(person):
    with jobs.clock_at(utc("2026-06-10T04:00:00")):
        schedule = make_schedule(make_treatment(person), times=["08:00"])
    due = utc("2026-06-10T06:00:00")
    with jobs.clock_at(due):
        primitive.fire_due_reminders.call(due.isoformat())
    [notification] = Notification.objects.filter(owner=person)
    assert notification.link == f"/traitements/prises/{schedule.pk}/20260610T060000Z/"
    assert SECRET_NAME not in notification.title and "08:00" not in notification.title


def test_a_snoozed_reminder_still_opens_its_dose(person):
    with jobs.clock_at(utc("2026-06-10T04:00:00")):
        schedule = make_schedule(make_treatment(person), times=["08:00"])
    reminder = Reminder.objects.get(kind=DOSE_REMINDER_KIND, target=str(schedule.pk))
    with jobs.clock_at(utc("2026-06-10T06:00:00")):
        primitive.fire(reminder.pk, utc("2026-06-10T06:00:00"))
        reminder.refresh_from_db()
        primitive.snooze(reminder)
    primitive.fire(reminder.pk, utc("2026-06-10T07:00:00"))
    links = list(
        Notification.objects.filter(owner=person).order_by("created_at").values_list("pk", flat=True)
    )
    assert len(links) == 2
    assert {n.link for n in Notification.objects.filter(owner=person)} == {
        f"/traitements/prises/{schedule.pk}/20260610T060000Z/"
    }


def test_on_demand_start_makes_one_reminder_per_dose_still_to_come(person):
    with jobs.clock_at(utc("2026-06-10T12:00:00")):
        schedule = make_schedule(make_treatment(person), kind=ScheduleKind.ON_DEMAND, pattern=AT_PREP)
        assert schedule.pattern == [
            {"offset_minutes": 0, "amount": "2 comprimés"},
            {"offset_minutes": 1440, "amount": "1 comprimé"},
            {"offset_minutes": 2880, "amount": "1 comprimé"},
        ]
        assert not Reminder.objects.filter(target=str(schedule.pk)).exists()  # nothing until a start
        services.start_on_demand(schedule, at=utc("2026-06-10T11:00:00"))  # the first dose, an hour ago
    once = sorted(Reminder.objects.filter(target=str(schedule.pk)).values_list("once_at", flat=True))
    assert once == [utc("2026-06-11T11:00:00"), utc("2026-06-12T11:00:00")]
    doses = services.doses_between(person, utc("2026-06-10T00:00:00"), utc("2026-06-13T00:00:00"))
    assert [(d.due_at, d.amount) for d in doses] == [
        (utc("2026-06-10T11:00:00"), "2 comprimés"),
        (utc("2026-06-11T11:00:00"), "1 comprimé"),
        (utc("2026-06-12T11:00:00"), "1 comprimé"),
    ]
    fixed = make_schedule(make_treatment(person, name="Autre"), times=["08:00"])
    with pytest.raises(InvalidValuesError):
        services.start_on_demand(fixed, at=utc("2026-06-10T11:00:00"))


def test_record_dose_replaces_and_refuses_a_dose_not_in_the_schedule(person):
    with jobs.clock_at(utc("2026-06-01T04:00:00")):
        schedule = make_schedule(make_treatment(person), times=["08:00"])
    with jobs.clock_at(utc("2026-06-10T12:00:00")):
        services.record_dose(schedule, due_at=utc("2026-06-10T06:00:00"), status=DoseStatus.TAKEN)
        services.record_dose(schedule, due_at=utc("2026-06-10T06:00:00"), status=DoseStatus.LATE)
        assert [r.status for r in DoseRecord.objects.all()] == ["late"]
        with pytest.raises(InvalidValuesError):
            services.record_dose(schedule, due_at=utc("2026-06-10T06:01:00"), status="taken")
        with pytest.raises(InvalidValuesError):
            services.record_dose(schedule, due_at=utc("2026-06-20T06:00:00"), status="taken")  # far ahead
        with pytest.raises(InvalidValuesError):
            services.record_dose(schedule, due_at=utc("2026-06-10T06:00:00"), status="forgotten")


def test_adherence_known_answer_over_7_30_90_days(person):
    """Twice a day since 2026-06-01 08:00 Paris; on 2026-06-10 at 12:00 Paris (10:00 UTC): over 7
    days 7 x 2 - 1 (20:00 today not yet due) = 13 doses; over 30 and 90 days, from June 1st: 19."""
    with jobs.clock_at(utc("2026-05-31T12:00:00")):
        schedule = make_schedule(make_treatment(person), times=["08:00", "20:00"], starts_on=date(2026, 6, 1))
    zone = services.zone_of(person)
    with jobs.clock_at(utc("2026-06-10T10:00:00")):
        for n, day in enumerate(range(4, 11)):
            due = services.occurrence(date(2026, 6, day), time(8, 0), zone)
            status = [DoseStatus.TAKEN, DoseStatus.TAKEN, DoseStatus.LATE, DoseStatus.SKIPPED][n % 4]
            services.record_dose(schedule, due_at=due, status=status)
        week, month, quarter = (services.adherence(person, days) for days in (7, 30, 90))
    assert (week.scheduled, week.taken, week.late, week.skipped, week.unmarked) == (13, 4, 2, 1, 6)
    assert (month.scheduled, month.taken, month.late, month.skipped, month.unmarked) == (19, 4, 2, 1, 12)
    assert quarter.scheduled == 19 and len(quarter.per_day) == 90
    assert week.taken_share == pytest.approx(4 / 13) and week.taken_any_share == pytest.approx(6 / 13)


def test_a_stopped_treatment_counts_nowhere_and_stops_its_reminders(person):
    treatment = make_treatment(person)
    make_schedule(treatment, times=["08:00"])
    services.update_treatment(treatment, name=treatment.name, active=False)
    assert not Reminder.objects.filter(kind=DOSE_REMINDER_KIND, enabled=True).exists()
    assert services.adherence(person, 7).scheduled == 0


def test_renewal_reminder_days_before_the_end_at_nine(person):
    with jobs.clock_at(utc("2026-06-01T12:00:00")):
        treatment = make_treatment(person, prescription_end=date(2026, 7, 1), renewal_days=5)
    reminder = Reminder.objects.get(kind=RENEWAL_REMINDER_KIND, target=str(treatment.pk))
    assert reminder.next_fire_at == utc("2026-06-26T07:00:00")  # 09:00 CEST
    due = reminder.next_fire_at
    with jobs.clock_at(due):
        primitive.fire_due_reminders.call(due.isoformat())
    [notification] = Notification.objects.filter(kind=RENEWAL_NOTIFICATION_KIND)
    assert SECRET_NAME not in notification.title
    assert notification.link == f"/traitements/{treatment.pk}/"
    with jobs.clock_at(utc("2026-06-27T12:00:00")):  # a past date: no reminder
        services.update_treatment(treatment, name=treatment.name, prescription_end=date(2026, 6, 28))
    assert not Reminder.objects.filter(kind=RENEWAL_REMINDER_KIND).exists()


def test_side_effect_notes(person):
    treatment = make_treatment(person)
    note = services.add_side_effect(treatment, day=services.today_of(person), text="  Nausée\r\nle matin ")
    assert note.text == "Nausée\nle matin"
    with pytest.raises(InvalidValuesError) as caught:
        services.add_side_effect(treatment, day=services.today_of(person) + timedelta(days=1), text="")
    assert set(caught.value.errors) == {"day", "text"}


def test_deleting_a_treatment_removes_its_reminders(person):
    treatment = make_treatment(person, prescription_end=date(2099, 1, 1))
    make_schedule(treatment, times=["08:00", "20:00"])
    assert Reminder.objects.count() == 3
    services.delete_treatment(treatment)
    assert Reminder.objects.count() == 0
