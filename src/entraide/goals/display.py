"""The recovery self-assessment's trend, with the shared chart component (``core.charts``).

The component is made for daily values (a trailing 7-day mean, weekly table rows); a rating comes
once a month, so each dimension's chart keeps the component's picture (one dot per month: with a
month between two ratings nothing is drawn between them, never interpolated) and gets a summary,
a description and a table that speak of months.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from entraide.core.charts import Chart, Row, line_chart, number
from entraide.goals.models import RecoveryAssessment
from entraide.goals.values import SCORE_HIGH, SCORE_LOW, Dimension


def month_name(month: date) -> str:
    return formats.date_format(month, "F Y")


def _monthly_desc(svg: SafeString) -> SafeString:
    """The component's <desc> speaks of days and 7-day means; here each dot is a month."""
    daily = conditional_escape(
        pgettext("chart", "Thin line: each day's value; thick line: the mean of the last 7 days with data.")
    )
    monthly = conditional_escape(pgettext("recovery chart", "Each dot is the rating of one month."))
    return mark_safe(svg.replace(daily, monthly))  # noqa: S308 — both sides escaped above


def month_chart(
    assessments: Sequence[RecoveryAssessment], dimension: Dimension, *, start: date, end: date
) -> Chart:
    points = [(a.month, float(s)) for a in assessments if (s := a.score(dimension.key)) is not None]
    chart = line_chart(
        points,
        start=start,
        end=end,
        measure=dimension.name,
        low=SCORE_LOW,
        high=SCORE_HIGH,
        chart_id=f"chart-{dimension.key}",
        places=1,
    )
    period = pgettext("recovery chart", "From %(start)s to %(end)s") % {
        "start": month_name(start),
        "end": month_name(end),
    }
    name = str(dimension.name)
    if not points:
        summary = pgettext("recovery chart", "%(period)s, no rating for %(dimension)s.") % {
            "period": period,
            "dimension": name[:1].lower() + name[1:],
        }
        return dataclasses.replace(chart, summary=summary, rows=[], weekly=False)
    values = [value for _, value in points]
    summary = pgettext(
        "recovery chart",
        "%(period)s: %(dimension)s %(mean)s out of 10 on average, over %(months)s rated months.",
    ) % {
        "period": period,
        "dimension": name[:1].lower() + name[1:],
        "mean": number(sum(values) / len(values)),
        "months": len(values),
    }
    if len(values) >= 2:
        summary += " " + pgettext(
            "recovery chart", "First rating %(first)s (%(first_month)s), latest %(last)s (%(last_month)s)."
        ) % {
            "first": number(values[0]),
            "first_month": month_name(points[0][0]),
            "last": number(values[-1]),
            "last_month": month_name(points[-1][0]),
        }
    rows = [Row(month_name(month), number(value), 1) for month, value in points]
    return dataclasses.replace(
        chart,
        svg=_monthly_desc(chart.svg),
        summary=summary,
        rows=rows,
        weekly=False,
        period_label=pgettext("recovery chart", "Month"),
    )
