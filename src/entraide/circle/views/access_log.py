""" "Qui a vu quoi": the person's own access log, every read of their data through the gate, by
person and scope. Only the person reads it: the page loads the visitor's own events, and no other
page (administration included) shows anyone's."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from entraide.accounts.models import User
from entraide.circle import access
from entraide.circle.models import Channel
from entraide.circle.scopes import BY_KEY, SCOPES
from entraide.core.web.routes import audience

PER_PAGE = 50


@audience("owner")
@login_required
@never_cache
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    events = access.filter_access_events_of(user)
    viewers = sorted(events.order_by().values_list("viewer_pseudonym", flat=True).distinct(), key=str.lower)
    person = request.GET.get("personne", "")
    scope = request.GET.get("portee", "")
    if person in viewers:
        events = events.filter(viewer_pseudonym=person)
    else:
        person = ""
    if scope in BY_KEY:
        events = events.filter(scope=scope)
    else:
        scope = ""
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    channels = dict(Channel.choices)
    rows = [
        {
            "hour": event.hour,
            "last_at": event.last_at,
            "viewer": event.viewer_pseudonym,
            "scope": BY_KEY[event.scope].label if event.scope in BY_KEY else event.scope,
            "channel": channels.get(event.channel, event.channel),
            "count": event.count,
        }
        for event in page.object_list
    ]
    query = urlencode({key: value for key, value in (("personne", person), ("portee", scope)) if value})
    return render(
        request,
        "circle/access_log/index.html",
        {
            "page_obj": page,
            "rows": rows,
            "viewers": viewers,
            "scopes": [s for s in SCOPES if s.data],
            "person": person,
            "scope": scope,
            "filter_query": query,
        },
    )
