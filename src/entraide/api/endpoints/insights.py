"""Trends and comparisons: the figures the trends and self-analysis pages show, as JSON."""

from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import READ_ERRORS
from entraide.core.charts import trailing_mean
from entraide.journal import insights

router = area_router("journal", tags=["trends"])
router.add_decorator(in_owner_zone)
ERRORS = {**READ_ERRORS, 404: READ_ERRORS[401]}


class MeasureOut(Schema):
    key: str = Field(description="mood, anxiety, energy, sleep (hours), … or ind-<indicator id>.")
    label: str
    unit: str
    low: float
    high: float = Field(description="The scale's top; 0 for numbers without one.")
    binary: bool = Field(description="A yes/no measure: 1 on days with, 0 on days without.")


class TrendDays(IntEnum):
    WEEK = 7
    MONTH = 30
    QUARTER = 90
    YEAR = 365


class CompareDays(IntEnum):
    QUARTER = 90
    YEAR = 365
    EVERYTHING = 0


class Lag(IntEnum):
    SAME_DAY = 0
    NEXT_DAY = 1


class TrendQuery(Schema):
    measure: str = Field("mood", max_length=60)
    days: TrendDays = Field(TrendDays.MONTH, description="The last 7, 30, 90 or 365 days.")


class TrendPoint(Schema):
    day: date
    value: float = Field(description="The mean of that day's check-ins.")
    mean7: float = Field(description="The mean of the days with data among this day and the 6 before.")


class TrendOut(Schema):
    measure: MeasureOut
    start: date
    end: date
    days_with_data: int
    mean: float | None
    first_mean7: float | None
    last_mean7: float | None
    points: list[TrendPoint]


class ComparisonQuery(Schema):
    x: str = Field("sleep", max_length=60)
    y: str = Field("mood", max_length=60)
    lag: Lag = Field(Lag.SAME_DAY, description="1: y is taken the day after x.")
    days: CompareDays = Field(CompareDays.YEAR, description="The last 90 or 365 days; 0 for everything.")


class ComparisonOut(Schema):
    x: MeasureOut
    y: MeasureOut
    lag: int
    pairs: int = Field(description="Days paired (x on a day, y the same or the next day).")
    spearman: float | None = Field(description="Spearman's rank correlation, average ranks for ties.")
    caution: bool = Field(description="Fewer than 14 paired days: the figures are fragile.")
    threshold: float | None = Field(description="x is split at its median (null for yes/no).")
    high_mean: float | None
    high_days: int
    low_mean: float | None
    low_days: int
    sentences: list[str] = Field(description="The comparison in plain words, never causal.")


def measure_out(m: insights.Measure) -> dict[str, Any]:
    return {
        "key": m.key,
        "label": str(m.label),
        "unit": str(m.unit),
        "low": m.low,
        "high": m.high,
        "binary": m.binary,
    }


def find_measure(measures: list[insights.Measure], key: str) -> insights.Measure:
    for measure in measures:
        if measure.key == key:
            return measure
    raise Http404


@router.get(
    "/measures",
    response={200: list[MeasureOut], **READ_ERRORS},
    operation_id="listMeasures",
    summary="List the measures",
)
def list_measures(request: HttpRequest) -> list[dict[str, Any]]:
    return [measure_out(m) for m in insights.measures_of(owner_of(request))]


@router.get(
    "/trends", response={200: TrendOut, **ERRORS}, operation_id="getTrend", summary="A measure's trend"
)
def get_trend(request: HttpRequest, query: Query[TrendQuery]) -> dict[str, Any]:
    owner = owner_of(request)
    measure = find_measure(insights.measures_of(owner), query.measure)
    end = timezone.localdate()
    start = end - timedelta(days=int(query.days) - 1)
    points = insights.daily_values(owner, [measure], start, end)[measure.key]
    return trend_out(measure, points, start, end)


def trend_out(
    measure: insights.Measure, points: list[tuple[date, float]], start: date, end: date
) -> dict[str, Any]:
    """A measure's day means and their 7-day means (``TrendOut``): the person's own trend, and
    the one a supporter reads through the circle."""
    smoothed = trailing_mean(points)
    return {
        "measure": measure_out(measure),
        "start": start,
        "end": end,
        "days_with_data": len(points),
        "mean": sum(v for _, v in points) / len(points) if points else None,
        "first_mean7": smoothed[0][1] if smoothed else None,
        "last_mean7": smoothed[-1][1] if smoothed else None,
        "points": [
            {"day": day, "value": value, "mean7": mean}
            for (day, value), (_, mean) in zip(points, smoothed, strict=True)
        ],
    }


@router.get(
    "/comparisons",
    response={200: ComparisonOut, **ERRORS},
    operation_id="compareMeasures",
    summary="Compare two measures",
)
def compare_measures(request: HttpRequest, query: Query[ComparisonQuery]) -> dict[str, Any]:
    owner = owner_of(request)
    measures = insights.measures_of(owner)
    x, y = find_measure(measures, query.x), find_measure(measures, query.y)
    end = timezone.localdate()
    start = end - timedelta(days=int(query.days) - 1) if query.days else date(1900, 1, 1)
    values = insights.daily_values(owner, [x, y] if x.key != y.key else [x], start, end)
    c = insights.compare(x, y, values[x.key], values[y.key], lag=int(query.lag))
    return {
        "x": measure_out(x),
        "y": measure_out(y),
        "lag": c.lag,
        "pairs": c.pairs,
        "spearman": c.rho,
        "caution": c.cautious,
        "threshold": c.threshold,
        "high_mean": c.high_mean,
        "high_days": c.high_days,
        "low_mean": c.low_mean,
        "low_days": c.low_days,
        "sentences": insights.describe(c),
    }
