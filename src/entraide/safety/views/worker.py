"""The service worker that keeps the safety plan page for offline reading.

Served from ``/securite/sw.js`` (a static file could not control a page outside ``/static/``) and
registered by ``static/safety/offline.js`` with the scope of the plan page only
(``/securite/plan/``); no ``Service-Worker-Allowed`` header widens it. The script holds no personal
data: it is the same for everyone, logged in or not.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from entraide.core.web.routes import audience

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "safety" / "sw.js"


@cache
def _script() -> bytes:
    return SCRIPT.read_bytes()


@audience("public")
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new version at most once a day anyway; no-cache makes it ask.
    response["Cache-Control"] = "no-cache"
    return response
