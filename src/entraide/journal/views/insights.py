"""Seeing one's own evolution: trends, the history (month calendar and year in pixels), the
comparison of two measures, the weekly summary. Read-only pages of the person's own data."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from entraide.core import dates
from entraide.core.charts import line_chart, number
from entraide.core.web.routes import audience
from entraide.journal import insights
from entraide.journal import values as v
from entraide.journal.access import filter_checkins_of, filter_entries_of
from entraide.journal.pixels import SHADES, shade, year_in_pixels

PERIODS = (7, 30, 90, 365)
COMPARE_PERIODS = (90, 365, 0)  # 0: everything


def _int_choice(raw: str | None, allowed: tuple[int, ...], default: int) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return value if value in allowed else default


def _measure(measures: list[insights.Measure], key: str | None, default: str) -> insights.Measure:
    by_key = {m.key: m for m in measures}
    return by_key.get(key or "", by_key.get(default, measures[0]))


@audience("owner")
@login_required
@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    user = request.user
    measures = insights.measures_of(user, include_binary=False)
    measure = _measure(measures, request.GET.get("mesure"), "mood")
    days = _int_choice(request.GET.get("periode"), PERIODS, 30)
    end = timezone.localdate()
    start = end - timedelta(days=days - 1)
    points = insights.daily_values(user, [measure], start, end)[measure.key]
    low, high = insights.axis_of(measure, points)
    chart = line_chart(
        points, start=start, end=end, measure=measure.label, low=low, high=high, unit=measure.unit,
        places=measure.places,
    )  # fmt: skip
    return render(
        request,
        "journal/trends/index.html",
        {
            "measures": measures,
            "measure": measure,
            "periods": PERIODS,
            "days": days,
            "chart": chart,
        },
    )


def _month(raw: str | None, today: date) -> date:
    return dates.parse_month(raw) or today.replace(day=1)


@audience("owner")
@login_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    """A month calendar of mean moods, and the year in pixels of that month's year."""
    user = request.user
    today = timezone.localdate()
    month = _month(request.GET.get("mois"), today)
    if month > today:
        month = today.replace(day=1)
    year_start, year_end = date(month.year, 1, 1), date(month.year, 12, 31)
    mood = insights.BASE_MEASURES[0]
    points = insights.daily_values(user, [mood], year_start, year_end)["mood"]
    by_day = dict(points)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {
                    "day": day,
                    "in_month": day.month == month.month,
                    "mood": number(by_day[day]) if day in by_day else None,
                    "shade": shade(by_day[day]) if day in by_day else None,
                }
                for day in week
            ]
        )
    monthly = []
    for m in range(1, 13):
        values = [value for day, value in points if day.month == m]
        if values:
            monthly.append(
                {
                    "month": date(month.year, m, 1),
                    "mean": number(sum(values) / len(values)),
                    "days": len(values),
                }
            )
    pixels = year_in_pixels(
        points,
        month.year,
        title=pgettext("history", "My year %(year)s in pixels") % {"year": month.year},
        desc=pgettext("history", "One square per day with a check-in, darker when the mood was higher."),
    )
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "journal/history/index.html",
        {
            "month": month,
            "weeks": weeks,
            "weekdays": [date(2024, 1, i) for i in range(1, 8)],  # a Monday to a Sunday
            "previous": previous,
            "following": following if following <= today else None,
            "pixels": pixels,
            "shades": range(SHADES),
            "monthly": monthly,
        },
    )


@audience("owner")
@login_required
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Self-analysis: two measures, the same day or the next one, in plain words with numbers."""
    user = request.user
    measures = insights.measures_of(user)
    x = _measure(measures, request.GET.get("x"), "sleep")
    y = _measure(measures, request.GET.get("y"), "mood")
    lag = _int_choice(request.GET.get("decalage"), insights.LAGS, 1 if x.key == "sleep" else 0)
    days = _int_choice(request.GET.get("periode"), COMPARE_PERIODS, 365)
    end = timezone.localdate()
    start = end - timedelta(days=days - 1) if days else date(1900, 1, 1)
    values = insights.daily_values(user, [x, y] if x.key != y.key else [x], start, end)
    comparison = insights.compare(x, y, values[x.key], values[y.key], lag=lag)
    return render(
        request,
        "journal/compare/index.html",
        {
            "measures": measures,
            "x": x,
            "y": y,
            "lag": lag,
            "days": days,
            "periods": COMPARE_PERIODS,
            "comparison": comparison,
            "sentences": insights.describe(comparison),
        },
    )


def _week_start(raw: str | None, today: date) -> date:
    day = min(dates.parse_date(raw) or today, today)
    return day - timedelta(days=day.weekday())


def week_figures(user: Any, monday: date) -> dict[str, Any]:
    """One week (Monday to Sunday, local dates) of the person's check-ins and entries."""
    sunday = monday + timedelta(days=6)
    checkins = list(filter_checkins_of(user).filter(local_date__range=(monday, sunday)))
    measures = [m for m in insights.BASE_MEASURES if m.key in ("mood", "anxiety", "energy", "sleep")]
    means: dict[str, str | None] = {}
    for measure in measures:
        by_day: dict[date, list[float]] = {}
        for checkin in checkins:
            value = measure.value(checkin.payload)
            if value is not None:
                by_day.setdefault(checkin.local_date, []).append(value)
        daily = [sum(vs) / len(vs) for vs in by_day.values()]
        means[measure.key] = number(sum(daily) / len(daily)) if daily else None
    emotions: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for checkin in checkins:
        emotions.update(str(v.EMOTIONS[e]) for e in checkin.payload.get("emotions", []) if e in v.EMOTIONS)
        emotions.update(checkin.payload.get("own_emotions", []))
        tags.update(checkin.payload.get("tags", []))
    return {
        "monday": monday,
        "sunday": sunday,
        "checkins": len(checkins),
        "days": len({c.local_date for c in checkins}),
        "means": means,
        "emotions": emotions.most_common(3),
        "tags": tags.most_common(3),
        "entries": filter_entries_of(user).filter(day__range=(monday, sunday)).count(),
    }


@audience("owner")
@login_required
@require_safe
def week(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    monday = _week_start(request.GET.get("semaine"), today)
    this = week_figures(user, monday)
    before = week_figures(user, monday - timedelta(days=7))
    rows = [
        {"label": m.label, "this": this["means"][m.key], "before": before["means"][m.key], "unit": m.unit}
        for m in insights.BASE_MEASURES
        if m.key in ("mood", "anxiety", "energy", "sleep")
    ]
    following = monday + timedelta(days=7)
    return render(
        request,
        "journal/week/index.html",
        {
            "this": this,
            "before": before,
            "rows": rows,
            "previous": monday - timedelta(days=7),
            "following": following if following <= today else None,
        },
    )


@audience("owner")
@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The person's own overview: one section per app that registered one (core.registries)."""
    from entraide.core.registries import overview_sections

    sections = []
    for section in overview_sections.ordered():
        context = section.context(request.user)
        if context is not None:
            sections.append({"section": section, "context": context})
    return render(request, "journal/overview/index.html", {"sections": sections})
