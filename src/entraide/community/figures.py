"""The public moderation figures: per quarter, flags by reason and actions by kind. Small
numbers could point at someone ("the one report in a small closed group"): every count under
5 is shown as "< 5"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.community.models import ActionKind, Flag, FlagReason, ModerationAction

SMALL = 5
QUARTERS = 4
# Actions counted publicly: what the team decided, not the mechanics of the queue.
PUBLIC_ACTIONS = tuple(a for a in ActionKind if a not in {ActionKind.RESTORE, ActionKind.UNLOCK})


def shown(n: int) -> str:
    return "< 5" if n < SMALL else str(n)


@dataclass(frozen=True)
class Quarter:
    start: date
    label: str
    reasons: list[tuple[Any, str]]  # (label, shown count)
    actions: list[tuple[Any, str]]


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _back(start: date, n: int) -> date:
    months = start.year * 12 + start.month - 1 - 3 * n
    return date(months // 12, months % 12 + 1, 1)


def quarters(*, now: datetime | None = None) -> list[Quarter]:
    """The last four quarters, the current one first: two grouped queries."""
    today = timezone.localdate(now or timezone.now())
    starts = [_back(_quarter_start(today), n) for n in range(QUARTERS)]
    since = timezone.make_aware(datetime.combine(starts[-1], datetime.min.time()))
    flags: dict[tuple[date, str], int] = {}
    for row in (
        Flag.objects.filter(created_at__gte=since)
        .annotate(quarter=TruncQuarter("created_at"))
        .values("quarter", "reason")
        .annotate(n=Count("id"))
    ):
        flags[(_as_date(row["quarter"]), row["reason"])] = row["n"]
    actions: dict[tuple[date, str], int] = {}
    for done in (
        ModerationAction.objects.filter(at__gte=since)
        .annotate(quarter=TruncQuarter("at"))
        .values("quarter", "action")
        .annotate(n=Count("id"))
    ):
        actions[(_as_date(done["quarter"]), done["action"])] = done["n"]
    return [
        Quarter(
            start=start,
            label=pgettext("moderation figures", "Quarter %(number)s of %(year)s")
            % {"number": (start.month - 1) // 3 + 1, "year": start.year},
            reasons=[(r.label, shown(flags.get((start, r.value), 0))) for r in FlagReason],
            actions=[(a.label, shown(actions.get((start, a.value), 0))) for a in PUBLIC_ACTIONS],
        )
        for start in starts
    ]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"not a date: {value!r}")
