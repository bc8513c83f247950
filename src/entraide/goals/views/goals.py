"""Goals: the list (being worked on first), the form (new, edit), a goal with its checklist
(ticking a step is one POST per step; htmx swaps the checklist in place), deleting one, and the
progress page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.forms import formstash, formtokens
from entraide.core.web.htmx import HtmxHttpRequest
from entraide.core.web.routes import audience
from entraide.goals import services
from entraide.goals.access import filter_goals_of, find_step, get_goal_of
from entraide.goals.forms import GoalForm, StepForm
from entraide.goals.models import Goal

PER_PAGE = 25


def _detail_url(goal: Goal, anchor: str = "") -> str:
    url = reverse("goals:goal", kwargs={"goal_id": goal.pk})
    return f"{url}#{anchor}" if anchor else url


@audience("owner")
@login_required
@require_safe
def goal_list(request: HttpRequest) -> HttpResponse:
    goals = services.ordered_goals(filter_goals_of(request.user))
    page = Paginator(goals, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "goals/goals/index.html", {"page_obj": page, "goals": list(page.object_list)})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = GoalForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():
        done = formtokens.save_once(
            request,
            form,
            lambda: _detail_url(services.create_goal(user, **form.values())),
            message=pgettext("goal form", "Your goal is saved."),
        )
        if done:
            return done
    return render(request, "goals/goal_new/index.html", {"form": form})


def _detail(request: HttpRequest, goal: Goal, step_form: StepForm, status: int = 200) -> HttpResponse:
    return render(request, "goals/goal/index.html", {"goal": goal, "step_form": step_form}, status=status)


@audience("owner")
@login_required
@require_safe
def goal_detail(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    return _detail(request, get_goal_of(request.user, goal_id), StepForm())


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = get_goal_of(request.user, goal_id)
    form = GoalForm(formstash.posted_or_kept(request), goal=goal)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_goal(goal, **form.values())
            return _detail_url(goal)

        done = formtokens.save_once(
            request, form, save, message=pgettext("goal form", "Your goal is updated.")
        )
        if done:
            return done
    return render(request, "goals/goal_edit/index.html", {"form": form, "goal": goal})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = get_goal_of(request.user, goal_id)
    if request.method == "POST":
        services.delete_goal(goal)
        messages.success(request, pgettext("goal delete", "The goal is deleted."))
        return redirect("goals:goals")
    return render(request, "goals/goal_delete/index.html", {"goal": goal})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    """A new step (the form on the goal's page). A GET shows the goal's page, with the step typed
    before a session ended if there is one."""
    goal = get_goal_of(request.user, goal_id)
    data = formstash.posted_or_kept(request)
    if request.method == "GET":
        if data is None:
            return redirect(_detail_url(goal))
        return _detail(request, goal, StepForm(data))
    form = StepForm(data)
    if form.is_valid():

        def save() -> str:
            step = services.add_step(goal, text=form.cleaned_data["text"])
            return _detail_url(goal, f"etape-{step['id']}")

        # A full checklist comes back as a form error.
        done = formtokens.save_once(request, form, save, message=pgettext("goal", "The step is added."))
        if done:
            return done
    return _detail(request, goal, form)


def _after_step_change(request: HtmxHttpRequest, goal: Goal, anchor: str) -> HttpResponse:
    if request.htmx:
        return render(request, "goals/goal/partial.html", {"goal": goal})
    return redirect(_detail_url(goal, anchor))


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def step_tick(request: HtmxHttpRequest, goal_id: uuid.UUID, step_id: uuid.UUID) -> HttpResponse:
    """Tick (``done=yes``) or untick (``done=no``) one step. Saying what it should be, rather than
    "toggle", makes a second POST harmless."""
    goal = get_goal_of(request.user, goal_id)
    find_step(goal, step_id)  # an unknown step is a 404, on GET too
    if request.method == "GET":
        return redirect(_detail_url(goal, f"etape-{step_id}"))
    done = request.POST.get("done")
    if done in ("yes", "no"):
        services.update_step(goal, step_id, done=done == "yes")
    return _after_step_change(request, goal, f"etape-{step_id}")


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def step_remove(request: HtmxHttpRequest, goal_id: uuid.UUID, step_id: uuid.UUID) -> HttpResponse:
    goal = get_goal_of(request.user, goal_id)
    step = find_step(goal, step_id)
    if request.method == "GET":
        return redirect(_detail_url(goal, f"etape-{step_id}"))
    services.remove_step(goal, step_id)
    if not request.htmx:
        messages.success(
            request, pgettext("goal", "“%(step)s” is removed from the steps.") % {"step": step["text"]}
        )
    return _after_step_change(request, goal, "etapes")


@audience("owner")
@login_required
@require_safe
def goal_progress(request: HttpRequest) -> HttpResponse:
    progress = services.goal_progress(request.user)
    return render(request, "goals/progress/index.html", {"progress": progress})
