from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

from entraide.core import instance


def _accepted_language(request: HttpRequest) -> str | None:
    for code, _q in parse_accept_lang_header(request.headers.get("accept-language", "")):
        if code == "*":
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class InstanceLocaleMiddleware(LocaleMiddleware):
    """Language: this browser's choice, else the person's preference, else what the browser
    accepts, else the instance's default language (an admin setting, not a deploy setting)."""

    def process_request(self, request: HttpRequest) -> None:
        language = (
            self._cookie_language(request)
            or self._user_language(request)
            or _accepted_language(request)
            or instance.facts_for(request).default_language
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _cookie_language(request: HttpRequest) -> str | None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not code:
            return None
        try:
            return get_supported_language_variant(code)
        except LookupError:
            return None

    @staticmethod
    def _user_language(request: HttpRequest) -> str | None:
        # Only look when a session cookie is present: anonymous pages make no query for this.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return str(user.preferred_language)


class PrivacyHeadersMiddleware:
    """Shared computers: nothing of a logged-in visit is cached; logout empties the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or settings.SESSION_COOKIE_NAME in response.cookies
        ):
            response["Cache-Control"] = "no-store"
        if getattr(request, "entraide_logged_out", False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
