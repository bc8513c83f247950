"""The questionnaire reminder: at the person's local time, only on the day a questionnaire comes
back (and once more a week later), opening the questionnaires, never naming one."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from conftest import text_outside_urls
from entraide.assessments import services
from entraide.assessments.tests.factories import make_response
from entraide.core import jobs
from entraide.notifications import reminders
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db

NAMES = ("phq", "gad", "who", "oms", "questionnaire", "depress", "anxi", "bien-être", "well-being")


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def run(instant: datetime) -> None:
    with jobs.clock_at(instant):
        reminders.fire_due_reminders.call(instant.isoformat())


@pytest.fixture
def paris_owner(owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    return owner


def test_reminder_fires_only_when_a_questionnaire_is_due(paris_owner, mailoutbox):
    owner = paris_owner
    make_response(owner, "phq9", at=at("2026-06-01T09:00:00+02:00"))  # due on 15 June
    with jobs.clock_at(at("2026-06-01T10:00:00+02:00")):
        services.set_questionnaire_reminder(owner, enabled=True, at=time(18, 0))
    for day in range(1, 15):  # 1 to 14 June: nothing due
        run(at(f"2026-06-{day:02d}T18:00:30+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()
    run(at("2026-06-15T17:59:00+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()
    run(at("2026-06-15T18:00:30+02:00"))
    notification = Notification.objects.get(owner=owner)
    assert notification.kind == "assessments.due"
    assert notification.link == "/questionnaires/"
    # Nothing names the questionnaire: not the title, not the email.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    for text in (notification.title, message.subject, message.body):
        assert not any(word in text_outside_urls(text) for word in NAMES), text
    for day in range(16, 22):
        run(at(f"2026-06-{day:02d}T18:00:30+02:00"))
    assert Notification.objects.filter(owner=owner).count() == 1
    run(at("2026-06-22T18:00:30+02:00"))  # a week after the due day, still not answered: once more
    assert Notification.objects.filter(owner=owner).count() == 2
    run(at("2026-06-29T18:00:30+02:00"))  # then nothing more
    assert Notification.objects.filter(owner=owner).count() == 2


def test_answering_stops_the_reminder(paris_owner):
    owner = paris_owner
    make_response(owner, "gad7", at=at("2026-06-01T09:00:00+02:00"))
    with jobs.clock_at(at("2026-06-01T10:00:00+02:00")):
        services.set_questionnaire_reminder(owner, enabled=True, at=time(18, 0))
    make_response(owner, "gad7", at=at("2026-06-15T08:00:00+02:00"))  # answered that morning
    for day in range(1, 29):
        run(at(f"2026-06-{day:02d}T18:00:30+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()  # answered on the due day: nothing
    run(at("2026-06-29T18:00:30+02:00"))  # two weeks after that answer
    assert Notification.objects.filter(owner=owner).count() == 1


def test_no_rhythm_no_reminder(paris_owner):
    owner = paris_owner
    make_response(owner, "who5", at=at("2026-06-01T09:00:00+02:00"))
    services.set_schedule(owner, questionnaire="who5", every_days=0)
    with jobs.clock_at(at("2026-06-01T10:00:00+02:00")):
        services.set_questionnaire_reminder(owner, enabled=True, at=time(18, 0))
    for day in range(1, 31):
        run(at(f"2026-06-{day:02d}T18:00:30+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()
