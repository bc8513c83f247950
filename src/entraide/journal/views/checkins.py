"""Today, the check-in form (new, edit, delete) and the list of past check-ins."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core import formstash, formtokens
from entraide.core.owned_rows import owned_rows
from entraide.core.reversing import cached_reverse
from entraide.core.routes import audience
from entraide.journal import display, services
from entraide.journal.access import filter_checkins_of, get_checkin_of
from entraide.journal.forms import CheckinForm, filled
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
    todays = owned_rows(Checkin, user, local_date=day, order="moment")
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
            "week_rows": display.week_table_body(services.day_values(user, day - timedelta(days=6), day)),
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


def _build_form(
    request: HttpRequest, data: Any, initial: dict[str, Any], *, posted_only: bool = False
) -> CheckinForm:
    """The person's check-in form; with ``posted_only``, the form that checks a POST before it is
    saved (``CheckinForm``), for which the indicators and the journal settings are read only
    when the POST gives a value they concern."""
    user = request.user
    all_indicators = (
        services.indicators_by_id(user)
        if not posted_only or any(filled(data, key) for key in data if key.startswith("ind_"))
        else {}
    )
    active = sorted(
        (i for i in all_indicators.values() if i.archived_at is None),
        key=lambda i: (i.position, i.created_at),
    )
    settings_row = (
        services.journal_settings_of(user)
        if not posted_only or any(filled(data, key) for key in ("own_emotions", *CheckinForm.SUBSTANCES))
        else None
    )
    return CheckinForm(
        data,
        indicators=active,
        all_indicators=all_indicators,
        own_emotions=settings_row.own_emotions if settings_row else [],
        track_substances=settings_row.track_substances if settings_row else False,
        initial=initial,
        posted_only=posted_only,
    )


def _save_posted(
    request: HttpRequest, initial: dict[str, Any], prepare: Callable[[CheckinForm], formtokens.Prepared]
) -> tuple[CheckinForm, tuple[str, bool] | None]:
    """A posted check-in saved once for its token: ``(form, (url, first time))``; or, when it
    cannot be saved, ``(form, None)`` with the whole form to show again, values and errors kept
    (``formtokens.save_prepared``: ``prepare`` does what needs no transaction)."""
    form = _build_form(request, request.POST, initial, posted_only=True)
    if form.is_valid():
        done = formtokens.save_prepared(request, form, lambda: prepare(form))
        if done is not None:
            return form, done
    whole = _build_form(request, request.POST, initial)
    if whole.is_valid():  # the problem came from saving (a refused token, a moment too far ahead)
        for name, errors in form.errors.as_data().items():
            whole.add_error(None if name == NON_FIELD_ERRORS else name, errors)
    return whole, None


def _past_day_moment(request: HttpRequest) -> datetime:
    """Now, or noon of the day asked for (``?jour=2026-11-20``) to fill in a past day."""
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    try:
        day = date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        return now
    if day >= now.date():
        return now
    return datetime.combine(day, datetime.min.time()).replace(hour=12)


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"moment": _past_day_moment(request)}
    if request.method != "POST":
        form = _build_form(request, formstash.posted_or_kept(request), initial)
        return render(request, "journal/checkin_new/index.html", {"form": form})

    def prepare(form: CheckinForm) -> formtokens.Prepared:
        prepared = services.prepare_checkin(
            user, moment=form.moment_value(), values=form.values, indicators=form.all_indicators
        )
        return f"{cached_reverse('journal:today')}#point-{prepared.checkin.pk}", prepared.save

    form, saved = _save_posted(request, initial, prepare)
    if saved is None:
        return render(request, "journal/checkin_new/index.html", {"form": form})
    url, first = saved
    formtokens.saved_message(request, first, pgettext("check-in form", "Your check-in is saved."))
    return HttpResponseRedirect(url)  # a path already: ``redirect`` would try to reverse it first


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def checkin_edit(request: HttpRequest, checkin_id: uuid.UUID) -> HttpResponse:
    user = request.user
    checkin = get_checkin_of(user, checkin_id)
    initial = CheckinForm.initial_from(checkin)
    if request.method != "POST":
        form = _build_form(request, formstash.posted_or_kept(request), initial)
        return render(request, "journal/checkin_edit/index.html", {"form": form, "checkin": checkin})

    def prepare(form: CheckinForm) -> formtokens.Prepared:
        def write() -> None:
            services.update_checkin(
                checkin, moment=form.moment_value(), values=form.values, indicators=form.all_indicators
            )

        return reverse("journal:checkins"), write

    form, saved = _save_posted(request, initial, prepare)
    if saved is None:
        return render(request, "journal/checkin_edit/index.html", {"form": form, "checkin": checkin})
    messages.success(request, pgettext("check-in form", "Your check-in is updated."))
    return HttpResponseRedirect(saved[0])


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
