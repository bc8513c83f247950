"""People holding a role that requires a second factor enrol before anything else."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.accounts import devices, roles, services
from entraide.accounts.models import ConsentKind
from entraide.core import instance
from entraide.core.forms import formstash
from entraide.core.web.routes import audience_of

# What such a person may open before enrolling: enrolment itself, logging out, help and the
# pages anyone may read.
ALLOWED_BEFORE_ENROLMENT = frozenset(
    {
        "mfa_activate_totp",
        "mfa_add_webauthn",  # a passkey is a second factor too
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "core:crisis-help",
        "core:legal-document",
        "core:legal-document-version",
        "core:transparency",
        "core:accessibility",
        "core:healthz",
        "core:security-txt",
        "set-language",
        # The header's unread count, polled by htmx on every page: redirected, its request would
        # fetch the TOTP set-up page in the background, and each GET of it draws a new secret.
        "notifications:unread-count",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path is resolved only for those who must enrol: resolving costs more than the check.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES  # anonymous visitors: no query, no resolve
            and self._must_enrol(request)
            and not self._allowed_anyway(request)
        ):
            messages.info(
                request,
                pgettext(
                    "second factor",
                    "Your role gives you access to other people's information: protect your account "
                    "with a second step at login before going further.",
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: object, kwargs: object
    ) -> HttpResponse | None:
        """Someone who reads another person's data (``roles.holds_others_data``: the circle's
        grantees) without a second factor: only the pages showing others' data (audience
        ``gate``) wait for the enrolment; their own space is never blocked by it. The view is
        known here: no resolve, and a query only on gate pages."""
        match = request.resolver_match
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            or not request.user.is_authenticated
            or audience_of(view, match.view_name if match else None) != "gate"
            or is_mfa_enabled(request.user)
            or not roles.holds_others_data(request.user)
        ):
            return None
        messages.info(
            request,
            pgettext(
                "second factor",
                "Protect your account first: someone shares their information with you, so a second "
                "step at login is needed before you can see it. Your own space stays open.",
            ),
        )
        return redirect("mfa_activate_totp")

    @staticmethod
    def _allowed_anyway(request: HttpRequest, allowed: frozenset[str] = ALLOWED_BEFORE_ENROLMENT) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            return resolve(request.path_info).view_name in allowed
        except Resolver404:
            return True  # a 404 page shows nothing of anyone

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False  # anonymous: no query
        user = request.user
        if not user.is_authenticated:
            return False
        return roles.requires_second_factor(request) and not is_mfa_enabled(user)


LOGIN_AT = "_entraide_login_at"
LAST_SEEN = "_entraide_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: at most one session write a minute for the idle clock
# Sent by requests the page makes on its own (htmx polling): they are not the person's activity.
BACKGROUND_HEADER = "X-Entraide-Background"


class SessionLimitsMiddleware:
    """Ends sessions left idle (when "remember me" was not ticked) and role holders' long ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            reason = self._expired(request)
            if reason:
                logout(request)
                # A form posted just now is kept for after the login (nothing typed is lost).
                messages.info(request, formstash.keep_posted_form(request) or reason)
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        devices.remember_browser(request, response)
        return response

    @staticmethod
    def _expired(request: HttpRequest) -> str | None:
        session, now = request.session, time.time()
        login_at = session.setdefault(LOGIN_AT, now)
        if session.get_expire_at_browser_close():
            last_seen = session.get(LAST_SEEN, login_at)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return pgettext(
                    "session",
                    "For your privacy, you were logged out after 30 minutes without activity. "
                    "Log in again to continue.",
                )
            if now - last_seen > LAST_SEEN_RESOLUTION and not request.headers.get(BACKGROUND_HEADER):
                session[LAST_SEEN] = now
        if now - login_at > settings.SESSION_ROLE_MAX_AGE and roles.roles_of(request):
            return pgettext(
                "session",
                "Because your role gives access to other people's information, sessions last at most "
                "12 hours. Log in again to continue.",
            )
        if now - login_at > settings.SESSION_ROLE_MAX_AGE and roles.holds_others_data(request.user):
            return pgettext(
                "session",
                "Because someone shares their information with you, sessions last at most 12 hours. "
                "Log in again to continue.",
            )
        return None


CONSENT_SESSION_KEY = "_entraide_consents_ok"  # the versions this session found agreed to, by kind
# Someone who does not agree can still take their data and leave.
ALLOWED_BEFORE_CONSENT = ALLOWED_BEFORE_ENROLMENT | {
    "accounts:consent",
    "usersessions_list",
    "accounts:my-data",
    "accounts:account-delete",
    "accounts:account-deleted",
    "account_reauthenticate",
}


# Pages that are not the person's space but open it to a program: an API token reads and writes it.
OPENS_OWN_SPACE = frozenset({"api:tokens", "api:token-new"})


class ConsentRequiredMiddleware:
    """Someone who has not agreed to the current terms and charter (a changed text) agrees before
    going on. The health-data consent is asked only on the pages of the person's own space, where
    health information is kept: an administrator who never opens theirs is never asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and (missing := self._missing(request))  # no query in the usual case, and no resolve
            and self._asked_here(request, missing)
        ):
            return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:consent"))
        return self.get_response(request)

    @staticmethod
    def _missing(request: HttpRequest) -> list[str]:
        """The kinds of consent whose current version the person has not agreed to. What they agreed
        to is remembered for the session; the consent page forgets it when they agree."""
        current = services.current_consent_versions(instance.settings_for(request))
        agreed = request.session.get(CONSENT_SESSION_KEY)
        if not isinstance(agreed, dict):
            agreed = services.agreed_versions(request.user)  # type: ignore[arg-type]
            request.session[CONSENT_SESSION_KEY] = {kind: agreed[kind] for kind in current if kind in agreed}
        return [kind for kind, version in current.items() if agreed.get(kind, -1) < version]

    @staticmethod
    def _asked_here(request: HttpRequest, missing: list[str]) -> bool:
        if SecondFactorRequiredMiddleware._allowed_anyway(request, ALLOWED_BEFORE_CONSENT):
            return False
        if ConsentKind.TERMS in missing:
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return audience_of(match.func, match.view_name) == "owner" or match.view_name in OPENS_OWN_SPACE


class PersonTimeZoneMiddleware:
    """Dates and times on pages, and times typed in forms, are in the person's own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            try:
                zone = zoneinfo.ZoneInfo(request.user.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
