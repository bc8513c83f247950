"""Notifying people, their choices per kind, the daily digest and unsubscribing.

Every notification is stored in its owner's centre unless they turned its kind off; the kind's
channel then decides whether it is also emailed now, or listed in the next daily digest. Emails
are discreet: the kind's label as subject, a link to the centre, never the notification's body.
"""

from __future__ import annotations

import logging
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.functional import Promise

from entraide.accounts.models import DEFAULT_TIME_ZONE, User
from entraide.core import jobs, mail
from entraide.core.localtime import local_date, occurrence
from entraide.core.registries import (
    DIGEST,
    EMAIL,
    IN_APP,
    NOTIFICATION_CHANNELS,
    OFF,
    NotificationKind,
    notification_kinds,
)
from entraide.notifications.access import filter_notifications_of, get_notification_of
from entraide.notifications.models import DigestRun, Notification, NotificationPreference

logger = logging.getLogger(__name__)

DIGEST_TIME = time(8, 0)  # local time, in each person's zone
DIGEST_TEMPLATE = "notifications/email/digest"
GENERIC_TEMPLATE = "notifications/email/notification"  # "you have a new notification" and a link
UNSUBSCRIBE_SALT = "entraide.notifications.unsubscribe"
# What an unsubscribe token names instead of a kind when it comes from a digest email.
ALL_DIGESTS = "*digest"


class NotificationError(Exception):
    pass


class SecurityKindError(NotificationError):
    """Security notifications (a new sign-in…) cannot be turned off nor moved out of email."""


class InvalidTokenError(NotificationError):
    """An unsubscribe link that was altered, or whose person or kind no longer exists."""


# --- Kinds and preferences ---------------------------------------------------------------------


def get_kind(kind_key: str) -> NotificationKind:
    kind = notification_kinds.get(kind_key)
    if kind is None:
        raise LookupError(f"unknown notification kind {kind_key!r}: register it in its app's ready()")
    return kind


def preferences_of(user: User) -> dict[str, str]:
    """The person's explicit choices, by kind (kinds they never changed are absent)."""
    rows = NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    return dict(rows)


def channels_of(user: User) -> dict[str, str]:
    """The channel in force for every registered kind (choice, default, or forced for security)."""
    chosen = preferences_of(user)
    return {kind.key: kind.channel_for(chosen.get(kind.key)) for kind in notification_kinds.ordered()}


def channel_of(user: User, kind: NotificationKind) -> str:
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind.key)
        .values_list("channel", flat=True)
        .first()
    )
    return kind.channel_for(chosen)


def set_channel(user: User, kind_key: str, channel: str) -> None:
    """Choose how one kind reaches the person. Security kinds stay on email."""
    kind = get_kind(kind_key)
    if channel not in NOTIFICATION_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if kind.security:
        if channel != EMAIL:
            raise SecurityKindError(kind_key)
        return
    NotificationPreference.objects.update_or_create(user=user, kind=kind.key, defaults={"channel": channel})


# --- Notifying ---------------------------------------------------------------------------------


def notify(
    recipient: User,
    kind_key: str,
    *,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
    email_links: Sequence[tuple[str | Promise, str]] = (),
) -> Notification | None:
    """Tell ``recipient`` something, as their preference for the kind says.

    ``title`` is short and discreet: it may be listed in a digest email. ``body`` is shown only in
    the centre (encrypted, to its owner). ``link`` is a path on this site (``/…``). Callers that may
    run twice (jobs) pass a ``dedupe_key``: a second call with the same key creates nothing and
    sends nothing, and returns the first notification. Returns None when the kind is turned off.
    ``email_links`` (label, absolute URL) are added to an email sent now (a reminder's "snooze").
    """
    kind = get_kind(kind_key)
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("a notification's link is a path on this site, starting with one '/'")
    channel = channel_of(recipient, kind)
    if channel == OFF:
        return None
    now = jobs.now()
    emailing = channel == EMAIL and _may_email(recipient)
    notification = Notification(
        owner=recipient,
        kind=kind.key,
        channel=channel,
        created_at=now,
        emailed_at=now if emailing else None,
        content={"title": title, "body": body, "link": link},
        dedupe_key=dedupe_key,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            if not dedupe_key:
                raise
            return filter_notifications_of(recipient).filter(kind=kind.key, dedupe_key=dedupe_key).first()
        if emailing:
            _email_now(recipient, kind, notification, email_links)
    return notification


def _may_email(user: User) -> bool:
    """Demo accounts never receive email; deactivated accounts neither."""
    return user.is_active and not user.is_demo and bool(user.email)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _footer_context(user: User, token_kind: str | None) -> dict[str, Any]:
    """What every notification email's footer shows: where to choose, and how to stop."""
    context: dict[str, Any] = {
        "centre_url": _absolute(reverse("notifications:centre")),
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "unsubscribe_url": "",
    }
    if token_kind is not None:
        context["unsubscribe_url"] = unsubscribe_url(user, token_kind)
    return context


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST to ``url`` in one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _email_now(
    recipient: User,
    kind: NotificationKind,
    notification: Notification,
    links: Sequence[tuple[str | Promise, str]] = (),
) -> None:
    context = _footer_context(recipient, None if kind.security else kind.key)
    context.update(
        {
            "links": [{"label": label, "url": url} for label, url in links],
            "kind_label": kind.label,
            "security": kind.security,
            # For a kind's own template, only when its titles are discreet; the generic one omits it.
            "title": notification.title,
        }
    )
    mail.send_mail(
        to=recipient.email,
        template_prefix=kind.email_template or GENERIC_TEMPLATE,
        context=context,
        language=recipient.preferred_language,
        time_zone=recipient.time_zone,
        headers=unsubscribe_headers(context["unsubscribe_url"]) if context["unsubscribe_url"] else None,
    )


# --- The centre --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return filter_notifications_of(user).filter(read_at__isnull=True).count()


def mark_read(user: User, notification_id: uuid.UUID | str) -> Notification:
    """Mark one of the person's notifications read (another person's: 404)."""
    notification = get_notification_of(user, notification_id)
    if notification.read_at is None:
        notification.read_at = jobs.now()
        # An update, not a save: the encrypted content is not written again.
        filter_notifications_of(user).filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user: User) -> int:
    return filter_notifications_of(user).filter(read_at__isnull=True).update(read_at=jobs.now())


