"""Reminders across the Europe/Paris clock changes of 2026, with the real `entraide worker --once --now`
and a real SMTP server: exactly one email each day at the chosen local time, none when the condition
already holds, none after "pas aujourd'hui"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from entraide.core import jobs
from entraide.notifications import reminders
from tests.smtp import SMTPRecorder
from tests.testapp.models import CheckedDay
from tests.workers import worker_once

pytestmark = [pytest.mark.serve, pytest.mark.django_db(transaction=True)]
KIND = "testapp.checkin"


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


@pytest.fixture
def person(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


def passes(data_dir: Path, smtp: SMTPRecorder, person, instants: list[str]) -> list[int]:
    """Run the worker at each instant; how many emails the person had after each."""
    counts = []
    for instant in instants:
        worker_once(data_dir, utc(instant), **smtp.env())
        counts.append(len(smtp.sent_to(person.email)))
    return counts


def test_spring_forward_a_missing_time_fires_once_at_the_next_valid_minute(data_dir, smtp_server, person):
    # 02:30 does not exist in Paris on 2026-03-29 (02:00 CET -> 03:00 CEST): it fires at 03:00 CEST.
    with jobs.clock_at(utc("2026-03-28T12:00:00")):
        reminders.create_reminder(person, KIND, at=time(2, 30))
    counts = passes(
        data_dir,
        smtp_server,
        person,
        [
            "2026-03-29T00:30:00",  # 01:30 CET
            "2026-03-29T00:59:00",  # 01:59 CET
            "2026-03-29T01:00:00",  # 03:00 CEST: the next valid minute
            "2026-03-29T01:30:00",  # 03:30 CEST
            "2026-03-29T22:00:00",  # late evening
            "2026-03-30T00:29:00",  # 02:29 CEST the next day
            "2026-03-30T00:30:00",  # 02:30 CEST
        ],
    )
    assert counts == [0, 0, 1, 1, 1, 1, 2]
    mail = smtp_server.sent_to(person.email)[0]
    assert mail.subject == "[entraide] A reminder in the tests"  # the kind's label, discreet
    assert "/notifications/rappel/" in mail.text  # "snooze" and "not today", one click each
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_fall_back_an_ambiguous_time_fires_once_at_its_first_occurrence(data_dir, smtp_server, person):
    # 02:30 happens twice in Paris on 2026-10-25 (03:00 CEST -> 02:00 CET): only the first counts.
    with jobs.clock_at(utc("2026-10-24T12:00:00")):
        reminders.create_reminder(person, KIND, at=time(2, 30))
    counts = passes(
        data_dir,
        smtp_server,
        person,
        [
            "2026-10-25T00:29:00",  # 02:29 CEST
            "2026-10-25T00:30:00",  # 02:30 CEST: first occurrence
            "2026-10-25T01:30:00",  # 02:30 CET: second occurrence, nothing
            "2026-10-25T01:45:00",
            "2026-10-26T01:30:00",  # 02:30 CET the next day
        ],
    )
    assert counts == [0, 1, 1, 1, 2]


def test_none_when_already_done_and_none_after_not_today(data_dir, smtp_server, person):
    with jobs.clock_at(utc("2026-10-24T12:00:00")):
        reminder = reminders.create_reminder(person, KIND, at=time(2, 30))
    CheckedDay.objects.create(owner=person, day=date(2026, 10, 25))  # already checked in that day
    assert passes(data_dir, smtp_server, person, ["2026-10-25T00:30:00", "2026-10-25T01:30:00"]) == [0, 0]

    with jobs.clock_at(utc("2026-10-25T23:30:00")):  # 00:30 CET on the 26th: "pas aujourd'hui"
        reminder.refresh_from_db()
        reminders.not_today(reminder)
    counts = passes(data_dir, smtp_server, person, ["2026-10-26T01:30:00", "2026-10-27T01:30:00"])
    assert counts == [0, 1]  # nothing on the 26th, as usual on the 27th
