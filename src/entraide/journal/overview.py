"""The journal's part of the person's overview page (core.registries.overview_sections)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.charts import line_chart
from entraide.core.registries import OverviewSection, register_overview_section
from entraide.journal import day_means, insights


def mood_overview(person: Any) -> dict[str, Any]:
    """The journal's part of the overview: the last 30 days of mood, and how many check-ins this
    week holds, all from the day means (no check-in is decrypted)."""
    end = timezone.localdate()
    start = end - timedelta(days=29)
    monday = end - timedelta(days=end.weekday())
    months = day_means.months(person, start, end)
    mood = insights.BASE_MEASURES[0]
    points = insights.daily_values(person, [mood], start, end, months=months)["mood"]
    chart = line_chart(
        points, start=start, end=end, measure=mood.label, low=0, high=10, chart_id="overview-mood"
    )
    this_week = [
        n
        for month in months
        for day, n in zip(month.days, month.checkins, strict=True)
        if monday <= day <= end
    ]
    return {"chart": chart, "this": {"checkins": sum(this_week), "days": len(this_week)}}


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="journal.mood",
            title=pgettext_lazy("overview", "My mood, the last 30 days"),
            template="journal/overview/mood.html",
            context=mood_overview,
            order=10,
        )
    )