# --- The daily digest --------------------------------------------------------------------------


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def send_due_digests(at: datetime) -> int:
    """Send each person's digest of the day if it is 08:00 or later where they live and it was not
    sent yet that local date. Returns how many were emailed. Safe to run any number of times."""
    owner_ids = list(
        Notification.objects.filter(channel=DIGEST, digested_at__isnull=True)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return sum(send_digest(owner_id, at) for owner_id in owner_ids)


def send_digest(user_id: uuid.UUID, at: datetime) -> bool:
    """One person's digest, once per local date, at or after 08:00 in their zone: the titles of
    their unread digest notifications and a link to the centre. Returns whether it was emailed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    zone = _zone(user)
    day = local_date(at, zone)
    if (
        at < occurrence(day, DIGEST_TIME, zone)
        or DigestRun.objects.filter(user=user, local_date=day).exists()
    ):
        return False  # too early, or done today: what came since waits for tomorrow's
    with transaction.atomic():
        pending = list(
            filter_notifications_of(user)
            .filter(channel=DIGEST, digested_at__isnull=True)
            .order_by("created_at", "id")
        )
        unread = [n for n in pending if n.read_at is None]
        if unread:
            try:
                with transaction.atomic():
                    DigestRun.objects.create(user=user, local_date=day, sent_at=at, notifications=len(unread))
            except IntegrityError:
                return False  # another worker sent today's digest a moment ago
        # Those read in the centre meanwhile are not listed, only marked.
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=at)
        if not unread or not _may_email(user):
            return False
        context = _footer_context(user, ALL_DIGESTS)
        context.update({"day": day, "titles": [n.title for n in unread], "count": len(unread)})
        mail.send_mail(
            to=user.email,
            template_prefix=DIGEST_TEMPLATE,
            context=context,
            language=user.preferred_language,
            time_zone=user.time_zone,
            headers=unsubscribe_headers(context["unsubscribe_url"]),
        )
    return True


# --- Unsubscribing (links in emails, no login) -------------------------------------------------


def unsubscribe_token(user: User, kind_key: str) -> str:
    """A signed, non-expiring token naming the person and the kind (or ALL_DIGESTS): a link in an
    email must keep working for as long as the email is kept."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk.hex, "k": kind_key})


def unsubscribe_url(user: User, kind_key: str) -> str:
    return _absolute(
        reverse("notifications:unsubscribe", kwargs={"unsubscribe_token": unsubscribe_token(user, kind_key)})
    )


@dataclass(frozen=True)
class UnsubscribeTarget:
    user: User
    kind_key: str  # a kind's key, or ALL_DIGESTS

    @property
    def kind(self) -> NotificationKind | None:
        return None if self.kind_key == ALL_DIGESTS else get_kind(self.kind_key)


def read_unsubscribe_token(token: str) -> UnsubscribeTarget:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        user_id = uuid.UUID(hex=str(data["u"]))
        kind_key = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidTokenError from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind_key != ALL_DIGESTS and notification_kinds.get(kind_key) is None):
        raise InvalidTokenError
    return UnsubscribeTarget(user, kind_key)


def unsubscribe(target: UnsubscribeTarget) -> list[NotificationKind]:
    """Stop the emails the token names: its kind (or every kind in the digest) goes to "in the
    site only" — not "off": a one-click link, which a mail filter may follow, should stop email,
    not hide things from the person. Returns the kinds changed (none when already done)."""
    kind = target.kind
    if kind is not None and kind.security:
        raise SecurityKindError(kind.key)
    current = channels_of(target.user)
    if kind is None:
        changed = [k for k in notification_kinds.ordered() if not k.security and current[k.key] == DIGEST]
    else:
        changed = [kind] if current[kind.key] in {EMAIL, DIGEST} else []
    with transaction.atomic():
        for each in changed:
            set_channel(target.user, each.key, IN_APP)
    if changed:
        logger.info("notification email stopped by an unsubscribe link (%d kind(s))", len(changed))
    return changed
