"""Personal access tokens: created, revoked, and checked on every API request.

A token is ``ent_`` followed by 32 random bytes (URL-safe base64, 43 characters). Only its
SHA-256 is stored; the token is shown to its owner once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import SecurityEvent
from entraide.accounts.services import record_security_event
from entraide.api.models import PersonalToken, TokenScope
from entraide.core import mail
from entraide.core.registries import api_areas

TOKEN_PREFIX = "ent_"  # noqa: S105 — a public marker that makes tokens recognisable
_TOKEN = re.compile(r"ent_[A-Za-z0-9_-]{43}")
SHOWN_PREFIX = 8  # characters of the secret kept in clear, so the person can tell tokens apart
DURATIONS = (30, 90, 365)  # days; no token lives for ever
MAX_NAME = 80
# last_used_at is written at most once a minute: not one write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(
    owner: Any,
    *,
    name: str,
    days: int,
    areas: Mapping[str, str] | None = None,
    scope: str | None = None,
) -> tuple[PersonalToken, str]:
    """A new token and its secret, which the caller shows once and never stores.

    ``areas`` maps area keys (core.registries.api_areas) to a ``TokenScope``; ``scope`` alone is
    short for every area of the person's own space registered now, with that scope (never an area
    of what others share with them: that one is named, and read only). Callers validate the
    values first (the form does); a wrong value here is a programming error.
    """
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise ValueError("a token needs a name of at most 80 characters")
    if areas is None:
        if scope not in TokenScope.values:
            raise ValueError(f"unknown token scope {scope!r}")
        areas = {area.key: str(scope) for area in api_areas.ordered() if not area.others}
    if not areas:
        raise ValueError("a token opens at least one area")
    for area, level in areas.items():
        registered = api_areas.get(area)
        if registered is None or level not in TokenScope.values:
            raise ValueError(f"unknown area or scope {area!r}: {level!r}")
        if registered.others and level != TokenScope.READ:
            raise ValueError(f"the area {area!r} is read only")
    if days not in DURATIONS:
        raise ValueError(f"a token lasts one of {DURATIONS} days")
    stored = [f"{area}:{level}" for area, level in areas.items()]
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    now = timezone.now()
    with transaction.atomic():
        token = PersonalToken.objects.create(
            owner=owner,
            name=name,
            prefix=secret[:SHOWN_PREFIX],
            secret_hash=hash_secret(raw),
            areas=stored,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        # A token reads health data without a password: whoever made it, the person is told.
        record_security_event(owner, SecurityEvent.Kind.API_TOKEN_CREATED, areas=stored, days=days)
        mail.send_mail(
            to=owner.email,
            template_prefix="api/email/token_created",
            context={"user": owner, "token": token, "when": now, "time_zone": owner.time_zone},
            language=owner.preferred_language,
        )
    return token, raw


def revoke_token(token: PersonalToken) -> None:
    """Refused from the next request on (every request checks the token)."""
    if token.revoked_at is not None:
        return
    now = timezone.now()
    if PersonalToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        record_security_event(token.owner, SecurityEvent.Kind.API_TOKEN_REVOKED)
    token.revoked_at = now


def end_tokens_of(owner: Any, *, reason: str) -> int:
    """Revoke every token of ``owner`` still working (a new password, or "log out of the other
    sessions", ends every way in); returns how many."""
    now = timezone.now()
    with transaction.atomic():
        ended = PersonalToken.objects.filter(owner=owner, revoked_at__isnull=True, expires_at__gt=now).update(
            revoked_at=now
        )
        if ended:
            record_security_event(owner, SecurityEvent.Kind.API_TOKEN_REVOKED, count=ended, reason=reason)
    return ended


def authenticate(raw: str, *, now: datetime | None = None) -> PersonalToken | None:
    """The token for this secret, with its owner loaded, when it is neither revoked nor expired
    and its owner's account is active; else ``None``."""
    if len(raw) != len(TOKEN_PREFIX) + 43 or not _TOKEN.fullmatch(raw):
        return None
    digest = hash_secret(raw)
    token = PersonalToken.objects.select_related("owner").filter(secret_hash=digest).first()
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    now = now or timezone.now()
    if token.revoked_at is not None or token.is_expired(now) or not token.owner.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Idempotency keys (api/idempotency.py): kept a day, pruned hourly by api.tasks --------------
IDEMPOTENCY_KEPT_FOR = timedelta(hours=24)


def prune_idempotent_writes() -> int:
    """Forget keys older than 24 hours. Here, not in ``idempotency``, so the job worker prunes
    without loading the API libraries."""
    from entraide.api.models import IdempotentWrite

    return IdempotentWrite.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEPT_FOR).delete()[0]
