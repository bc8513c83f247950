"""The daily check-in reminder: set in the settings page, sent at the local time only on days
without a check-in, opening the check-in form, with nothing about health in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest

from conftest import text_outside_urls
from entraide.core import jobs
from entraide.journal import services
from entraide.notifications import reminders
from entraide.notifications.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def run(instant: datetime) -> None:
    with jobs.clock_at(instant):
        reminders.fire_due_reminders.call(instant.isoformat())


def token_of(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_reminder_is_set_and_changed_from_the_settings_page(owner, owner_client):
    page = owner_client.get("/journal/reglages/")
    assert page.status_code == 200
    response = owner_client.post(
        "/journal/reglages/",
        {
            "form_token": token_of(page),
            "reminder_enabled": "on",
            "reminder_time": "21:30",
            "own_emotions": "",
        },
    )
    assert response.status_code == 302
    reminder = Reminder.objects.get(owner=owner, kind="journal.checkin")
    assert reminder.enabled and reminder.local_time == time(21, 30) and reminder.next_fire_at is not None
    page = owner_client.get("/journal/reglages/")
    owner_client.post(
        "/journal/reglages/", {"form_token": token_of(page), "reminder_time": "21:30", "own_emotions": ""}
    )
    reminder.refresh_from_db()
    assert not reminder.enabled and reminder.next_fire_at is None


def test_reminder_fires_only_on_days_without_a_checkin(owner, mailoutbox):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    with jobs.clock_at(at("2026-06-10T06:00:00+02:00")):
        services.set_checkin_reminder(owner, enabled=True, at=time(20, 0))
    # 10 June: a check-in in the morning, so no reminder in the evening.
    services.record_checkin(owner, moment=at("2026-06-10T09:00:00+02:00"), values={"mood": 5})
    run(at("2026-06-10T20:00:30+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()
    # 11 June: nothing noted, so the reminder comes, at 20:00 Paris time.
    run(at("2026-06-11T19:59:00+02:00"))
    assert not Notification.objects.filter(owner=owner).exists()
    run(at("2026-06-11T20:00:30+02:00"))
    notification = Notification.objects.get(owner=owner)
    assert notification.kind == "journal.checkin_reminder"
    assert notification.link == "/journal/point/nouveau/"
    # The email: the kind's discreet subject, a link, snooze and "not today"; no health word.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    text = message.subject + message.body
    for word in ("mood", "humeur", "anxi", "check-in", "point du jour"):
        assert word not in text_outside_urls(text)
    assert "/notifications/rappel/" in message.body


def test_reminder_link_opens_the_checkin_form(owner, owner_client):
    services.set_checkin_reminder(owner, enabled=True, at=time(20, 0))
    kind = reminders.reminder_kinds.get("journal.checkin")
    reminder = Reminder.objects.get(owner=owner)
    page = owner_client.get(kind.link(reminder))
    assert page.status_code == 200
    assert 'name="mood"' in page.content.decode()


def test_weekly_summary_email_on_monday_mornings_links_last_week(owner, mailoutbox):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    with jobs.clock_at(at("2026-06-10T12:00:00+02:00")):  # a Wednesday
        reminder = services.set_weekly_summary(owner, enabled=True)
    assert reminder.next_fire_at == at("2026-06-15T09:00:00+02:00")  # the next Monday, 9:00 in Paris
    run(at("2026-06-15T09:00:30+02:00"))
    notification = Notification.objects.get(owner=owner, kind="journal.weekly_summary")
    assert notification.link == "/journal/semaine/?semaine=2026-06-08"
    message = mailoutbox[0]
    for word in ("mood", "humeur", "sleep", "sommeil"):
        assert word not in (message.subject + message.body).lower()
    services.set_weekly_summary(owner, enabled=False)
    reminder.refresh_from_db()
    assert not reminder.enabled


def test_weekly_summary_page_counts_the_week(owner):
    from datetime import timedelta

    from django.utils import timezone

    from conftest import client_for

    owner_client = client_for(owner)  # in English

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    services.record_checkin(
        owner, moment=timezone.now(), values={"mood": 6, "emotions": ["calm"], "tags": ["marche"]}
    )
    body = owner_client.get(f"/journal/semaine/?semaine={monday.isoformat()}").content.decode()
    assert "1 check-in, on 1 day(s)." in body
    assert "calm (1)" in body and "marche (1)" in body
