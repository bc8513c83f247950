"""Questionnaires: the list (where each stands), answering one, its history with the trend, one
response, deleting a response, and the rhythm with its reminder."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.assessments import display, engine, services
from entraide.assessments import values as v
from entraide.assessments.access import (
    filter_responses_of,
    get_instrument,
    get_response_of,
    latest_responses_of,
    responses_since,
)
from entraide.assessments.forms import QuestionnaireForm, ScheduleForm
from entraide.assessments.models import QuestionnaireResponse
from entraide.core import private_records
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience

PER_PAGE = 12  # about six months of fortnightly answers; the chart table has the whole period
PERIODS = {"365": 365, "730": 730, "tout": None}  # ?periode=; a year by default
DEFAULT_PERIOD = "365"
OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def _source(instrument: engine.Instrument) -> dict[str, str]:
    return {"source": instrument.source, "licence": instrument.licence}


@audience("owner")
@login_required
@require_safe
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    responses = latest_responses_of(user)
    dues = services.due_of(user, responses)
    latest = {key: display.result_of(row) for key, row in responses.items()}
    cards = [
        {
            "instrument": due.instrument,
            "name": engine.text(due.instrument.name),
            "about": v.ABOUT[due.instrument.key],
            "latest": latest.get(due.instrument.key),
            "due": due,
            "is_due": due.is_due(today),
            "rhythm": v.frequency_label(due.every_days),
        }
        for due in dues.values()
    ]
    return render(
        request,
        "assessments/questionnaires/index.html",
        {"cards": cards, "reminder": services.questionnaire_reminder_of(user)},
    )


def _led_to(response: QuestionnaireResponse) -> str:
    if response.crisis:
        return reverse("safety:crisis")
    return reverse("assessments:response", kwargs={"response_id": response.pk})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, questionnaire: str) -> HttpResponse:
    user = request.user
    instrument = get_instrument(questionnaire)
    form = QuestionnaireForm(formstash.posted_or_kept(request), instrument=instrument)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            private = bool(form.cleaned_data.get("private"))
            return _led_to(services.record_response(user, **form.values(), private=private))

        def same() -> formtokens.Recent | None:
            twin = services.same_response_since(user, since=formtokens.same_since(), **form.values())
            return formtokens.Recent(twin.answered_at, _led_to(twin)) if twin is not None else None

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext("questionnaire form", "Your answers are saved."),
            same=same,
        )
        if done is not None:
            return done
    return render(
        request,
        "assessments/respond/index.html",
        {
            "form": form,
            "instrument": instrument,
            "name": engine.text(instrument.name),
            "stem": engine.text(instrument.stem, form.language),
            "language": form.language,
            "about": v.ABOUT[instrument.key],
            **_source(instrument),
        },
    )


@audience("owner")
@login_required
@require_safe
def history(request: HttpRequest, questionnaire: str) -> HttpResponse:
    user = request.user
    instrument = get_instrument(questionnaire)
    rows = filter_responses_of(user).filter(instrument=instrument.key)
    page = Paginator(rows.order_by("-answered_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    page_rows = list(page.object_list)
    if page.number == 1 or not page_rows:  # the first page starts with the latest response
        latest = page_rows[0] if page_rows else None
    else:
        latest = rows.order_by("-answered_at", "-id").first()
    today = timezone.localdate()
    period = request.GET.get("periode", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    chart = None
    if latest is not None:
        # Only the period's responses are decrypted for the chart, and one page for the list:
        # years of answers cost a page, not the whole history.
        days = PERIODS[period]
        end = max(today, latest.local_date)
        if days is None:
            first = rows.aggregate(first=Min("local_date"))["first"] or today
            start = min(first, today - timedelta(days=29))
        else:
            start = today - timedelta(days=days - 1)
        inside = responses_since(user, instrument.key, start)
        chart = display.trend_chart(instrument, inside, start=start, end=end)
        # The page's responses already decrypted for the chart are not decrypted again.
        decrypted = {r.pk: r for r in inside}
        page_rows = [decrypted.get(r.pk, r) for r in page_rows]
    return render(
        request,
        "assessments/history/index.html",
        {
            "instrument": instrument,
            "name": engine.text(instrument.name),
            "chart": chart,
            "period": period,
            "periods": [
                ("365", pgettext("questionnaire history", "Last 12 months")),
                ("730", pgettext("questionnaire history", "Last 2 years")),
                ("tout", pgettext("questionnaire history", "Everything")),
            ],
            "page_obj": page,
            "past": [display.result_of(r) for r in page_rows],
            "latest": display.result_of(latest) if latest is not None else None,
            "change": display.meaningful_change(instrument),
            "bands": [
                {"low": b.low, "high": b.high, "meaning": v.meaning(instrument.key, b.key)}
                for b in instrument.bands
            ],
            "cutoffs": [
                {"cutoff": c, "op": OPS.get(c.op, c.op), "meaning": v.meaning(instrument.key, c.key)}
                for c in instrument.cutoffs
            ],
            **_source(instrument),
        },
    )


@audience("owner")
@login_required
@require_safe
def response_detail(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    response = get_response_of(request.user, response_id)
    instrument = response.definition
    return render(
        request,
        "assessments/response/index.html",
        {
            "result": display.result_of(response),
            "answers": display.answers_of(response),
            "instrument": instrument,
            **_source(instrument),
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def response_delete(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    response = get_response_of(request.user, response_id)
    if request.method == "POST":
        key = response.instrument
        services.delete_response(response)
        messages.success(request, pgettext("questionnaire delete", "The response is deleted."))
        return redirect("assessments:history", questionnaire=key)
    return render(request, "assessments/response_delete/index.html", {"result": display.result_of(response)})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    user = request.user
    dues = services.due_of(user)
    reminder = services.questionnaire_reminder_of(user)
    initial: dict[str, Any] = {f"every_{key}": str(due.every_days) for key, due in dues.items()}
    initial["remind"] = reminder.enabled if reminder is not None else True
    initial["at"] = reminder.local_time if reminder is not None else services.DEFAULT_REMINDER_AT
    form = ScheduleForm(formstash.posted_or_kept(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> str:
            for key in engine.KEYS:
                services.set_schedule(user, questionnaire=key, every_days=data[f"every_{key}"])
            services.set_questionnaire_reminder(user, enabled=bool(data["remind"]), at=data.get("at"))
            return reverse("assessments:questionnaires")

        done = formtokens.save_once(
            request, form, save, message=pgettext("questionnaire schedule", "Your rhythm is saved.")
        )
        if done:
            return done
    return render(request, "assessments/schedule/index.html", {"form": form})


@audience("owner")
@login_required
@require_POST
def response_private(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    """ "Reste privé": nobody the person shares with sees these answers, nor a crisis moment they caused."""
    found = get_response_of(request.user, response_id)
    private = private_records.wanted(request)
    services.mark_response_private(found, private=private)
    private_records.tell(request, private)
    return redirect("assessments:response", response_id=found.pk)
