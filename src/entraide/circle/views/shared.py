"""What people share with me, through the consent gate (audience ``gate``): the list of people,
and for each the pages of what they share. Each page passes ``gate.require`` on every request,
then reads the person's data through ``circle.projections`` only; dates are the person's local
dates; titles stay neutral and nothing is cached (docs/consent-gate.md, "how to add a gated page")."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from entraide.circle import gate, projections
from entraide.circle.access import filter_links_supported_by
from entraide.circle.models import Channel
from entraide.circle.scopes import BY_KEY
from entraide.core.charts import line_chart
from entraide.core.routes import audience
from entraide.journal import insights
from entraide.journal.views.insights import PERIODS, _int_choice, _measure
from entraide.safety.views.common import is_empty, plan_steps

RECENTLY_ENDED = timedelta(days=30)  # links the person ended stay listed, without a reason


def gate_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page showing another person's data: audience ``gate``, logged in, GET only, never cached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return audience("gate")(login_required(never_cache(require_safe(wrapped))))


def _render_as_owner(
    request: HttpRequest, owner: Any, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Dates and times in the person's own time zone: theirs are the dates that count."""
    try:
        zone = ZoneInfo(owner.time_zone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    with timezone.override(zone):
        return render(request, template, {**context, "person": owner, "person_zone": str(zone)})


@gate_page
def shared(request: HttpRequest) -> HttpResponse:
    """The people who share with me, what each shares, and links that are waiting or ended."""
    viewer = request.user
    now = timezone.now()
    links = list(filter_links_supported_by(viewer).filter(ended_at__isnull=True).order_by("owner__pseudonym"))
    ended = list(
        filter_links_supported_by(viewer)
        .filter(ended_at__gte=now - RECENTLY_ENDED, owner__is_active=True)
        .exclude(owner_id__in=[link.owner_id for link in links])
        .order_by("-ended_at")
    )
    grants: dict[uuid.UUID, list[str]] = {}
    for grant in gate.live_grants_for_supporter(viewer, at=now):
        grants.setdefault(grant.link_id, []).append(grant.scope)
    protected = is_mfa_enabled(viewer)
    rows = []
    for link in links:
        scopes = sorted(grants.get(link.pk, []), key=lambda key: list(BY_KEY).index(key))
        rows.append(
            {
                "link": link,
                "accepted": link.is_accepted,
                "paused": link.paused_at is not None,
                "scopes": [BY_KEY[key] for key in scopes if key in BY_KEY] if protected else [],
            }
        )
    return render(request, "circle/shared/index.html", {"rows": rows, "ended": ended, "protected": protected})


@gate_page
def person_checkins(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's check-in trends, with the owner's own chart and data table: shared check-ins
    only, the measures of the ``checkins`` scope only, from the grant's first visible date."""
    passed = gate.require(request.user, person_id, "checkins", Channel.WEB)
    owner = passed.owner
    measures = projections.checkin_measures(passed)
    measure = _measure(measures, request.GET.get("mesure"), "mood")
    days = _int_choice(request.GET.get("periode"), PERIODS, 30)
    end = timezone.localdate(timezone=ZoneInfo(owner.time_zone))
    start = end - timedelta(days=days - 1)
    points = projections.checkin_daily_values(passed, [measure], start, end)[measure.key]
    low, high = insights.axis_of(measure, points)
    chart = line_chart(
        points, start=start, end=end, measure=measure.label, low=low, high=high, unit=measure.unit,
        places=measure.places,
    )  # fmt: skip
    return _render_as_owner(
        request,
        owner,
        "circle/person_checkins/index.html",
        {
            "measures": measures,
            "measure": measure,
            "periods": PERIODS,
            "days": days,
            "chart": chart,
            "visible_from": passed.visible_from,
        },
    )


@gate_page
def person_safety_plan(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's safety plan, as they wrote it (crisis moments need their own option)."""
    passed = gate.require(request.user, person_id, "safety_plan", Channel.WEB)
    plan = projections.safety_plan(passed)
    return _render_as_owner(
        request,
        passed.owner,
        "circle/person_safety_plan/index.html",
        {"plan": plan, "empty": is_empty(plan), "steps": plan_steps(plan)},
    )
