"""Error pages: calm, translated, with the crisis numbers, and no database access at all."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.views.decorators.csrf import requires_csrf_token

from entraide.core import instance
from entraide.core.web.context_processors import layout_links

logger = logging.getLogger(__name__)


def render_error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    facts = instance.offline_facts()
    try:
        # Rendered without context processors: they would touch the session and the database.
        html: str = loader.render_to_string(
            "core/error.html",
            {
                "error_title": title,
                "error_message": message,
                "instance": facts,
                "links": layout_links(),
                "minimal": True,
            },
        )
    except Exception:  # an error page must never fail: fall back to plain HTML
        logger.exception("the error page could not be rendered")
        html = _plain_error_page(title, message, facts)
    return HttpResponse(html, status=status)


def _plain_error_page(title: str, message: str, facts: instance.PublicFacts) -> str:
    numbers = "".join(
        format_html(
            '<li>{}: <a href="tel:{}">{}</a></li>', n["label"], n["number"].replace(" ", ""), n["number"]
        )
        for n in facts.crisis_numbers
    )
    return format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        '<body><main><h1>{}</h1><p>{}</p><ul>{}</ul><p><a href="/aide/">/aide/</a></p></main></body></html>',
        get_language() or "fr",
        title,
        title,
        message,
        mark_safe(numbers),  # noqa: S308 — built with format_html just above
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(
        request,
        400,
        pgettext("error page", "This request could not be understood"),
        pgettext(
            "error page", "Something in the address or the form was not as expected. Go back and try again."
        ),
    )


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render_error(
        request,
        403,
        pgettext("error page", "This page is not open to you"),
        message
        or pgettext(
            "error page",
            "Your account cannot open this page. If you think it should, ask the team that runs this site.",
        ),
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(
        request,
        404,
        pgettext("error page", "Page not found"),
        pgettext(
            "error page", "This page does not exist, or no longer exists. The link may be old or mistyped."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error(
        request,
        500,
        pgettext("error page", "Something went wrong on our side"),
        pgettext(
            "error page",
            "It is not your fault. Please try again in a few minutes. If you were writing something, go back: your browser may still have it.",
        ),
    )


def too_many_requests(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(
        request,
        429,
        pgettext("error page", "Please take a short break"),
        pgettext(
            "error page", "There were many attempts in a short time. Wait a few minutes, then try again."
        ),
    )


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render_error(
        request,
        403,
        pgettext("error page", "This form has expired"),
        pgettext(
            "error page",
            "For your safety, forms stop working after a while or when cookies are blocked. "
            "Go back, reload the page, and send it again.",
        ),
    )
