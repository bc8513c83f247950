"""Notification emails: plain text in the recipient's language, a discreet subject (the kind's label),
no word of the notification itself, and a one-click unsubscribe (RFC 8058) unless it is a security kind."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from entraide.notifications import services
from entraide.notifications.tests.conftest import REPLY, SECURITY

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Alex a répondu à propos de ton traitement"
SECRET_BODY = "Je prends 20 mg de sertraline depuis lundi"


def test_email_is_discreet_plain_text_with_list_unsubscribe(english_owner, mailoutbox):
    services.notify(english_owner, REPLY, title=SECRET_TITLE, body=SECRET_BODY, link="/quelque-part/")
    (message,) = mailoutbox
    assert message.subject == "[entraide] A reply in the tests"  # the kind's label, nothing else
    assert message.alternatives == []  # plain text only
    everything = message.subject + message.body + str(message.extra_headers)
    for secret in (SECRET_TITLE, SECRET_BODY, "sertraline", "/quelque-part/"):
        assert secret not in everything
    assert "You have a new notification." in message.body
    assert f"{settings.SITE_URL}/notifications/" in message.body

    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{settings.SITE_URL}/notifications/desabonnement/") and header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The footer offers the same link, for mail clients that show no button.
    assert header[1:-1] in message.body
    assert f"{settings.SITE_URL}/notifications/preferences/" in message.body


def test_the_unsubscribe_header_works_in_one_click(english_owner, mailoutbox):
    services.notify(english_owner, REPLY, title="t")
    url = mailoutbox[0].extra_headers["List-Unsubscribe"][1:-1]
    # What a mail client does (RFC 8058): a POST with this body, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        urlparse(url).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert services.channels_of(english_owner)[REPLY] == "in_app"
    services.notify(english_owner, REPLY, title="t")
    assert len(mailoutbox) == 1  # still the first one only


def test_a_security_email_has_no_unsubscribe(english_owner, mailoutbox):
    services.notify(english_owner, SECURITY, title="t")
    (message,) = mailoutbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "/desabonnement/" not in message.body
    assert "cannot be turned off" in message.body


def test_every_registered_kind_emails_with_the_footer(english_owner, mailoutbox):
    """Kinds added later may bring their own template: it must still offer the way out."""
    from entraide.core.registries import notification_kinds

    kinds = notification_kinds.ordered()
    assert kinds
    for kind in kinds:
        services.set_channel(english_owner, kind.key, "email")
        services.notify(english_owner, kind.key, title="t")
    assert len(mailoutbox) == len(kinds)
    for kind, message in zip(kinds, mailoutbox, strict=True):
        assert f"{settings.SITE_URL}/notifications/preferences/" in message.body, kind.key
        if kind.security:
            assert "List-Unsubscribe" not in message.extra_headers, kind.key
        else:
            assert message.extra_headers["List-Unsubscribe"][1:-1] in message.body, kind.key
