"""What people share with me, through the consent gate (audience ``gate``): the list of people,
and for each the pages of what they share. Each page passes ``gate.require`` on every request,
then reads the person's data through ``circle.projections`` only; dates are the person's local
dates; titles stay neutral and nothing is cached (docs/consent-gate.md, "how to add a gated page")."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from entraide.circle import gate, projections, services
from entraide.circle.access import filter_links_supported_by, get_link_of
from entraide.circle.models import Channel
from entraide.circle.scopes import BY_KEY
from entraide.core.charts import line_chart
from entraide.core.web.routes import audience
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
    zone = _zone(owner)
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
                "scopes": [
                    {
                        "label": BY_KEY[key].label,
                        "url": reverse(PAGE_OF_SCOPE[key].route, kwargs={"person_id": link.owner_id})
                        if key in PAGE_OF_SCOPE
                        else "",
                    }
                    for key in scopes
                    if key in BY_KEY
                ]
                if protected
                else [],
            }
        )
    return render(request, "circle/shared/index.html", {"rows": rows, "ended": ended, "protected": protected})


# --- The pages of one person: each builds its context from a gate pass --------------------------

PER_PAGE = 20


@dataclass(frozen=True)
class Page:
    """One page of what a person shares: its scope, its gate route, the slug of its preview, its
    template, and the function that builds its context from a ``gate.Pass`` (only projections)."""

    scope: str
    route: str
    slug: str
    template: str
    build: Callable[[HttpRequest, gate.Pass], dict[str, Any]]


def _checkins(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    """Check-in trends with the owner's own chart: shared check-ins only, the measures of the
    ``checkins`` scope only, from the grant's first visible date."""
    measures = projections.checkin_measures(passed)
    return _trend(request, passed, measures, "mood", projections.checkin_daily_values)


