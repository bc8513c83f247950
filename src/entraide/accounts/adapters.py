"""Our hooks into allauth: who may sign up, how accounts are saved, how mail and secrets go."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit  # the public wrapper hides the usage a login rolls back
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from entraide.accounts import devices
from entraide.accounts.models import User
from entraide.core import instance, mail
from entraide.core.encryption import crypto
from entraide.core.models import SignupMode

MFA_SECRET_PREFIX = "e1:"  # noqa: S105 — a format marker, not a secret


class _Usages:
    """Several rate-limit consumptions, rolled back together (a successful login)."""

    def __init__(self, *usages: Any) -> None:
        self.usages = usages

    def rollback(self) -> None:
        for usage in self.usages:
            usage.rollback()


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Open to everyone, or to the holder of a usable invitation (kept in their session): the
        administrators' own, or one that another app registered an opener for."""
        from entraide.accounts.invitations import pending_invitation
        from entraide.core.registries import signup_openers

        if instance.load_settings().signup_mode == SignupMode.OPEN:
            return True
        if pending_invitation(request) is not None:
            return True
        # Another app's invitation (the circle's), through core's registry: accounts imports no app.
        return any(opener.opens(request) for opener in signup_openers.ordered())

    def pre_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse | None:
        """Before allauth's stages: a second-factor removal whose 24 hours have passed applies now,
        so the second step does not ask for a code the person no longer has."""
        from entraide.accounts.second_factor_removal import apply_due_second_factor_removals

        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        if response is None:
            apply_due_second_factor_removals(user=user)
        return response

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The (address, account) pair: allauth counts the ``key`` part of ``login_failed`` per
        account alone, which lets anyone lock a person out with five wrong passwords."""
        return f"{ratelimit.get_ip(request)}|{super()._get_login_attempts_cache_key(request, **credentials)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt before the password is checked (allauth rolls it back on success).

        Failed logins (settings.ACCOUNT_RATE_LIMITS, docs/accounts.md) count per (address,
        account), per address and per account, except in a browser that signed in to that account
        before (accounts.devices), whose failures count on their own: nobody sharing an address (a
        shelter's Wi-Fi), nor anyone elsewhere, can lock a person out of their own browser."""
        login = str(credentials.get("email") or credentials.get("username") or "")
        browser = devices.browser_key(request)
        user = User.objects.filter(email__iexact=login).first() if browser and login else None
        if user is not None and devices.is_known(request, user):
            usage = ratelimit.consume(
                request,
                app="allauth.account",
                action="login_failed_known_browser",
                key=f"{browser}|{user.pk}",
            )
            self._login_failed_rl_usage = _Usages(usage) if usage else None
        else:
            # Per address and per (address, account): allauth's own login_failed, keyed above.
            super().pre_authenticate(request, **credentials)
            usage = ratelimit.consume(
                request, app="allauth.account", action="login_failed_account", key=login.lower()
            )
            if not usage:
                self._rollback_login_failed_rl_usage()
                self._login_failed_rl_usage = None
            else:
                self._login_failed_rl_usage = _Usages(self._login_failed_rl_usage, usage)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user.pseudonym = form.cleaned_data["pseudonym"]
        user.preferred_language = get_language() or user.preferred_language
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Through core.mail, in the recipient's language when they have an account."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or get_language()
        site = SimpleNamespace(name=instance.load_settings().name, domain=urlparse(settings.SITE_URL).netloc)
        mail.send_mail(
            to=email,
            template_prefix=template_prefix,
            context={**context, "email": email, "current_site": site},
            language=language,
        )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets and recovery seeds are encrypted with the instance data key."""

    AD = crypto.associated_data("allauth-mfa")

    def encrypt(self, text: str) -> str:
        blob = crypto.encrypt(crypto.data_key_for(None, create=True), text.encode(), self.AD)
        return MFA_SECRET_PREFIX + base64.b64encode(blob).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(MFA_SECRET_PREFIX):
            raise crypto.DecryptionError("an authenticator secret is stored in clear: refusing it")
        blob = base64.b64decode(encrypted_text[len(MFA_SECRET_PREFIX) :])
        return crypto.decrypt(crypto.data_key_for(None), blob, self.AD, what="authenticator secret").decode()

    def get_totp_issuer(self) -> str:
        return instance.load_settings().name


class UserSessionsAdapter(DefaultUserSessionsAdapter):  # type: ignore[misc]  # allauth ships no types
    """ "Log out of the other sessions" (the sessions page) ends every other way in too: the
    accounts.signals.ways_in_ended signal lets the API end its tokens."""

    def end_sessions(self, sessions: Any) -> None:
        from allauth.core import context

        from entraide.accounts.signals import ways_in_ended

        super().end_sessions(sessions)
        request = context.request
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ways_in_ended.send(sender=User, user=user, request=request, reason="logout_everywhere")
