"""The daily digest with the real `entraide worker` process and a real SMTP server: one email per
person and local date, at the first pass at or after 08:00 in their time zone, in their language,
listing titles only; never before, never twice; none for demo accounts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from conftest import make_user
from entraide.notifications import services
from entraide.notifications.models import DigestRun, Notification
from entraide.notifications.tests.conftest import NEWS, REPLY
from tests.smtp import SMTPRecorder
from tests.workers import worker_once

pytestmark = [pytest.mark.serve, pytest.mark.django_db(transaction=True)]

PARIS, NEW_YORK, DEMO = "paris@example.org", "newyork@example.org", "demo@example.org"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)  # winter: Paris UTC+1, New York UTC-5


def test_each_person_gets_one_digest_at_eight_in_their_zone_and_language(
    data_dir: Path, smtp_server: SMTPRecorder
) -> None:
    paris = make_user("Paris", time_zone="Europe/Paris", preferred_language="fr")
    new_york = make_user("NewYork", time_zone="America/New_York", preferred_language="en")
    demo = make_user("Demo", time_zone="Europe/Paris", is_demo=True)
    for person in (paris, new_york, demo):
        services.notify(person, NEWS, title=f"Du nouveau pour {person.pseudonym}", body="Corps privé")
        services.notify(person, NEWS, title="Un deuxième titre")
    services.notify(paris, NEWS, title="Un troisième titre")
    already_read = services.notify(paris, NEWS, title="Lu dans le centre")
    services.mark_read(paris, already_read.pk)
    services.set_channel(paris, REPLY, "in_app")
    services.notify(paris, REPLY, title="Pas dans le résumé")  # in the site only

    env = {**smtp_server.env(), "SECRET_KEY": settings.SECRET_KEY}

    def texts(who: str) -> list[str]:
        return [m.text.replace("\r\n", "\n") for m in smtp_server.sent_to(who)]

    def received() -> dict[str, int]:
        return {who: len(smtp_server.sent_to(who)) for who in (PARIS, NEW_YORK, DEMO)}

    worker_once(data_dir, at=utc(15, 6, 50), **env)  # Paris 07:50, New York 01:50
    assert received() == {PARIS: 0, NEW_YORK: 0, DEMO: 0}

    worker_once(data_dir, at=utc(15, 7, 0), **env)  # Paris 08:00
    smtp_server.wait_for(to=PARIS)
    assert received() == {PARIS: 1, NEW_YORK: 0, DEMO: 0}

    worker_once(data_dir, at=utc(15, 7, 20), **env)  # Paris 08:20: the job runs again, sends nothing
    worker_once(data_dir, at=utc(15, 12, 50), **env)  # New York 07:50
    assert received() == {PARIS: 1, NEW_YORK: 0, DEMO: 0}

    worker_once(data_dir, at=utc(15, 13, 5), **env)  # New York 08:05
    smtp_server.wait_for(to=NEW_YORK)
    worker_once(data_dir, at=utc(15, 13, 35), **env)
    assert received() == {PARIS: 1, NEW_YORK: 1, DEMO: 0}

    (french,) = texts(PARIS)
    (english,) = texts(NEW_YORK)
    # The date in each one's language and zone (Django's own month names and formats).
    assert "15 janvier 2027" in french and "Jan. 15, 2027" not in french
    assert "Jan. 15, 2027" in english and "janvier" not in english
    # Titles only, unread and meant for the digest; never a body.
    assert "- Du nouveau pour Paris\n" in french and "- Un deuxième titre\n" in french
    assert french.count("\n- ") == 3 and english.count("\n- ") == 2
    for absent in ("Lu dans le centre", "Pas dans le résumé", "Corps privé"):
        assert absent not in french
    assert "Du nouveau pour NewYork" in english and "Corps privé" not in english
    for message in smtp_server.mails:
        assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.message.get_content_type() == "text/plain"  # plain text, no HTML part

    # Everything pending was handled, the demo account's too (without email).
    assert not Notification.objects.filter(channel="digest", digested_at__isnull=True).exists()
    assert DigestRun.objects.filter(user=demo).count() == 1

    # Something new after the digest waits for the next local day, not for the next pass.
    services.notify(paris, NEWS, title="Arrivé dans la journée")
    worker_once(data_dir, at=utc(15, 20, 0), **env)  # Paris 21:00
    assert received()[PARIS] == 1
    worker_once(data_dir, at=utc(16, 7, 5), **env)  # Paris 08:05 the next day
    second = smtp_server.wait_for(to=PARIS, count=2)
    text = texts(PARIS)[1]
    assert "- Arrivé dans la journée\n" in text and "Du nouveau pour Paris" not in text
    assert "16 janvier 2027" in text
    assert received() == {PARIS: 2, NEW_YORK: 1, DEMO: 0}

    # The digest's one-click link (signed by the worker) moves digest kinds to the site.
    link = second.message["List-Unsubscribe"].strip().strip("<>")
    assert link in second.text
    response = Client(enforce_csrf_checks=True).post(
        urlparse(link).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert services.channels_of(paris)[NEWS] == "in_app"
