"""Known browsers: a sign-in from a browser an account has not used before is emailed to its owner.

The browser keeps a signed cookie listing short, keyed digests of the accounts that logged in from
it (never an id or address in clear); nothing about browsers is stored on the server.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from entraide.accounts.models import SecurityEvent, User
from entraide.core import mail

COOKIE = "entraide_browser"
MAX_ACCOUNTS = 8  # a shared family computer: a few accounts, never a growing list
SALT = "entraide.accounts.devices"


def _digest(user: User) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"device:{user.pk}".encode(), hashlib.sha256).hexdigest()[
        :16
    ]


def _known(request: HttpRequest) -> list[str]:
    try:
        value = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT)
    except signing.BadSignature:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def is_known(request: HttpRequest, user: User) -> bool:
    """Whether ``user`` signed in from this browser before (its failed logins count apart)."""
    return _digest(user) in _known(request)


def browser_key(request: HttpRequest) -> str:
    """A digest of this browser's signed cookie, empty without one: a rate-limit key that only a
    browser holding that cookie (one a login set) can use."""
    if not _known(request):
        return ""
    return hashlib.sha256(request.COOKIES[COOKIE].encode()).hexdigest()[:24]


def note_login(request: HttpRequest, user: User) -> None:
    known = _known(request)
    digest = _digest(user)
    if digest in known:
        return
    if SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGGED_IN).exists():
        # Not the very first login (right after sign-up or set-up): worth telling.
        mail.send_mail(
            to=user.email,
            template_prefix="accounts/email/new_signin",
            context={"user": user, "when": timezone.now(), "time_zone": user.time_zone},
            language=user.preferred_language,
        )
    request.entraide_known_browsers = [digest, *known][:MAX_ACCOUNTS]  # type: ignore[attr-defined]


def remember_browser(request: HttpRequest, response: HttpResponse) -> None:
    """Called on the way out: store the list ``note_login`` updated."""
    known = getattr(request, "entraide_known_browsers", None)
    if known is not None:
        response.set_cookie(
            COOKIE,
            signing.dumps(known, salt=SALT),
            max_age=400 * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
