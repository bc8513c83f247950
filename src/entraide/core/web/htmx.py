"""A request as django-htmx's middleware leaves it: ``request.htmx`` is truthy for a request
htmx made (``HX-Request: true``), with the other headers parsed (``request.htmx.target``…)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Only a type, for a view's ``request`` parameter (django-htmx's documented pattern)."""

    htmx: HtmxDetails
