"""The safety plan: reading it (printable on one A4 page, kept offline when the person asks), the
form, "j'ai relu mon plan", the wallet card, and the choice to keep it on this device."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.safety import services
from entraide.safety.access import filter_moments_of, find_plan_of
from entraide.safety.forms import PlanForm
from entraide.safety.views.common import OFFLINE_KEY, is_empty, keeps_offline, plan_steps

CARD_ITEMS = 3  # per block on the wallet card: it must fit 85 x 54 mm


@audience("owner")
@login_required
@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    found = find_plan_of(request.user)
    return render(
        request,
        "safety/plan/index.html",
        {
            "plan": found,
            "empty": is_empty(found),
            "steps": plan_steps(found),
            "keep_offline": keeps_offline(request),
            "moments": filter_moments_of(request.user).count(),
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = find_plan_of(user)
    form = PlanForm(formstash.posted_or_kept(request), plan=found)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.save_safety_plan(user, steps=form.cleaned_steps)
            return reverse("safety:plan-edit" if request.POST.get("then") == "edit" else "safety:plan")

        done = formtokens.save_once(
            request, form, save, message=pgettext("safety plan form", "Your safety plan is saved.")
        )
        if done:
            return done
    return render(request, "safety/plan_edit/index.html", {"form": form, "plan": found})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest) -> HttpResponse:
    """ "J'ai relu mon plan": the review date moves to now (POST only; a GET shows the plan)."""
    found = find_plan_of(request.user)
    if request.method == "POST" and found is not None:
        services.review_safety_plan(found)
        messages.success(
            request, pgettext("safety plan", "Thank you: the date of your last reading is noted.")
        )
    return redirect("safety:plan")


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def plan_offline(request: HttpRequest) -> HttpResponse:
    """Keep the plan on this device, or stop (POST ``keep`` = "yes" or "no")."""
    if request.method == "POST":
        keep = request.POST.get("keep") == "yes"
        request.session[OFFLINE_KEY] = keep
        messages.success(
            request,
            pgettext("safety plan", "Your plan is kept on this device: you can read it without a connection.")
            if keep
            else pgettext("safety plan", "Your plan is no longer kept on this device."),
        )
    return redirect("safety:plan")


@audience("owner")
@login_required
@require_safe
def card(request: HttpRequest) -> HttpResponse:
    found = find_plan_of(request.user)
    blocks = {s["step"].key: s for s in plan_steps(found)}
    return render(
        request,
        "safety/card/index.html",
        {
            "plan": found,
            "empty": is_empty(found),
            "front": [
                {**blocks[key], "items": blocks[key]["items"][:CARD_ITEMS]}
                for key in ("warning_signs", "coping", "reasons")
            ],
            "back": [
                {**blocks[key], "items": blocks[key]["items"][:CARD_ITEMS]}
                for key in ("help_people", "professionals")
            ],
        },
    )
