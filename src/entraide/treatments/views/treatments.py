"""The person's treatments: the list, one treatment with its schedules, side-effect notes and
adherence, and the forms (treatment, schedule, on-demand start, side-effect note)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core import jobs
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.treatments import services
from entraide.treatments.access import (
    filter_notes_of,
    filter_starts_of,
    filter_treatments_of,
    get_note_of,
    get_schedule_of,
    get_treatment_of,
)
from entraide.treatments.display import adherence_rows, describe_schedule
from entraide.treatments.forms import ScheduleForm, SideEffectForm, StartForm, TreatmentForm, local_input
from entraide.treatments.models import ScheduleKind, Treatment


def _detail_url(treatment: Treatment) -> str:
    return reverse("treatments:treatment", kwargs={"treatment_id": treatment.pk})


@audience("owner")
@login_required
@require_safe
def treatment_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        filter_treatments_of(request.user).prefetch_related("schedules").order_by("-active", "created_at")
    )
    items: list[dict[str, Any]] = [
        {"treatment": t, "schedules": [describe_schedule(s) for s in t.schedules.all()]} for t in rows
    ]
    return render(
        request,
        "treatments/treatments/index.html",
        {
            "current": [i for i in items if i["treatment"].active],
            "stopped": [i for i in items if not i["treatment"].active],
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def treatment_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TreatmentForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            treatment = services.create_treatment(user, **form.values())
            return reverse("treatments:schedule-new", kwargs={"treatment_id": treatment.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("treatment form", "Saved. Now, when do you take it?")
        )
        if done:
            return done
    return render(request, "treatments/treatment_new/index.html", {"form": form})


@audience("owner")
@login_required
@require_safe
def treatment_detail(request: HttpRequest, treatment_id: uuid.UUID) -> HttpResponse:
    user = request.user
    treatment = get_treatment_of(user, treatment_id)
    schedules = list(treatment.schedules.order_by("created_at"))
    for schedule in schedules:
        schedule.treatment = treatment
    starts: dict[Any, Any] = {}
    for start in (
        filter_starts_of(user).filter(schedule__treatment_id=treatment.pk).order_by("-started_at")[:20]
    ):
        starts.setdefault(start.schedule_id, []).append(start)
    notes = list(filter_notes_of(user).filter(treatment_id=treatment.pk).order_by("-day", "-created_at")[:50])
    return render(
        request,
        "treatments/treatment/index.html",
        {
            "treatment": treatment,
            "schedules": [{**describe_schedule(s), "starts": starts.get(s.pk, [])[:5]} for s in schedules],
            "notes": notes,
            "adherence": adherence_rows(user, treatment=treatment) if treatment.active else [],
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def treatment_edit(request: HttpRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    form = TreatmentForm(formstash.posted_or_kept(request), treatment=treatment)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_treatment(treatment, **form.values())
            return _detail_url(treatment)

        done = formtokens.save_once(
            request, form, save, message=pgettext("treatment form", "Your changes are saved.")
        )
        if done:
            return done
    return render(request, "treatments/treatment_edit/index.html", {"form": form, "treatment": treatment})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def treatment_delete(request: HttpRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    if request.method == "POST":
        services.delete_treatment(treatment)
        messages.success(request, pgettext("treatment delete", "The treatment and its history are deleted."))
        return redirect("treatments:treatments")
    return render(request, "treatments/treatment_delete/index.html", {"treatment": treatment})


# --- Schedules ----------------------------------------------------------------------------------


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def schedule_new(request: HttpRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    form = ScheduleForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.add_schedule(treatment, **form.values())
            return _detail_url(treatment)

        done = formtokens.save_once(
            request, form, save, message=pgettext("schedule form", "The schedule is saved.")
        )
        if done:
            return done
    return render(request, "treatments/schedule_new/index.html", {"form": form, "treatment": treatment})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    schedule = get_schedule_of(request.user, schedule_id, treatment)
    form = ScheduleForm(formstash.posted_or_kept(request), schedule=schedule)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_schedule(schedule, **form.values())
            return _detail_url(treatment)

        done = formtokens.save_once(
            request, form, save, message=pgettext("schedule form", "Your changes are saved.")
        )
        if done:
            return done
    return render(
        request,
        "treatments/schedule_edit/index.html",
        {"form": form, "treatment": treatment, "schedule": schedule},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def schedule_start(request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID) -> HttpResponse:
    """ "I'm starting now / at T": reminders follow the pattern the person copied."""
    treatment = get_treatment_of(request.user, treatment_id)
    schedule = get_schedule_of(request.user, schedule_id, treatment)
    if schedule.kind != ScheduleKind.ON_DEMAND:
        return redirect(_detail_url(treatment))
    now_local = timezone.localtime(jobs.now())
    form = StartForm(formstash.posted_or_kept(request), initial={"at": local_input(now_local)})
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            at: datetime = form.cleaned_data["at"]
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            services.start_on_demand(schedule, at=at)
            return _detail_url(treatment)

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext("on-demand start", "Noted. Your reminders follow your pattern."),
        )
        if done:
            return done
    return render(
        request,
        "treatments/schedule_start/index.html",
        {"form": form, "treatment": treatment, "schedule": describe_schedule(schedule)},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def schedule_delete(request: HttpRequest, treatment_id: uuid.UUID, schedule_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    schedule = get_schedule_of(request.user, schedule_id, treatment)
    if request.method == "POST":
        services.delete_schedule(schedule)
        messages.success(request, pgettext("schedule delete", "The schedule is deleted."))
        return redirect(_detail_url(treatment))
    return render(
        request,
        "treatments/schedule_delete/index.html",
        {"treatment": treatment, "schedule": describe_schedule(schedule)},
    )


# --- Side-effect notes --------------------------------------------------------------------------


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    form = SideEffectForm(formstash.posted_or_kept(request), initial={"day": services.today_of(request.user)})
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            note = services.add_side_effect(treatment, **form.values())
            return f"{_detail_url(treatment)}#note-{note.pk}"

        done = formtokens.save_once(
            request, form, save, message=pgettext("side effect form", "Your note is saved.")
        )
        if done:
            return done
    return render(request, "treatments/note_new/index.html", {"form": form, "treatment": treatment})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, treatment_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    treatment = get_treatment_of(request.user, treatment_id)
    note = get_note_of(request.user, treatment, note_id)
    if request.method == "POST":
        services.delete_side_effect(note)
        messages.success(request, pgettext("side effect delete", "The note is deleted."))
        return redirect(_detail_url(treatment))
    return render(request, "treatments/note_delete/index.html", {"treatment": treatment, "note": note})
