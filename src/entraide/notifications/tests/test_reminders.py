"""Local-time reminders in this process; the real worker across DST is in test_reminders_worker.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.test import Client

from entraide.core import jobs
from entraide.notifications import reminders
from entraide.notifications.models import Notification, Reminder, ReminderFiring
from tests.testapp.models import CheckedDay

pytestmark = pytest.mark.django_db
KIND = "testapp.checkin"  # registered by tests.testapp: "already done" = a CheckedDay that local day


@pytest.fixture
def person(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def run(instant: datetime) -> None:
    with jobs.clock_at(instant):
        reminders.fire_due_reminders.call(instant.isoformat())


def sent(person) -> int:
    return Notification.objects.filter(owner=person, kind="testapp.reminder").count()


def test_a_reminder_fires_at_the_local_time_then_tomorrow(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0))
    assert reminder.next_fire_at == at("2026-06-10T08:00:00+02:00")
    run(at("2026-06-10T07:59:00+02:00"))
    assert sent(person) == 0
    run(at("2026-06-10T08:00:30+02:00"))
    run(at("2026-06-10T08:01:30+02:00"))  # a minute later: nothing more
    assert sent(person) == 1
    reminder.refresh_from_db()
    assert reminder.next_fire_at == at("2026-06-11T08:00:00+02:00")


def test_a_job_run_twice_notifies_once(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0))
    due = reminder.next_fire_at
    # Two workers racing: the second finds the reminder moved on, or the firing already recorded.
    assert reminders.fire(reminder.pk, due) is True
    Reminder.objects.filter(pk=reminder.pk).update(next_fire_at=due)  # as if the first had died
    assert reminders.fire(reminder.pk, due) is False
    assert sent(person) == 1 and ReminderFiring.objects.count() == 1


def test_no_reminder_when_it_is_already_done_that_local_day(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminders.create_reminder(person, KIND, at=time(20, 0))
    CheckedDay.objects.create(owner=person, day=date(2026, 6, 10))
    run(at("2026-06-10T20:00:00+02:00"))
    assert sent(person) == 0
    run(at("2026-06-11T20:00:00+02:00"))
    assert sent(person) == 1


def test_not_today_and_snooze(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0))
        reminders.not_today(reminder)
    run(at("2026-06-10T08:00:00+02:00"))
    assert sent(person) == 0
    run(at("2026-06-11T08:00:00+02:00"))
    assert sent(person) == 1

    with jobs.clock_at(at("2026-06-11T08:05:00+02:00")):
        reminder.refresh_from_db()
        reminders.snooze(reminder)
    run(at("2026-06-11T08:30:00+02:00"))
    assert sent(person) == 1
    run(at("2026-06-11T09:05:00+02:00"))
    assert sent(person) == 2  # once more, an hour later
    reminder.refresh_from_db()
    assert reminder.next_fire_at == at("2026-06-12T08:00:00+02:00")


def test_weekdays_only(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):  # a Wednesday
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0), weekdays=frozenset({0}))
    assert reminder.next_fire_at == at("2026-06-15T08:00:00+02:00")  # the Monday after


def test_a_reminder_found_hours_late_is_skipped_not_sent_at_night(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0))
    run(at("2026-06-10T23:00:00+02:00"))  # the worker was stopped all day
    assert sent(person) == 0
    reminder.refresh_from_db()
    assert reminder.next_fire_at == at("2026-06-11T08:00:00+02:00")


def test_email_links_snooze_and_not_today_need_no_login_and_get_changes_nothing(person):
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0))
    before = reminder.next_fire_at
    url = f"/notifications/rappel/{reminders.action_token(reminder, 'not_today')}/"
    client = Client(enforce_csrf_checks=True)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200 and "Pas aujourd" in page.content.decode()
    reminder.refresh_from_db()
    assert reminder.next_fire_at == before and reminder.skip_date is None
    assert client.post(url).status_code == 200
    reminder.refresh_from_db()
    assert reminder.skip_date is not None and reminder.next_fire_at > before

    tampered = url.replace("/rappel/", "/rappel/x")
    assert client.post(tampered).status_code == 400
