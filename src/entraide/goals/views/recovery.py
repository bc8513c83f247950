"""The monthly recovery self-assessment (CHIME): rating a month (again: it replaces), the history
with one chart per dimension and the person's words by month, deleting a month."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core import dates
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_assessments_of, get_assessment_of
from entraide.goals.display import month_chart, month_name
from entraide.goals.forms import RecoveryForm

# A page stays under 60 KB whatever the history: one chart at a time (chosen with ?dimension=),
# and four months of words at most (4 × 5 × 1,000 characters at worst).
MONTHS_OF_WORDS_PER_PAGE = 4
MONTH_PARAM = "mois"  # ?mois=2026-03


def _month(text: str | None) -> date | None:
    """``2026-03`` → 1 March 2026; ``None`` if unreadable or after this month."""
    month = dates.parse_month(text)
    return month if month is not None and month <= services.month_start(timezone.localdate()) else None


@audience("owner")
@login_required
@require_safe
def recovery_history(request: HttpRequest) -> HttpResponse:
    user = request.user
    assessments = list(filter_assessments_of(user).order_by("month"))  # one a month: a few dozen rows
    today = timezone.localdate()
    this_month = services.month_start(today)
    selected = next((d for d in v.DIMENSIONS if d.key == request.GET.get("dimension")), v.DIMENSIONS[0])
    chart = None
    if assessments:
        start = min(assessments[0].month, services.add_months(this_month, -11))
        chart = month_chart(assessments, selected, start=start, end=today)
    by_month = [
        {
            "assessment": a,
            "dimensions": [
                {"dimension": d, "score": a.score(d.key), "words": a.words(d.key)} for d in v.DIMENSIONS
            ],
            "has_words": any(a.words(d.key) for d in v.DIMENSIONS),
        }
        for a in reversed(assessments)
    ]
    page = Paginator(by_month, MONTHS_OF_WORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "goals/recovery/index.html",
        {
            "chart": chart,
            "selected": selected,
            "latest": assessments[-1] if assessments else None,
            "latest_scores": [(d, assessments[-1].score(d.key)) for d in v.DIMENSIONS] if assessments else [],
            "page_obj": page,
            "months": list(page.object_list),
            "rated_this_month": any(a.month == this_month for a in assessments),
            "dimensions": v.DIMENSIONS,
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def recovery_rate(request: HttpRequest) -> HttpResponse:
    """Rate this month, or a past one (``?mois=2026-03``). A month already rated shows its answers
    and a calm note: saving replaces them."""
    user = request.user
    data = formstash.posted_or_kept(request)
    month = _month(
        data.get("month") if data is not None else request.GET.get(MONTH_PARAM)
    ) or services.month_start(timezone.localdate())
    existing = services.assessment_of_month(user, month)
    form = RecoveryForm(data, assessment=existing)
    if request.method == "POST" and form.is_valid():
        # ``existing`` was read in this request: only a rating of this month saved at the same
        # instant would be replaced without the message saying so.
        message = (
            pgettext("recovery form", "Your answers for %(month)s are saved; they replace the earlier ones.")
            if existing is not None
            else pgettext("recovery form", "Your answers for %(month)s are saved.")
        )

        def save() -> str:
            services.rate_recovery(user, month=month, values=form.values())
            return reverse("goals:recovery")

        done = formtokens.save_once(request, form, save, message=message % {"month": month_name(month)})
        if done:
            return done
    return render(
        request,
        "goals/recovery_rate/index.html",
        {
            "form": form,
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "existing": existing,
            "is_this_month": month == services.month_start(timezone.localdate()),
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def recovery_delete(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_of(request.user, assessment_id)
    if request.method == "POST":
        services.delete_assessment(assessment)
        messages.success(
            request,
            pgettext("recovery delete", "Your answers for %(month)s are deleted.")
            % {"month": month_name(assessment.month)},
        )
        return redirect("goals:recovery")
    return render(request, "goals/recovery_delete/index.html", {"assessment": assessment})
