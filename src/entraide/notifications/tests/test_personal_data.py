"""A person's notifications and choices are in their export (decrypted), and gone with them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from entraide.core import personal_data
from entraide.notifications import services
from entraide.notifications.models import DigestRun, Notification, NotificationPreference
from entraide.notifications.tests.conftest import NEWS, REPLY

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_notifications_decrypted_and_the_choices(owner, stranger):
    services.set_channel(owner, REPLY, "in_app")
    services.notify(owner, REPLY, title="Alex a répondu", body="Merci", link="/aide/")
    services.notify(stranger, REPLY, title="Pour Dominique")
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(owner)))
    notifications = json.loads(archive.read("notifications.notifications.json"))["records"]
    assert [(n["kind"], n["channel"], n["title"], n["body"], n["link"]) for n in notifications] == [
        (REPLY, "in_app", "Alex a répondu", "Merci", "/aide/")
    ]
    assert "Alex a répondu" in archive.read("notifications.notifications.csv").decode()
    preferences = json.loads(archive.read("notifications.preferences.json"))["records"]
    assert [(p["kind"], p["channel"]) for p in preferences] == [(REPLY, "in_app")]
    assert "notifications.digests.json" in archive.namelist()


def test_erasure_removes_them_and_only_theirs(owner, stranger):
    from datetime import date

    from django.utils import timezone

    for person in (owner, stranger):
        services.set_channel(person, NEWS, "in_app")
        services.notify(person, REPLY, title="t")
        DigestRun.objects.create(user=person, local_date=date(2027, 1, 15), sent_at=timezone.now())
    personal_data.erase_person(owner)
    assert list(Notification.objects.values_list("owner", flat=True)) == [stranger.pk]
    assert list(NotificationPreference.objects.values_list("user", flat=True)) == [stranger.pk]
    assert list(DigestRun.objects.values_list("user", flat=True)) == [stranger.pk]
