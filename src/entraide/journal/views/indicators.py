"""The person's own indicators: their list in the person's order, creating, changing, moving,
archiving and restoring one. Moving works as plain forms; with htmx, the list is swapped in place."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.forms import formstash, formtokens
from entraide.core.web.htmx import HtmxHttpRequest
from entraide.core.web.routes import audience
from entraide.journal import services
from entraide.journal.access import filter_indicators_of, get_indicator_of
from entraide.journal.forms_indicators import IndicatorForm

MOVES = {"up": -1, "down": 1}


def _limit_message() -> str:
    return str(services.LIMIT_MESSAGE)


def _list_context(user: Any) -> dict[str, Any]:
    rows = list(filter_indicators_of(user))  # one query, archived ones included
    active = sorted((i for i in rows if i.archived_at is None), key=lambda i: (i.position, i.created_at))
    archived = sorted((i for i in rows if i.archived_at is not None), key=lambda i: i.name.casefold())
    return {
        "active": active,
        "archived": archived,
        "limit": services.MAX_ACTIVE_INDICATORS,
        "at_limit": len(active) >= services.MAX_ACTIVE_INDICATORS,
        "limit_message": _limit_message(),
    }


def _back_to_list(indicator: Any) -> HttpResponse:
    """Move and archive change something: only a POST does. A GET (a link followed after logging
    in again) leads back to the list, where the buttons are."""
    return redirect(f"{reverse('journal:indicators')}#indicateur-{indicator.pk}")


@audience("owner")
@login_required
@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/indicators/index.html", _list_context(request.user))


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = IndicatorForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            indicator = services.create_indicator(user, **form.values())
            return f"{reverse('journal:indicators')}#indicateur-{indicator.pk}"

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext("indicator form", "Your indicator is ready: it appears in your check-in."),
        )
        if done:
            return done
    at_limit = (
        request.method == "GET"
        and filter_indicators_of(user).filter(archived_at__isnull=True).count()
        >= services.MAX_ACTIVE_INDICATORS
    )
    return render(
        request,
        "journal/indicator_new/index.html",
        {"form": form, "at_limit": at_limit, "limit_message": _limit_message() if at_limit else ""},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    user = request.user
    indicator = get_indicator_of(user, indicator_id)
    form = IndicatorForm(formstash.posted_or_kept(request), indicator=indicator)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_indicator(indicator, **form.values())
            return f"{reverse('journal:indicators')}#indicateur-{indicator.pk}"

        done = formtokens.save_once(
            request, form, save, message=pgettext("indicator form", "Your indicator is updated.")
        )
        if done:
            return done
    return render(request, "journal/indicator_edit/index.html", {"form": form, "indicator": indicator})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def indicator_move(request: HtmxHttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    user = request.user
    indicator = get_indicator_of(user, indicator_id)
    if request.method == "GET":
        return _back_to_list(indicator)
    offset = MOVES.get(request.POST.get("direction", ""))
    if offset is not None:
        services.move_indicator(indicator, offset=offset)
    if request.htmx:
        return render(request, "journal/indicators/partial.html", _list_context(user))
    return _back_to_list(indicator)


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def indicator_archive(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    indicator = get_indicator_of(request.user, indicator_id)
    if request.method == "GET":
        return _back_to_list(indicator)
    if request.POST.get("action") == "restore":
        if indicator.archived_at is not None:
            try:
                services.restore_indicator(indicator)
            except services.IndicatorLimitError:
                messages.info(request, _limit_message())
                return redirect("journal:indicators")
        messages.success(
            request,
            pgettext("indicator list", "“%(name)s” is back in your check-in.") % {"name": indicator.name},
        )
    else:
        if indicator.archived_at is None:
            services.archive_indicator(indicator)
        messages.success(
            request,
            pgettext(
                "indicator list", "“%(name)s” is archived: it leaves your check-in, its past values stay."
            )
            % {"name": indicator.name},
        )
    return _back_to_list(indicator)