def _indicators(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    """The person's own indicators' trends (numbers, yes/no, durations), from shared check-ins."""
    measures = projections.indicator_measures(passed)
    context = _trend(request, passed, measures, "", projections.indicator_daily_values)
    days = _int_choice(request.GET.get("periode"), PERIODS, 30)
    end = timezone.localdate(timezone=_zone(passed.owner))
    choices = projections.choice_counts(passed, end - timedelta(days=days - 1), end)
    return {**context, "choices": choices, "days": days, "periods": PERIODS}


def _trend(
    request: HttpRequest,
    passed: gate.Pass,
    measures: list[insights.Measure],
    default: str,
    values: Callable[..., dict[str, list[tuple[Any, float]]]],
) -> dict[str, Any]:
    if not measures:
        return {"measure": None, "visible_from": passed.visible_from}
    measure = _measure(measures, request.GET.get("mesure"), default or measures[0].key)
    days = _int_choice(request.GET.get("periode"), PERIODS, 30)
    end = timezone.localdate(timezone=_zone(passed.owner))
    start = end - timedelta(days=days - 1)
    points = values(passed, [measure], start, end)[measure.key]
    low, high = insights.axis_of(measure, points)
    chart = line_chart(
        points, start=start, end=end, measure=measure.label, low=low, high=high, unit=measure.unit,
        places=measure.places,
    )  # fmt: skip
    return {
        "measures": measures,
        "measure": measure,
        "periods": PERIODS,
        "days": days,
        "chart": chart,
        "visible_from": passed.visible_from,
    }


def _safety_plan(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    """The person's safety plan, as they wrote it; the times of difficult moments with that option."""
    plan = projections.safety_plan(passed)
    return {
        "plan": plan,
        "empty": is_empty(plan),
        "steps": plan_steps(plan),
        "moments": projections.crisis_moments(passed),
        "with_moments": passed.option("crisis_moments"),
    }


def _notes(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    """Check-in notes and tags, short-text indicators, journal entries with their mood."""
    entries = Paginator(projections.journal_entries(passed), PER_PAGE).get_page(request.GET.get("page"))
    notes = Paginator(projections.checkin_notes(passed), PER_PAGE).get_page(request.GET.get("notes"))
    return {
        "page_obj": entries,
        "entries": [projections.entry_fields(e) for e in entries.object_list],
        "notes_page": notes,
        "notes": list(notes.object_list),
        "visible_from": passed.visible_from,
    }


def _thoughts(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    page = Paginator(projections.thought_records(passed), PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "records": [projections.thought_fields(r) for r in page.object_list],
        "visible_from": passed.visible_from,
    }


def _goals(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    return {"goals": projections.goals(passed), "strategies": projections.strategies(passed)}


def _assessments(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    page = Paginator(projections.questionnaire_responses(passed), PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "results": [projections.response_fields(passed, r) for r in page.object_list],
        "with_answers": passed.option("answers"),
        "visible_from": passed.visible_from,
    }


def _treatments(request: HttpRequest, passed: gate.Pass) -> dict[str, Any]:
    today = timezone.localdate(timezone=_zone(passed.owner))
    return {
        "treatments": projections.treatments(passed),
        "adherence": projections.adherence(passed, today),
        "visible_from": passed.visible_from,
    }


PAGES: tuple[Page, ...] = (
    Page("checkins", "circle:person-checkins", "suivi", "circle/person_checkins/index.html", _checkins),
    Page("indicators", "circle:person-indicators", "indicateurs", "circle/person_indicators/index.html", _indicators),
    Page("notes", "circle:person-notes", "notes", "circle/person_notes/index.html", _notes),
    Page("thoughts", "circle:person-thoughts", "pensees", "circle/person_thoughts/index.html", _thoughts),
    Page("goals", "circle:person-goals", "objectifs", "circle/person_goals/index.html", _goals),
    Page("assessments", "circle:person-assessments", "questionnaires", "circle/person_assessments/index.html", _assessments),
    Page("safety_plan", "circle:person-safety-plan", "plan-de-securite", "circle/person_safety_plan/index.html", _safety_plan),
    Page("treatments", "circle:person-treatments", "traitements", "circle/person_treatments/index.html", _treatments),
)  # fmt: skip
PAGE_OF_SCOPE: dict[str, Page] = {page.scope: page for page in PAGES}
PAGE_OF_SLUG: dict[str, Page] = {page.slug: page for page in PAGES}


def _zone(owner: Any) -> ZoneInfo:
    try:
        return ZoneInfo(owner.time_zone)
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def nav_of(scopes: Iterable[str], url: Callable[[Page], str], current: str) -> list[dict[str, Any]]:
    """The person's pages a viewer may open (one per live grant with a page), in a fixed order."""
    wanted = set(scopes)
    return [
        {"label": BY_KEY[page.scope].label, "url": url(page), "current": page.scope == current}
        for page in PAGES
        if page.scope in wanted
    ]


def render_page(
    request: HttpRequest, page: Page, passed: gate.Pass, *, nav: list[dict[str, Any]], preview: Any = None
) -> HttpResponse:
    """One page of what a person shares, in their time zone; ``preview``: the link the person is
    previewing as its supporter would see it (then the page says so)."""
    context = page.build(request, passed)
    return _render_as_owner(
        request, passed.owner, page.template, {**context, "person_nav": nav, "preview": preview}
    )


def _gate_view(page: Page) -> Callable[..., HttpResponse]:
    @gate_page
    def view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
        passed = gate.require(request.user, person_id, page.scope, Channel.WEB)
        scopes = [g.scope for g in services.live_grants_of(passed.grant.link)]
        nav = nav_of(scopes, lambda p: reverse(p.route, kwargs={"person_id": passed.owner.pk}), page.scope)
        return render_page(request, page, passed, nav=nav)

    view.__name__ = view.__qualname__ = f"person_{page.scope}"
    view.__doc__ = page.build.__doc__
    return view


person_checkins = _gate_view(PAGE_OF_SCOPE["checkins"])
person_indicators = _gate_view(PAGE_OF_SCOPE["indicators"])
person_notes = _gate_view(PAGE_OF_SCOPE["notes"])
person_thoughts = _gate_view(PAGE_OF_SCOPE["thoughts"])
person_goals = _gate_view(PAGE_OF_SCOPE["goals"])
person_assessments = _gate_view(PAGE_OF_SCOPE["assessments"])
person_safety_plan = _gate_view(PAGE_OF_SCOPE["safety_plan"])
person_treatments = _gate_view(PAGE_OF_SCOPE["treatments"])


# --- "See what they see": the person previews one supporter's pages ------------------------------


@audience("owner")
@login_required
@never_cache
@require_safe
def preview(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """What one supporter sees of the person in their list of people who share with them."""
    link = get_link_of(request.user, link_id)
    scopes = (
        [g.scope for g in services.live_grants_of(link)]
        if link.is_open and link.is_accepted and link.paused_at is None
        else []
    )
    nav = nav_of(scopes, lambda p: _preview_url(link, p), "")
    return _render_as_owner(
        request,
        link.owner,
        "circle/preview/index.html",
        {
            "preview": link,
            "person_nav": nav,
            "paused": link.paused_at is not None,
            "ended": not link.is_open,
            "protected": is_mfa_enabled(link.supporter),
        },
    )


def _preview_url(link: Any, page: Page) -> str:
    return reverse(f"circle:preview-{page.slug}", kwargs={"link_id": link.pk})


def _preview_view(page: Page) -> Callable[..., HttpResponse]:
    @audience("owner")
    @login_required
    @never_cache
    @require_safe
    def view(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
        passed = gate.preview(request.user, link_id, page.scope)
        link = passed.grant.link
        scopes = [g.scope for g in services.live_grants_of(link)]
        nav = nav_of(scopes, lambda p: _preview_url(link, p), page.scope)
        return render_page(request, page, passed, nav=nav, preview=link)

    view.__name__ = view.__qualname__ = f"preview_{page.scope}"
    view.__doc__ = f"The person previews a supporter's page ({page.scope}): nothing is recorded."
    return view


PREVIEWS: dict[str, Callable[..., HttpResponse]] = {page.slug: _preview_view(page) for page in PAGES}
