"""Doses: today's list, one dose (the page a reminder opens: buttons that POST, nothing changed on
GET) and the adherence figures over 7, 30 and 90 days."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.charts import line_chart
from entraide.core.errors import InvalidValuesError
from entraide.core.localtime import occurrence
from entraide.core.web.routes import audience
from entraide.treatments import services
from entraide.treatments import values as v
from entraide.treatments.access import filter_records_of, get_schedule_of
from entraide.treatments.display import adherence_rows, describe_schedule
from entraide.treatments.models import DoseStatus

CLEAR = "clear"


@audience("owner")
@login_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    user = request.user
    zone = services.zone_of(user)
    day = services.today_of(user)
    doses = services.doses_between(
        user, occurrence(day, time(0, 0), zone), occurrence(day + timedelta(days=1), time(0, 0), zone)
    )
    return render(
        request,
        "treatments/today/index.html",
        {"doses": doses, "day": day, "statuses": DoseStatus.choices, "next": reverse("treatments:today")},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def dose(request: HttpRequest, schedule_id: uuid.UUID, dose_at: str) -> HttpResponse:
    """One dose: what it is, and buttons (taken, taken late, not taken). GET changes nothing."""
    schedule = get_schedule_of(request.user, schedule_id)
    due_at = v.parse_stamp(dose_at)
    if due_at is None or not services.is_due(schedule, due_at):
        raise Http404
    if request.method == "POST":
        status = request.POST.get("status", "")
        try:
            if status == CLEAR:
                services.clear_dose(schedule, due_at=due_at)
            else:
                services.record_dose(schedule, due_at=due_at, status=status)
        except InvalidValuesError as exc:
            for message in exc.errors.values():
                messages.error(request, str(message))
        else:
            messages.success(
                request, pgettext("dose", "Noted.") if status != CLEAR else pgettext("dose", "Cleared.")
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ) or not target.startswith("/"):
            target = request.path
        return redirect(target)
    record = filter_records_of(request.user).filter(schedule_id=schedule.pk, due_at=due_at).first()
    amount = ""
    if schedule.pattern:
        found = services.doses_between(
            request.user, due_at, due_at, treatment=schedule.treatment, active_only=False
        )
        amount = next((d.amount for d in found if d.schedule.pk == schedule.pk), "")
    return render(
        request,
        "treatments/dose/index.html",
        {
            "treatment": schedule.treatment,
            "schedule": describe_schedule(schedule),
            "due_at": due_at,
            "amount": amount,
            "status": record.status if record else "",
            "statuses": DoseStatus.choices,
            "clear": CLEAR,
        },
    )


@audience("owner")
@login_required
@require_safe
def adherence(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = adherence_rows(user)
    month = rows[1]["figures"]
    points = [(day, taken / scheduled * 100) for day, scheduled, taken in month.per_day if scheduled]
    chart = (
        line_chart(
            points,
            start=month.per_day[0][0],
            end=month.per_day[-1][0],
            measure=pgettext("adherence chart", "Doses taken that day"),
            unit="%",
            low=0,
            high=100,
            places=0,
        )
        if points
        else None
    )
    return render(
        request,
        "treatments/adherence/index.html",
        {"rows": rows, "chart": chart, "per_day": [d for d in month.per_day if d[1]]},
    )
