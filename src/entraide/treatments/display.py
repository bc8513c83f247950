"""How the pages say things: a schedule in words, adherence figures in plain words (no score, no
streak: what was noted, and what was not noted yet)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import pgettext

from entraide.core.charts import number
from entraide.treatments import services
from entraide.treatments.forms import WEEKDAYS
from entraide.treatments.models import Schedule, ScheduleKind, Treatment

DAY_NAMES = dict(WEEKDAYS)


def hours(minutes: int) -> str:
    return number(minutes / 60, 0 if minutes % 60 == 0 else 1)


def describe_schedule(schedule: Schedule) -> dict[str, Any]:
    """The schedule and a sentence that says it."""
    times = ", ".join(schedule.times)
    if schedule.kind == ScheduleKind.DAILY:
        words = pgettext("schedule words", "Every day at %(times)s") % {"times": times}
    elif schedule.kind == ScheduleKind.WEEKDAYS:
        days = ", ".join(str(DAY_NAMES[d]) for d in schedule.weekdays)
        words = pgettext("schedule words", "%(days)s at %(times)s") % {"days": days, "times": times}
    elif schedule.kind == ScheduleKind.CYCLE:
        words = pgettext(
            "schedule words", "%(on)s days on, %(off)s days off, from %(start)s, at %(times)s"
        ) % {
            "on": schedule.cycle_on,
            "off": schedule.cycle_off,
            "start": date_format(schedule.starts_on, "SHORT_DATE_FORMAT"),
            "times": times,
        }
    else:
        words = pgettext("schedule words", "On demand, following the pattern you copied")
    pattern = [
        {"hours": hours(int(d["offset_minutes"])), "amount": d["amount"], "first": d["offset_minutes"] == 0}
        for d in schedule.pattern
    ]
    return {
        "schedule": schedule,
        "words": words,
        "pattern": pattern,
        "on_demand": schedule.kind == ScheduleKind.ON_DEMAND,
    }


def adherence_rows(owner: Any, *, treatment: Treatment | None = None) -> list[dict[str, Any]]:
    rows = []
    for days in services.ADHERENCE_PERIODS:
        figures = services.adherence(owner, days, treatment=treatment)
        share = figures.taken_share
        rows.append(
            {
                "days": days,
                "figures": figures,
                "percent": number(share * 100, 0) if share is not None else None,
                "percent_any": number(figures.taken_any_share * 100, 0)
                if figures.taken_any_share is not None
                else None,
            }
        )
    return rows
