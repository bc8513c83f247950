"""Today, the check-in form (new, edit, delete) and the list of past check-ins."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
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

from entraide.core import dates, private_records
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.journal import display, services
from entraide.journal.access import filter_checkins_of, get_checkin_of
from entraide.journal.forms import CheckinForm
from entraide.journal.models import Checkin

PER_PAGE = 25


def _today(request: HttpRequest) -> date:
    return timezone.localdate()  # the person's zone (accounts.middleware.PersonTimeZoneMiddleware)


def _summaries(checkins: list[Checkin], indicators: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"checkin": c, "lines": display.describe(c.payload, indicators)} for c in checkins]


@audience("owner")
@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    user = request.user
    day = _today(request)
    # Today's check-ins are decrypted to be shown; the week's means come from the day means.
    todays = filter_checkins_of(user).filter(local_date=day).order_by("moment")
    summaries = []
    for checkin in todays:
        lines, others = display.describe_brief(checkin.payload)
        summaries.append({"checkin": checkin, "lines": lines, "others": others})
    return render(
        request,
        "journal/today/index.html",
        {
            "day": day,
            "summaries": summaries,
            "week_rows": display.week_rows(services.day_values(user, day - timedelta(days=6), day)),
            "reminder_at": services.checkin_reminder_time(user),
        },
    )


@audience("owner")
@login_required
@require_safe
def checkin_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(filter_checkins_of(user).order_by("-local_date", "-moment"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    checkins = list(page.object_list)
    indicators = services.indicators_by_id(user) if any(c.payload.get("indicators") for c in checkins) else {}
    return render(
        request,
        "journal/checkins/index.html",
        {"page_obj": page, "summaries": _summaries(checkins, indicators)},
    )


def _build_form(request: HttpRequest, data: Any, initial: dict[str, Any]) -> CheckinForm:
    """The person's check-in form: their indicators, their own emotions, substances if on."""
    user = request.user
    all_indicators = services.indicators_by_id(user)
    active = sorted(
        (i for i in all_indicators.values() if i.archived_at is None),
        key=lambda i: (i.position, i.created_at),
    )
    settings_row = services.journal_settings_of(user)
    return CheckinForm(
        data,
        indicators=active,
        all_indicators=all_indicators,
        own_emotions=settings_row.own_emotions,
        track_substances=settings_row.track_substances,
        initial=initial,
    )


def _past_day_moment(request: HttpRequest) -> datetime:
    """Now, or noon of the day asked for (``?jour=2026-11-20``) to fill in a past day."""
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    day = dates.parse_date(request.GET.get("jour"))
    if day is None or day >= now.date():
        return now
    return datetime.combine(day, datetime.min.time()).replace(hour=12)


def _led_to(checkin: Checkin) -> str:
    return f"{reverse('journal:today')}#point-{checkin.pk}"


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = _build_form(request, formstash.posted_or_kept(request), {"moment": _past_day_moment(request)})
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            checkin = services.record_checkin(
                user,
                moment=form.moment_value(),
                values=form.values,
                indicators=form.all_indicators,
                private=bool(form.cleaned_data.get("private")),
            )
            return _led_to(checkin)

        def same() -> formtokens.Recent | None:
            twin = services.same_checkin_since(
                user, since=formtokens.same_since(), values=form.values, indicators=form.all_indicators
            )
            return formtokens.Recent(twin.created_at, _led_to(twin)) if twin is not None else None

        done = formtokens.save_once(
            request, form, save, message=pgettext("check-in form", "Your check-in is saved."), same=same
        )
        if done is not None:
            return done
    return render(request, "journal/checkin_new/index.html", {"form": form, "ask_private": True})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def checkin_edit(request: HttpRequest, checkin_id: uuid.UUID) -> HttpResponse:
    user = request.user
    checkin = get_checkin_of(user, checkin_id)
    form = _build_form(request, formstash.posted_or_kept(request), CheckinForm.initial_from(checkin))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_checkin(
                checkin, moment=form.moment_value(), values=form.values, indicators=form.all_indicators
            )
            return reverse("journal:checkins")

        done = formtokens.save_once(
            request, form, save, message=pgettext("check-in form", "Your check-in is updated.")
        )
        if done is not None:
            return done
    return render(request, "journal/checkin_edit/index.html", {"form": form, "checkin": checkin})


@audience("owner")
@login_required
@require_POST
def checkin_private(request: HttpRequest, checkin_id: uuid.UUID) -> HttpResponse:
    """ "Reste privé", from the check-in's page or the list: nobody the person shares with sees it."""
    checkin = get_checkin_of(request.user, checkin_id)
    private = private_records.wanted(request)
    services.mark_checkin_private(checkin, private=private)
    private_records.tell(request, private)
    listed = private_records.back_to_list(request)
    if listed:
        return redirect(reverse("journal:checkins") + listed.rstrip("?"))
    return redirect("journal:checkin-edit", checkin_id=checkin.pk)


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def checkin_delete(request: HttpRequest, checkin_id: uuid.UUID) -> HttpResponse:
    user = request.user
    checkin = get_checkin_of(user, checkin_id)
    if request.method == "POST":
        services.delete_checkin(checkin)
        messages.success(request, pgettext("check-in form", "The check-in is deleted."))
        return redirect("journal:checkins")
    lines = display.describe(checkin.payload, services.indicators_by_id(user))
    return render(request, "journal/checkin_delete/index.html", {"checkin": checkin, "lines": lines})
