"""Account events from allauth and Django, turned into session marks and security events."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.signals import email_changed, password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from entraide.accounts import devices, roles, services
from entraide.accounts.middleware import LAST_SEEN, LOGIN_AT
from entraide.accounts.models import SecurityEvent, User

# Every other way into the account must end: its password was changed, reset or set, or the
# person logged out of their other sessions. Sent with ``user``, ``request`` (may be ``None``) and
# ``reason`` ("password" or "logout_everywhere"); the API ends the person's tokens.
ways_in_ended = Signal()

# Where allauth keeps the session's authentications (allauth.account.internal.flows.login).
AUTHENTICATION_RECORDS_KEY = "account_authentication_methods"


@receiver(user_logged_in, dispatch_uid="entraide_logged_in")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
        devices.note_login(request, user)
        _spare_second_password_prompt(request, user)
    services.record_security_event(user, SecurityEvent.Kind.LOGGED_IN)


def _spare_second_password_prompt(request: HttpRequest, user: User) -> None:
    """allauth asks for the password again before adding a second factor, even right after a login.
    A role holder is sent to enrolment straight from the login: the password they have just typed
    counts as that confirmation (for allauth's usual 5 minutes)."""
    if getattr(request, "user", None) is not user:  # a login made outside a request (tests, scripts)
        return
    if not roles.requires_second_factor(request) or is_mfa_enabled(user):
        return
    records = request.session.get(AUTHENTICATION_RECORDS_KEY) or []
    if records and records[-1].get("method") == "password":
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_RECORDS_KEY] = records


@receiver(user_login_failed, dispatch_uid="entraide_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Recorded only for an existing account, and without the address typed (it may be a typo of
    # someone else's).
    email = str(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None:
        services.record_security_event(user, SecurityEvent.Kind.LOGIN_FAILED)


@receiver(password_changed, dispatch_uid="entraide_password_changed")
def on_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.record_security_event(user, SecurityEvent.Kind.PASSWORD_CHANGED)
    ways_in_ended.send(sender=User, user=user, request=request, reason="password")


@receiver(password_reset, dispatch_uid="entraide_password_reset")
def on_password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.record_security_event(user, SecurityEvent.Kind.PASSWORD_RESET)
    ways_in_ended.send(sender=User, user=user, request=request, reason="password")


@receiver(password_set, dispatch_uid="entraide_password_set")
def on_password_set(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    ways_in_ended.send(sender=User, user=user, request=request, reason="password")


@receiver(email_changed, dispatch_uid="entraide_email_changed")
def on_email_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.record_security_event(user, SecurityEvent.Kind.EMAIL_CHANGED)


@receiver(authenticator_added, dispatch_uid="entraide_mfa_added")
def on_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    services.record_security_event(user, SecurityEvent.Kind.MFA_ENABLED, type=str(authenticator.type))


@receiver(authenticator_removed, dispatch_uid="entraide_mfa_removed")
def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    services.record_security_event(user, SecurityEvent.Kind.MFA_DISABLED, type=str(authenticator.type))
