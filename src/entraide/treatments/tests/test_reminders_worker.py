"""Dose reminders across the Europe/Paris clock changes of 2026, with the real `entraide worker
--once --now` and a real SMTP server: each dose reminder exactly once, at the right local time; a
time that does not exist (02:30 on 2026-03-29) at the next valid minute, one that happens twice
(02:30 on 2026-10-25) once; 08:00 every day on both sides of each change. And nothing of the
treatment in the emails or the notification titles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from entraide.core import jobs
from entraide.notifications.models import Notification
from entraide.treatments import services
from entraide.treatments.models import DoseStatus, ScheduleKind
from entraide.treatments.reminders import DOSE_NOTIFICATION_KIND
from entraide.treatments.tests.factories import (
    AT_PREP,
    SECRET_DOSE,
    SECRET_FORM,
    SECRET_NAME,
    make_schedule,
    make_treatment,
)
from tests.smtp import SMTPRecorder
from tests.workers import worker_once

# Each worker pass is a process: a dozen of them need more than the default two minutes on a
# loaded machine.
pytestmark = [pytest.mark.serve, pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


@pytest.fixture
def person(owner):
    owner.time_zone = "Europe/Paris"
    owner.preferred_language = "en"
    owner.save(update_fields=["time_zone", "preferred_language"])
    return owner


def passes(data_dir: Path, smtp: SMTPRecorder, person, instants: list[str]) -> list[int]:
    """Run the worker at each instant; the number of emails the person had after each. An
    instant written twice is a second worker pass at the same time: it must add nothing."""
    counts = []
    for instant in instants:
        worker_once(data_dir, utc(instant), **smtp.env())
        counts.append(len(smtp.sent_to(person.email)))
    return counts


def links(person) -> list[str]:
    return [
        n.link
        for n in Notification.objects.filter(owner=person, kind=DOSE_NOTIFICATION_KIND).order_by("created_at")
    ]


def assert_discreet(smtp: SMTPRecorder, person) -> None:
    mails = smtp.sent_to(person.email)
    assert mails
    for mail in mails:
        raw = mail.message.as_string()
        for secret in (SECRET_NAME, SECRET_DOSE, SECRET_FORM, "Lamotrigine", "sentinelle"):
            assert secret not in mail.subject and secret not in mail.text and secret not in raw
        assert mail.subject == "[entraide] A reminder you asked for"
        assert "/traitements/prises/" in mail.text  # "note it": a page with POST buttons
    for notification in Notification.objects.filter(owner=person):
        for secret in (SECRET_NAME, SECRET_DOSE, SECRET_FORM):
            assert secret not in notification.title and secret not in notification.body


def test_spring_forward_each_dose_once_at_the_right_local_time(data_dir, smtp_server, person):
    # 02:30 does not exist in Paris on 2026-03-29 (02:00 CET -> 03:00 CEST): it fires at 03:00.
    with jobs.clock_at(utc("2026-03-27T12:00:00")):
        schedule = make_schedule(
            make_treatment(person), times=["02:30", "08:00"], starts_on=date(2026, 3, 28)
        )
    counts = passes(
        data_dir,
        smtp_server,
        person,
        [
            "2026-03-28T01:30:00",  # 02:30 CET on the 28th
            "2026-03-28T06:59:00",  # 07:59 CET
            "2026-03-28T07:00:00",  # 08:00 CET
            "2026-03-29T00:59:00",  # 01:59 CET on the 29th: the gap is next
            "2026-03-29T01:00:00",  # 03:00 CEST: the next valid minute after 02:30
            "2026-03-29T01:00:00",  # the same minute again (a second worker): nothing more
            "2026-03-29T01:30:00",  # 03:30 CEST: nothing more
            "2026-03-29T05:59:00",  # 07:59 CEST
            "2026-03-29T06:00:00",  # 08:00 CEST
            "2026-03-30T00:29:00",  # 02:29 CEST on the 30th
            "2026-03-30T00:30:00",  # 02:30 CEST
            "2026-03-30T06:00:00",  # 08:00 CEST
        ],
    )
    assert counts == [1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6]
    stamps = [link.rsplit("/", 2)[-2] for link in links(person)]
    assert stamps == [
        "20260328T013000Z",
        "20260328T070000Z",
        "20260329T010000Z",  # 03:00 CEST
        "20260329T060000Z",
        "20260330T003000Z",
        "20260330T060000Z",
    ]
    assert all(f"/traitements/prises/{schedule.pk}/" in link for link in links(person))
    assert_discreet(smtp_server, person)


def test_fall_back_each_dose_once_at_its_first_occurrence(data_dir, smtp_server, person):
    # 02:30 happens twice in Paris on 2026-10-25 (03:00 CEST -> 02:00 CET): only the first counts.
    with jobs.clock_at(utc("2026-10-23T12:00:00")):
        make_schedule(make_treatment(person), times=["02:30", "08:00"], starts_on=date(2026, 10, 24))
    counts = passes(
        data_dir,
        smtp_server,
        person,
        [
            "2026-10-24T00:30:00",  # 02:30 CEST on the 24th
            "2026-10-24T06:00:00",  # 08:00 CEST
            "2026-10-25T00:29:00",  # 02:29 CEST on the 25th
            "2026-10-25T00:30:00",  # 02:30 CEST: the first occurrence
            "2026-10-25T00:30:00",  # the same minute again (a second worker): nothing more
            "2026-10-25T01:30:00",  # 02:30 CET: the second, nothing
            "2026-10-25T06:00:00",  # 07:00 CET: nothing (08:00 CEST would have been now)
            "2026-10-25T07:00:00",  # 08:00 CET
            "2026-10-26T01:30:00",  # 02:30 CET on the 26th
            "2026-10-26T07:00:00",  # 08:00 CET
        ],
    )
    assert counts == [1, 2, 2, 3, 3, 3, 3, 4, 5, 6]
    assert_discreet(smtp_server, person)


def test_a_noted_dose_is_not_reminded_and_a_stopped_treatment_never(data_dir, smtp_server, person):
    with jobs.clock_at(utc("2026-03-28T12:00:00")):
        treatment = make_treatment(person)
        schedule = make_schedule(treatment, times=["08:00"], starts_on=date(2026, 3, 29))
    with jobs.clock_at(utc("2026-03-29T05:50:00")):  # noted at 07:50, before its reminder
        services.record_dose(schedule, due_at=utc("2026-03-29T06:00:00"), status=DoseStatus.TAKEN)
    assert passes(data_dir, smtp_server, person, ["2026-03-29T06:00:00", "2026-03-30T06:00:00"]) == [0, 1]
    with jobs.clock_at(utc("2026-03-30T12:00:00")):
        treatment.refresh_from_db()
        services.update_treatment(treatment, name=treatment.name, active=False)
    assert passes(data_dir, smtp_server, person, ["2026-03-31T06:00:00"]) == [1]


def test_on_demand_doses_follow_the_copied_pattern_in_elapsed_hours(data_dir, smtp_server, person):
    """The person starts their pattern (copied from the prescription) on the evening before the
    spring change: the doses 24 h and 48 h later are 24 and 48 elapsed hours later (23:00 CEST)."""
    with jobs.clock_at(utc("2026-03-28T20:00:00")):
        treatment = make_treatment(person)
        schedule = make_schedule(treatment, kind=ScheduleKind.ON_DEMAND, pattern=AT_PREP)
        services.start_on_demand(schedule, at=utc("2026-03-28T21:00:00"))  # 22:00 CET
    counts = passes(
        data_dir,
        smtp_server,
        person,
        [
            "2026-03-28T20:59:00",
            "2026-03-28T21:00:00",  # the first dose
            "2026-03-29T20:59:00",
            "2026-03-29T21:00:00",  # 24 h later: 23:00 CEST
            "2026-03-30T21:00:00",  # 48 h later
            "2026-03-31T21:00:00",  # the pattern is over
        ],
    )
    assert counts == [0, 1, 1, 2, 3, 3]
    stamps = [link.rsplit("/", 2)[-2] for link in links(person)]
    assert stamps == ["20260328T210000Z", "20260329T210000Z", "20260330T210000Z"]
    assert_discreet(smtp_server, person)
