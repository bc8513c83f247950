"""A check-in in words, for the person's own pages: labels and values, nothing computed twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import number_format
from django.utils.translation import pgettext

from entraide.core.charts import number
from entraide.journal import values as v
from entraide.journal.models import Indicator, IndicatorKind


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def _yes_no(value: bool) -> str:
    return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")


def duration_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return pgettext("duration", "%(minutes)s min") % {"minutes": rest}
    return pgettext("duration", "%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}


def indicator_text(indicator: Indicator, value: Any) -> str:
    if indicator.kind == IndicatorKind.YES_NO:
        return _yes_no(bool(value))
    if indicator.kind == IndicatorKind.DURATION:
        return duration_text(int(value))
    if indicator.kind == IndicatorKind.SCALE:
        return f"{value}/10"
    if indicator.kind == IndicatorKind.NUMBER:
        text = number_format(value)
        return f"{text} {indicator.unit}".strip()
    return str(value)


def describe(payload: dict[str, Any], indicators: dict[str, Indicator]) -> list[Line]:
    lines: list[Line] = []
    add = lines.append
    if "mood" in payload:
        add(Line(pgettext("check-in summary", "Mood"), f"{payload['mood']}/10"))
    emotions = [str(v.EMOTIONS[e]) for e in payload.get("emotions", []) if e in v.EMOTIONS]
    emotions += payload.get("own_emotions", [])
    if emotions:
        add(Line(pgettext("check-in summary", "Emotions"), ", ".join(emotions)))
    if "anxiety" in payload:
        add(Line(pgettext("check-in summary", "Anxiety"), f"{payload['anxiety']}/10"))
    if "energy" in payload:
        add(Line(pgettext("check-in summary", "Energy"), f"{payload['energy']}/10"))
    if "sleep_minutes" in payload:
        text = pgettext("check-in summary", "%(duration)s (%(bed)s → %(wake)s)") % {
            "duration": duration_text(payload["sleep_minutes"]),
            "bed": payload.get("sleep_bed", ""),
            "wake": payload.get("sleep_wake", ""),
        }
        add(Line(pgettext("check-in summary", "Sleep"), text))
    if "sleep_quality" in payload:
        add(Line(pgettext("check-in summary", "Sleep quality"), f"{payload['sleep_quality']}/5"))
    if "activity_minutes" in payload:
        add(
            Line(
                pgettext("check-in summary", "Physical activity"), duration_text(payload["activity_minutes"])
            )
        )
    if "outdoors_minutes" in payload:
        add(Line(pgettext("check-in summary", "Time outdoors"), duration_text(payload["outdoors_minutes"])))
    if "regular_meals" in payload:
        add(Line(pgettext("check-in summary", "Regular meals"), _yes_no(payload["regular_meals"])))
    if "social_contact" in payload:
        add(Line(pgettext("check-in summary", "Contact with someone"), _yes_no(payload["social_contact"])))
    if "alcohol_drinks" in payload:
        add(Line(pgettext("check-in summary", "Alcohol (drinks)"), str(payload["alcohol_drinks"])))
    if "tobacco" in payload:
        add(Line(pgettext("check-in summary", "Tobacco (cigarettes)"), str(payload["tobacco"])))
    if "other_substances" in payload:
        add(Line(pgettext("check-in summary", "Other substances"), payload["other_substances"]))
    for indicator_id, value in payload.get("indicators", {}).items():
        indicator = indicators.get(indicator_id)
        if indicator is not None:
            add(Line(indicator.name, indicator_text(indicator, value)))
    if payload.get("tags"):
        add(Line(pgettext("check-in summary", "Tags"), ", ".join(payload["tags"])))
    if payload.get("note"):
        add(Line(pgettext("check-in summary", "Note"), payload["note"]))
    return lines


BRIEF_KEYS = frozenset(
    {
        "mood",
        "emotions",
        "own_emotions",
        "anxiety",
        "energy",
        "sleep_minutes",
        "sleep_bed",
        "sleep_wake",
        "note",
    }
)


def describe_brief(payload: dict[str, Any]) -> tuple[list[Line], int]:
    """The main values of a check-in, and how many others it holds (shown in full when edited):
    a day's list stays short and needs no indicator names."""
    lines = describe({k: payload[k] for k in payload if k in BRIEF_KEYS}, {})
    others = sum(1 for k in payload if k not in BRIEF_KEYS and k not in {"indicators"}) + len(
        payload.get("indicators", {})
    )
    return lines, others


WEEK_COLUMNS = ("mood", "anxiety", "energy")
MISSING = "–"


@dataclass(frozen=True)
class WeekRow:
    day: str  # "lun 7", as Django's "D j" writes it
    values: list[str]  # WEEK_COLUMNS' means, as the reader writes numbers, or MISSING
    checkins: int


def week_rows(week: list[Any]) -> list[WeekRow]:
    """The rows of the today page's last-seven-days table (``services.DayValues``), as text: the
    day names looked up once, not through the ``date`` filter row by row."""
    day_names = {d: str(name) for d, name in WEEKDAYS_ABBR.items()}
    return [
        WeekRow(
            f"{day_names[d.day.weekday()]} {d.day.day}",
            [number(d.means[key]) if key in d.means else MISSING for key in WEEK_COLUMNS],
            d.checkins,
        )
        for d in week
    ]
