"""The crisis pathway: the "je ne vais pas bien" button and the crisis screen, and the list of the
person's crisis moments (each one deletable)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.registries import crisis_actions, crisis_notices
from entraide.core.signals import crisis_signalled
from entraide.core.web.routes import audience
from entraide.safety import services
from entraide.safety.access import filter_moments_of, find_plan_of, get_moment_of
from entraide.safety.views.common import is_empty, plan_steps

PER_PAGE = 25


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def signal(request: HttpRequest) -> HttpResponse:
    """ "Je ne vais pas bien": the POST records a crisis moment (through the signal, as any app
    does) and opens the crisis screen; a GET only opens it (no state change on GET)."""
    if request.method == "POST":
        with transaction.atomic():
            crisis_signalled.send(sender=signal, person=request.user, source="button")
    return redirect("safety:crisis")


def _actions(person: object) -> list[dict[str, str]]:
    found = []
    for action in crisis_actions.ordered():
        if not action.applies(person):
            continue
        try:
            url = reverse(action.url_name)
        except NoReverseMatch:
            continue  # a registration naming no page would be a button to nowhere
        found.append({"key": action.key, "label": str(action.label), "url": url})
    return found


def _notices(person: object) -> list[str]:
    return [str(line) for notice in crisis_notices.ordered() for line in notice.lines(person)]


@audience("owner")
@login_required
@require_safe
def crisis(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = find_plan_of(user)
    return render(
        request,
        "safety/crisis/index.html",
        {
            "plan": found,
            "empty": is_empty(found),
            "steps": plan_steps(found),
            "actions": _actions(user),
            "notices": _notices(user),
        },
    )


@audience("owner")
@login_required
@require_safe
def moments(request: HttpRequest) -> HttpResponse:
    rows = filter_moments_of(request.user).order_by("-created_at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "safety/moments/index.html", {"page_obj": page, "moments": list(page.object_list)})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def moment_delete(request: HttpRequest, moment_id: uuid.UUID) -> HttpResponse:
    moment = get_moment_of(request.user, moment_id)
    if request.method == "POST":
        services.delete_crisis_moment(moment)
        messages.success(request, pgettext("crisis moments", "This moment is deleted."))
        return redirect("safety:moments")
    return render(request, "safety/moment_delete/index.html", {"moment": moment})
