"""The reminder primitive's cycles ("N days on, M off" from a local date) and one-off reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from entraide.core import jobs
from entraide.notifications import reminders
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
KIND = "testapp.checkin"


@pytest.fixture
def person(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def firings(reminder, after: datetime, count: int) -> list[datetime]:
    out = []
    for _ in range(count):
        after = reminders.next_fire_after(reminder, after)
        out.append(after)
    return out


def test_a_cycle_fires_on_its_days_on_only_and_not_before_its_first_day(person):
    with jobs.clock_at(utc("2026-03-20T12:00:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0), cycle=(date(2026, 3, 27), 2, 3))
    days = [
        f.astimezone(reminders.zone_of(reminder)).date().day
        for f in firings(reminder, utc("2026-03-20T00:00:00"), 6)
    ]
    assert days == [27, 28, 1, 2, 6, 7]  # 2 on, 3 off; the spring change on the 29th is an "off" day
    assert reminder.next_fire_at == utc("2026-03-27T07:00:00")  # 08:00 CET


def test_a_cycle_with_weekdays_keeps_both_rules(person):
    with jobs.clock_at(utc("2026-06-01T00:00:00")):  # Monday
        reminder = reminders.create_reminder(
            person, KIND, at=time(9, 0), weekdays=frozenset({0}), cycle=(date(2026, 6, 3), 1, 0)
        )
    assert reminder.next_fire_at == utc("2026-06-08T07:00:00")  # the first Monday from the 3rd


def test_a_one_off_reminder_fires_once_then_never_and_snoozes(person):
    with jobs.clock_at(utc("2026-10-24T12:00:00")):
        reminder = reminders.create_reminder(person, KIND, once_at=utc("2026-10-25T01:30:00"))
    assert reminder.next_fire_at == utc("2026-10-25T01:30:00") and reminder.local_time == time(2, 30)
    assert reminders.fire(reminder.pk, utc("2026-10-25T01:30:00")) is True
    reminder.refresh_from_db()
    assert reminder.next_fire_at is None
    with jobs.clock_at(utc("2026-10-25T01:40:00")):
        reminders.snooze(reminder)
    assert reminder.next_fire_at == utc("2026-10-25T02:40:00")
    assert reminders.fire(reminder.pk, utc("2026-10-25T02:40:00")) is True
    reminder.refresh_from_db()
    assert reminder.next_fire_at is None
    assert Notification.objects.filter(owner=person).count() == 2


def test_create_reminder_refuses_unclear_requests(person):
    with pytest.raises(ValueError, match="either"):
        reminders.create_reminder(person, KIND)
    with pytest.raises(ValueError, match="aware"):
        reminders.create_reminder(person, KIND, once_at=datetime(2026, 1, 1, 8, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="cycle"):
        reminders.create_reminder(person, KIND, at=time(8, 0), cycle=(date(2026, 1, 1), 0, 1))


def test_a_cycle_starting_years_ahead_fires_on_its_first_day(person):
    """Found by the API fuzzing (issue 18 item 3): days before the cycle's first one were skipped
    one by one, at most 800, so a schedule starting in more than two years raised a 500."""
    with jobs.clock_at(utc("2026-03-20T12:00:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(8, 0), cycle=(date(2199, 12, 31), 2, 3))
    assert reminder.next_fire_at == utc("2199-12-31T07:00:00")  # 08:00 CET
