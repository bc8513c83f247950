"""What a grant reveals: a projection of the owner's data, never the rows themselves.

Each function takes a ``gate.Pass`` (so it cannot run before the gate) and reads the personal
app through its owner loaders: only the keys of the pass's scope (``journal.values.SCOPE_KEYS``),
only from the grant's first visible date, and never a check-in marked "reste privé" (the day
means' ``shared`` sums).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from entraide.circle.gate import Pass
from entraide.journal import insights
from entraide.journal.values import SCOPE_KEYS

if TYPE_CHECKING:
    from entraide.assessments.models import QuestionnaireResponse
    from entraide.journal.models import JournalEntry
    from entraide.thoughts.models import ThoughtRecord


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


def _need(pass_: Pass, scope: str) -> None:
    if pass_.scope != scope:
        raise ValueError(f"a {scope} pass is needed")


def journal_entries(pass_: Pass) -> QuerySet[JournalEntry]:
    """The journal entries a ``notes`` pass shows, newest first: none marked "reste privé", none
    before the visible start."""
    from entraide.journal.access import filter_entries_of

    _need(pass_, "notes")
    entries = filter_entries_of(pass_.owner).filter(private=False)
    if pass_.visible_from:
        entries = entries.filter(day__gte=pass_.visible_from)
    return entries.order_by("-day", "-created_at", "-pk")


def thought_records(pass_: Pass) -> QuerySet[ThoughtRecord]:
    """The thought records a ``thoughts`` pass shows, newest first (never a private one)."""
    from entraide.thoughts.access import filter_thoughts_of

    _need(pass_, "thoughts")
    records = filter_thoughts_of(pass_.owner).filter(private=False)
    if pass_.visible_from:
        records = records.filter(day__gte=pass_.visible_from)
    return records.order_by("-day", "-created_at", "-pk")


def questionnaire_responses(pass_: Pass) -> QuerySet[QuestionnaireResponse]:
    """The questionnaire answers an ``assessments`` pass shows, newest first (never a private
    one). Callers show the score and band; the item answers only with the option ``answers``."""
    from entraide.assessments.access import filter_responses_of

    _need(pass_, "assessments")
    responses = filter_responses_of(pass_.owner).filter(private=False)
    if pass_.visible_from:
        responses = responses.filter(local_date__gte=pass_.visible_from)
    return responses.order_by("-answered_at", "-pk")


def crisis_moments(pass_: Pass) -> list[datetime]:
    """The times of the person's crisis moments, under a ``safety_plan`` pass with the option
    "moments difficiles" only: never their source, and never a moment caused by a record that is
    not shared (marked "reste privé", or since deleted)."""
    from entraide.assessments.access import filter_responses_of
    from entraide.safety.access import filter_moments_of

    _need(pass_, "safety_plan")
    if not pass_.option("crisis_moments"):
        return []
    moments = filter_moments_of(pass_.owner).order_by("-created_at")
    if pass_.visible_from:
        zone = ZoneInfo(pass_.owner.time_zone)
        first = datetime.combine(pass_.visible_from, time.min, tzinfo=zone)
        moments = moments.filter(created_at__gte=first)
    found = list(moments)
    causes = {m.cause for m in found if m.cause}
    shared = {
        str(pk)
        for pk in filter_responses_of(pass_.owner)
        .filter(pk__in=_uuids(causes), private=False)
        .values_list("pk", flat=True)
    }
    return [m.created_at for m in found if not m.cause or m.cause in shared]


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    kept = []
    for value in values:
        try:
            kept.append(uuid.UUID(value))
        except ValueError:
            continue
    return kept
