"""notify(): one row per notification unless its kind is off, email as the channel says, once per
dedupe key, never for demo accounts, and the text encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import make_user
from entraide.core.models import OutgoingMail
from entraide.core.registries import NotificationKind
from entraide.notifications import services
from entraide.notifications.models import Notification, NotificationPreference
from entraide.notifications.tests.conftest import NEWS, REPLY, SECURITY

pytestmark = pytest.mark.django_db


def test_in_app_stores_it_and_sends_nothing(owner, mailoutbox):
    services.set_channel(owner, REPLY, "in_app")
    notification = services.notify(owner, REPLY, title="Alex a répondu", body="Merci pour ton message")
    assert notification is not None
    row = Notification.objects.get(pk=notification.pk)
    assert (row.owner, row.kind, row.channel) == (owner, REPLY, "in_app")
    assert row.content == {"title": "Alex a répondu", "body": "Merci pour ton message", "link": ""}
    assert row.read_at is None and row.emailed_at is None
    assert len(mailoutbox) == 0


def test_email_stores_it_and_emails_once_now(owner, mailoutbox):
    notification = services.notify(owner, REPLY, title="Alex a répondu", body="Un texte privé")  # default
    assert notification is not None and notification.channel == "email"
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["camille@example.org"]


def test_digest_stores_it_for_the_digest_and_sends_nothing_now(owner, mailoutbox):
    notification = services.notify(owner, NEWS, title="Nouveau dans ton groupe")  # default: digest
    assert notification is not None
    row = Notification.objects.get(pk=notification.pk)
    assert row.channel == "digest" and row.digested_at is None and row.emailed_at is None
    assert len(mailoutbox) == 0


def test_off_stores_nothing_and_sends_nothing(owner, mailoutbox):
    services.set_channel(owner, REPLY, "off")
    assert services.notify(owner, REPLY, title="Alex a répondu") is None
    assert not Notification.objects.exists()
    assert len(mailoutbox) == 0


def test_a_preference_is_per_person(owner, stranger, mailoutbox):
    services.set_channel(owner, REPLY, "off")
    assert services.notify(owner, REPLY, title="t") is None
    assert services.notify(stranger, REPLY, title="t") is not None
    assert [m.to for m in mailoutbox] == [["dominique@example.org"]]


def test_a_security_kind_is_always_emailed_and_cannot_be_turned_off(owner, mailoutbox):
    with pytest.raises(services.SecurityKindError):
        services.set_channel(owner, SECURITY, "off")
    with pytest.raises(services.SecurityKindError):
        services.set_channel(owner, SECURITY, "in_app")
    assert not NotificationPreference.objects.exists()
    # Even a row written behind the services' back does not silence it.
    NotificationPreference.objects.create(user=owner, kind=SECURITY, channel="off")
    notification = services.notify(owner, SECURITY, title="Nouvelle connexion")
    assert notification is not None and notification.channel == "email"
    assert len(mailoutbox) == 1
    assert services.channels_of(owner)[SECURITY] == "email"


def test_a_security_kind_must_default_to_email():
    with pytest.raises(ValueError, match="always emailed"):
        NotificationKind(key="x.y", label="x", description="", default_channel="digest", security=True)
    with pytest.raises(ValueError, match="unknown channel"):
        NotificationKind(key="x.y", label="x", description="", default_channel="loud")


def test_unknown_kinds_and_channels_are_refused(owner):
    with pytest.raises(LookupError):
        services.notify(owner, "nobody.registered_this", title="t")
    with pytest.raises(ValueError, match="unknown channel"):
        services.set_channel(owner, REPLY, "loud")


def test_a_link_must_be_a_path_on_this_site(owner):
    for link in ("https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="path on this site"):
            services.notify(owner, REPLY, title="t", link=link)
    assert not Notification.objects.exists()


def test_the_same_dedupe_key_creates_and_sends_one(owner, mailoutbox):
    first = services.notify(owner, REPLY, title="Rappel", dedupe_key="reminder:1:2026-03-29")
    again = services.notify(owner, REPLY, title="Rappel", dedupe_key="reminder:1:2026-03-29")
    assert first is not None and again is not None and again.pk == first.pk
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1
    # Another key, another kind, or no key at all: separate notifications.
    services.notify(owner, REPLY, title="Rappel", dedupe_key="reminder:1:2026-03-30")
    services.notify(owner, NEWS, title="Rappel", dedupe_key="reminder:1:2026-03-29")
    services.notify(owner, REPLY, title="Sans clé")
    services.notify(owner, REPLY, title="Sans clé")
    assert Notification.objects.count() == 5


def test_the_same_dedupe_key_for_two_people_is_two_notifications(owner, stranger):
    services.notify(owner, REPLY, title="t", dedupe_key="k")
    services.notify(stranger, REPLY, title="t", dedupe_key="k")
    assert Notification.objects.count() == 2


def test_demo_accounts_get_the_notification_but_no_email_is_even_queued(mailoutbox):
    demo = make_user("Demo", is_demo=True)
    notification = services.notify(demo, REPLY, title="Alex a répondu")
    assert notification is not None and notification.emailed_at is None
    assert not OutgoingMail.objects.exists()
    assert len(mailoutbox) == 0


def test_the_text_is_encrypted_at_rest(owner):
    services.notify(owner, REPLY, title="Titre sentinelle", body="Corps sentinelle", link="/lien-sentinelle/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM notifications_notification")
        (blob,) = cursor.fetchone()
    raw = bytes(blob)
    assert raw and b"sentinelle" not in raw
    assert Notification.objects.get().title == "Titre sentinelle"


def test_unread_count_and_marking_read(owner, stranger):
    mine = [services.notify(owner, REPLY, title=f"n{i}") for i in range(3)]
    services.notify(stranger, REPLY, title="pas à Camille")
    assert services.unread_count(owner) == 3
    services.mark_read(owner, mine[0].pk)
    services.mark_read(owner, mine[0].pk)  # twice: still read once, at the first time
    assert services.unread_count(owner) == 2
    assert services.mark_all_read(owner) == 2
    assert services.unread_count(owner) == 0
    assert services.unread_count(stranger) == 1


def test_marking_someone_elses_notification_is_a_404(owner, stranger):
    from django.http import Http404

    theirs = services.notify(stranger, REPLY, title="t")
    with pytest.raises(Http404):
        services.mark_read(owner, theirs.pk)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
