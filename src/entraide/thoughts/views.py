"""Thought records: the list with a search, a record, the form (new, edit), the follow-up
("et maintenant ?"), deleting, and what the records show over time."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.core import private_records
from entraide.core.charts import line_chart, number
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.journal.services import journal_settings_of
from entraide.thoughts import services
from entraide.thoughts import values as v
from entraide.thoughts.access import filter_thoughts_of, get_thought_of
from entraide.thoughts.forms import FollowUpForm, ThoughtForm
from entraide.thoughts.insights import insights_of
from entraide.thoughts.models import ThoughtRecord

PER_PAGE = 25
MAX_QUERY = 200
TITLE_LENGTH = 140
MAX_EMOTION_ROWS = 20  # the most often rated; keeps the page light whatever one's own words


def _start(text: str, length: int = TITLE_LENGTH) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def _emotions(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": services.emotion_name(e), "before": e.get("before"), "after": e.get("after")}
        for e in payload.get("emotions", [])
    ]


def _item(record: ThoughtRecord) -> dict[str, Any]:
    p = record.payload
    return {
        "record": record,
        "title": _start(p.get("thought") or p.get("situation", "")),
        "time": p.get("time"),
        "emotions": _emotions(p),
        "distortions": len(p.get("distortions", [])),
    }


def _form_context(request: HttpRequest, form: ThoughtForm) -> dict[str, Any]:
    return {"form": form, "own_words": journal_settings_of(request.user).own_emotions}


# --- Reading ------------------------------------------------------------------------------------


@audience("owner")
@login_required
@require_safe
def record_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    # Searching decrypts every record in memory (one person's scale); listing decrypts one page.
    rows: Any = (
        services.search_thoughts(user, query)
        if query
        else filter_thoughts_of(user).order_by("-day", "-created_at", "-id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "thoughts/records/index.html",
        {"page_obj": page, "items": [_item(r) for r in page.object_list], "query": query},
    )


@audience("owner")
@login_required
@require_safe
def record_detail(request: HttpRequest, thought_id: uuid.UUID) -> HttpResponse:
    record = get_thought_of(request.user, thought_id)
    p = record.payload
    return render(
        request,
        "thoughts/record/index.html",
        {
            "item": _item(record),
            "record": record,
            "p": p,
            "distortions": [v.DISTORTIONS[k] for k in p.get("distortions", []) if k in v.DISTORTIONS],
        },
    )


# --- Writing ------------------------------------------------------------------------------------


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ThoughtForm(formstash.posted_or_kept(request), initial=ThoughtForm.initial_for_new())
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            record = services.create_thought(
                user, **form.values(), private=bool(form.cleaned_data.get("private"))
            )
            return reverse("thoughts:record", kwargs={"thought_id": record.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("thought record form", "Your thought record is saved.")
        )
        if done:
            return done
    return render(
        request, "thoughts/record_new/index.html", {**_form_context(request, form), "ask_private": True}
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, thought_id: uuid.UUID) -> HttpResponse:
    record = get_thought_of(request.user, thought_id)
    form = ThoughtForm(formstash.posted_or_kept(request), initial=ThoughtForm.initial_from(record))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_thought(record, **form.values())
            return reverse("thoughts:record", kwargs={"thought_id": record.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("thought record form", "Your thought record is updated.")
        )
        if done:
            return done
    context = _form_context(request, form)
    context["record"] = record
    return render(request, "thoughts/record_edit/index.html", context)


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def record_follow_up(request: HttpRequest, thought_id: uuid.UUID) -> HttpResponse:
    record = get_thought_of(request.user, thought_id)
    url = reverse("thoughts:record", kwargs={"thought_id": record.pk})
    if request.method == "POST" and "remove" in request.POST:
        services.clear_follow_up(record)
        messages.success(request, pgettext("follow-up form", "The follow-up is removed."))
        return redirect(url)
    form = FollowUpForm(formstash.posted_or_kept(request), initial=FollowUpForm.initial_from(record))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.record_follow_up(record, **form.values())
            return url

        done = formtokens.save_once(
            request, form, save, message=pgettext("follow-up form", "Your follow-up is saved.")
        )
        if done:
            return done
    return render(
        request,
        "thoughts/record_follow_up/index.html",
        {"form": form, "record": record, "item": _item(record)},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, thought_id: uuid.UUID) -> HttpResponse:
    record = get_thought_of(request.user, thought_id)
    if request.method == "POST":
        services.delete_thought(record)
        messages.success(request, pgettext("thought record delete", "The thought record is deleted."))
        return redirect("thoughts:records")
    return render(request, "thoughts/record_delete/index.html", {"item": _item(record), "record": record})


# --- Over time ----------------------------------------------------------------------------------


@audience("owner")
@login_required
@require_safe
def insights(request: HttpRequest) -> HttpResponse:
    figures = insights_of(request.user)
    chart = None
    if figures.daily_drops:
        today = timezone.localdate()
        first, last = figures.daily_drops[0][0], figures.daily_drops[-1][0]
        end = max(today, last)
        # At most a year (the chart's table goes weekly past a month), at least a month.
        start = max(end - timedelta(days=364), min(first, end - timedelta(days=29)))
        lowest = min(drop for _, drop in figures.daily_drops)
        chart = line_chart(
            figures.daily_drops,
            start=start,
            end=end,
            measure=pgettext("thought insights", "Drop in intensity"),
            low=min(0, 10 * math.floor(lowest / 10)),
            high=100,
            unit=pgettext("thought insights", "points"),
            chart_id="drop-trend",
        )
    records = figures.records
    return render(
        request,
        "thoughts/insights/index.html",
        {
            "figures": figures,
            "distortions": [
                {"distortion": d.distortion, "count": d.count, "of": records} for d in figures.distortions
            ],
            "emotions": [
                {
                    "name": e.name,
                    "pairs": e.pairs,
                    "before": number(e.mean_before),
                    "after": number(e.mean_after),
                    "drop": number(e.drop),
                }
                for e in figures.emotions[:MAX_EMOTION_ROWS]
            ],
            "other_emotions": max(0, len(figures.emotions) - MAX_EMOTION_ROWS),
            "mean_before": number(figures.mean_before) if figures.mean_before is not None else None,
            "mean_after": number(figures.mean_after) if figures.mean_after is not None else None,
            "mean_change": number(abs(figures.mean_drop)) if figures.mean_drop is not None else None,
            "chart": chart,
        },
    )


@audience("owner")
@login_required
@require_POST
def record_private(request: HttpRequest, thought_id: uuid.UUID) -> HttpResponse:
    """ "Reste privé": nobody the person shares with sees the thought record."""
    found = get_thought_of(request.user, thought_id)
    private = private_records.wanted(request)
    services.mark_thought_private(found, private=private)
    private_records.tell(request, private)
    return redirect("thoughts:record", thought_id=found.pk)
