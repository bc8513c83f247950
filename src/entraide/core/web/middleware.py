from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

from entraide.core import instance
from entraide.core.content import text
from entraide.core.forms import formstash


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


class DocumentCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for the responses that make a document. A redirect makes none (the
    page it leads to carries its own policy), and building the two policies cost a twentieth of
    saving a form, whose POST ends in a redirect."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if 300 <= response.status_code < 400:
            return response
        return super().process_response(request, response)


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


class KeptFormMiddleware:
    """A form posted to a personal page after the session expired is kept (``core.formstash``)
    and the person is sent to log in; after login the page shows it again, pre-filled. (An idle
    session ended by accounts' SessionLimitsMiddleware is kept there, the same way.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        formstash.set_cookie_on(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or request.user.is_authenticated:
            return None
        said = formstash.keep_posted_form(request)
        if said is None:
            return None
        messages.info(request, said)  # kept, or could not be kept
        return redirect_to_login(request.get_full_path())


class NormalizedInputMiddleware:
    """Every text a form or a query string sends is normalised before any view reads it
    (``core.text``): a NUL is dropped, as the API's JSON parser drops it."""

    FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        request.GET = text.normalize_query(request.GET)  # type: ignore[assignment]  # immutable, as Django's
        # CSRF-exempt views (the API) read their own bodies: parsing one here would consume it.
        if request.content_type in self.FORM_TYPES and not getattr(view_func, "csrf_exempt", False):
            request.POST = text.normalize_query(request.POST)  # type: ignore[assignment]  # immutable too


class PageGZipMiddleware(GZipMiddleware):
    """Pages and API answers compressed for slow connections (static files come compressed from
    whitenoise; downloads such as /source.zip are left alone). Django's GZipMiddleware pads each
    response with random bytes against BREACH-style length attacks."""

    COMPRESSED_TYPES = ("text/html", "application/json")

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith(self.COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
