"""What a grant reveals: a projection of the owner's data, never the rows themselves.

Each function takes a ``gate.Pass`` (so it cannot run before the gate) and reads the personal
app through its owner loaders: only the keys of the pass's scope (``journal.values.SCOPE_KEYS``),
only from the grant's first visible date, and never a check-in marked "reste privé" (the day
means' ``shared`` sums).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from entraide.circle.gate import Pass
from entraide.journal import insights
from entraide.journal.values import SCOPE_KEYS


def _start(pass_: Pass, start: date) -> date:
    return max(start, pass_.visible_from) if pass_.visible_from else start


def checkin_measures(pass_: Pass) -> list[insights.Measure]:
    """The measures of the ``checkins`` scope: the base measures whose key it covers (no
    substance, no indicator: those belong to other scopes)."""
    if pass_.scope != "checkins":
        raise ValueError("a checkins pass is needed")
    covered = set(SCOPE_KEYS["checkins"])
    return [m for m in insights.BASE_MEASURES if m.field in covered and not m.indicator]


def checkin_daily_values(
    pass_: Pass, measures: Iterable[insights.Measure], start: date, end: date
) -> dict[str, list[tuple[date, float]]]:
    """Daily means of the shared check-ins (private ones left out), from the visible start."""
    allowed = {m.key for m in checkin_measures(pass_)}
    chosen = [m for m in measures if m.key in allowed]
    first = _start(pass_, start)
    if first > end:
        return {m.key: [] for m in chosen}
    return insights.daily_values(pass_.owner, chosen, first, end, shared=True)


def project_entry(entry: dict[str, Any], scopes: Iterable[str]) -> dict[str, Any]:
    """A day's means (``day_means.day_entries(…, shared=True)``) reduced to the keys ``scopes``
    cover; indicator means only under ``indicators``."""
    keys = {key for scope in scopes for key in SCOPE_KEYS.get(scope, ())}
    return {key: value for key, value in entry.items() if key in keys or key == "n"}


def safety_plan(pass_: Pass) -> Any:
    """The owner's safety plan under a ``safety_plan`` pass (crisis moments are not part of it:
    they need the option "moments difficiles", shown by a later page)."""
    from entraide.safety.access import find_plan_of

    if pass_.scope != "safety_plan":
        raise ValueError("a safety_plan pass is needed")
    return find_plan_of(pass_.owner)
