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


# --- notes ---------------------------------------------------------------------------------------

MAX_NOTE_CHECKINS = 2000  # check-ins read for their notes (one person's scale; newest first)


def checkin_notes(pass_: Pass) -> list[dict[str, Any]]:
    """The notes, tags and short-text indicators of the shared check-ins a ``notes`` pass shows,
    newest first: ``{"moment", "note", "tags", "texts": [(indicator name, text)]}``, only the
    check-ins holding one of them (never a private check-in, nor any other value)."""
    from entraide.journal.access import filter_checkins_of, indicators_of
    from entraide.journal.models import IndicatorKind

    _need(pass_, "notes")
    texts = {str(i.pk): i.name for i in indicators_of(pass_.owner) if i.kind == IndicatorKind.TEXT}
    checkins = filter_checkins_of(pass_.owner).filter(private=False)
    if pass_.visible_from:
        checkins = checkins.filter(local_date__gte=pass_.visible_from)
    found = []
    for checkin in checkins.order_by("-moment", "-pk")[:MAX_NOTE_CHECKINS]:
        payload = checkin.payload
        row = {
            "moment": checkin.moment,
            "note": str(payload.get("note") or ""),
            "tags": [str(t) for t in payload.get("tags", [])],
            "texts": [
                (texts[key], str(value))
                for key, value in (payload.get("indicators") or {}).items()
                if key in texts and value not in (None, "")
            ],
        }
        if row["note"] or row["tags"] or row["texts"]:
            found.append(row)
    return found


# --- indicators ----------------------------------------------------------------------------------


def indicator_measures(pass_: Pass) -> list[insights.Measure]:
    """The measures of an ``indicators`` pass: the person's own numeric, yes/no and duration
    indicators (no base measure, no short text: those belong to other scopes)."""
    _need(pass_, "indicators")
    return [m for m in insights.measures_of(pass_.owner) if m.indicator]


def indicator_daily_values(
    pass_: Pass, measures: Iterable[insights.Measure], start: date, end: date
) -> dict[str, list[tuple[date, float]]]:
    """Daily means of the person's indicators in shared check-ins, from the visible start."""
    allowed = {m.key for m in indicator_measures(pass_)}
    chosen = [m for m in measures if m.key in allowed]
    first = _start(pass_, start)
    if first > end:
        return {m.key: [] for m in chosen}
    return insights.daily_values(pass_.owner, chosen, first, end, shared=True)


def choice_counts(pass_: Pass, start: date, end: date) -> list[dict[str, Any]]:
    """How often each option of the person's choice indicators was chosen in shared check-ins
    between ``start`` and ``end`` (from the visible start): ``{"name", "counts": [(option, n)]}``,
    most chosen first, only the options chosen (never a private check-in's)."""
    from entraide.journal.access import filter_checkins_of, indicators_of
    from entraide.journal.models import IndicatorKind

    _need(pass_, "indicators")
    indicators = {str(i.pk): i for i in indicators_of(pass_.owner) if i.kind == IndicatorKind.CHOICE}
    first = _start(pass_, start)
    if not indicators or first > end:
        return []
    counts: dict[str, dict[str, int]] = {key: {} for key in indicators}
    checkins = filter_checkins_of(pass_.owner).filter(
        private=False, local_date__gte=first, local_date__lte=end
    )
    for checkin in checkins:
        for key, value in (checkin.payload.get("indicators") or {}).items():
            if key in counts and isinstance(value, str):
                counts[key][value] = counts[key].get(value, 0) + 1
    return [
        {"name": indicator.name, "counts": sorted(counts[key].items(), key=lambda item: (-item[1], item[0]))}
        for key, indicator in indicators.items()
        if counts[key]
    ]


# --- goals ---------------------------------------------------------------------------------------


def goals(pass_: Pass) -> list[dict[str, Any]]:
    """The person's goals under a ``goals`` pass: title, why, status, target date and steps (their
    text and whether done). Goals are a current list, not dated records: all are shown."""
    from entraide.goals.access import filter_goals_of

    _need(pass_, "goals")
    return [
        {
            "title": goal.title,
            "why": goal.why,
            "status": goal.get_status_display(),
            "target_date": goal.target_date,
            "steps": [{"text": str(s.get("text", "")), "done": bool(s.get("done_at"))} for s in goal.steps],
        }
        for goal in filter_goals_of(pass_.owner).order_by("status", "-created_at", "-pk")
    ]


def strategies(pass_: Pass) -> list[dict[str, Any]]:
    """The person's coping strategies under a ``goals`` pass: name, note, uses and mean help."""
    from entraide.goals.access import filter_strategies_of

    _need(pass_, "goals")
    return [
        {"name": s.name, "note": s.note, "uses": s.uses, "mean_help": s.mean_help}
        for s in filter_strategies_of(pass_.owner).order_by("-created_at", "-pk")
    ]


# --- treatments ----------------------------------------------------------------------------------


def treatments(pass_: Pass) -> list[dict[str, Any]]:
    """The person's treatments under a ``treatments`` pass: name, dose, form, whether current,
    the schedules in words, and the side-effect notes from the visible start (never who
    prescribed it, nor the person's own notes about it)."""
    from entraide.treatments import display
    from entraide.treatments.access import filter_notes_of, filter_schedules_of, filter_treatments_of

    _need(pass_, "treatments")
    found = list(filter_treatments_of(pass_.owner).order_by("-active", "created_at", "pk"))
    schedules: dict[Any, list[dict[str, Any]]] = {}
    for schedule in filter_schedules_of(pass_.owner).filter(treatment__in=found).order_by("pk"):
        words = display.describe_schedule(schedule)
        schedules.setdefault(schedule.treatment_id, []).append(
            {"words": words["words"], "pattern": words["pattern"], "on_demand": words["on_demand"]}
        )
    notes = filter_notes_of(pass_.owner).filter(treatment__in=found)
    if pass_.visible_from:
        notes = notes.filter(day__gte=pass_.visible_from)
    by_treatment: dict[Any, list[dict[str, Any]]] = {}
    for note in notes.order_by("-day", "-created_at"):
        by_treatment.setdefault(note.treatment_id, []).append(
            {"day": note.day, "text": str(note.payload.get("text", ""))}
        )
    return [
        {
            "name": t.name,
            "dose": t.dose,
            "form": t.form,
            "active": t.active,
            "schedules": schedules.get(t.pk, []),
            "notes": by_treatment.get(t.pk, []),
        }
        for t in found
    ]


def adherence(pass_: Pass, today: date) -> list[dict[str, Any]]:
    """Doses taken over the last 7, 30 and 90 days, each period cut at the visible start."""
    from entraide.treatments.services import ADHERENCE_PERIODS
    from entraide.treatments.services import adherence as adherence_of

    _need(pass_, "treatments")
    rows: list[dict[str, Any]] = []
    for period in ADHERENCE_PERIODS:
        days = min(period, (today - pass_.visible_from).days + 1) if pass_.visible_from else period
        if days < 1 or any(row["days"] == days for row in rows):
            continue
        rows.append({"days": days, "figures": adherence_of(pass_.owner, days)})
    return rows


# --- Shown fields of one record ------------------------------------------------------------------


def entry_fields(entry: JournalEntry) -> dict[str, Any]:
    """What a supporter reads of one shared journal entry."""
    from entraide.core.content.markdown import render_entry

    payload = entry.payload
    return {
        "day": entry.day,
        "title": str(payload.get("title") or ""),
        "body": render_entry(str(payload.get("body") or "")),
        "mood": payload.get("mood"),
        "tags": [str(t) for t in payload.get("tags", [])],
    }


def thought_fields(record: ThoughtRecord) -> dict[str, Any]:
    """What a supporter reads of one shared thought record (as the person wrote it)."""
    from entraide.thoughts import services as thought_services
    from entraide.thoughts import values as thought_values

    p = record.payload
    return {
        "day": record.day,
        "time": p.get("time"),
        **{key: str(p.get(key) or "") for key in THOUGHT_TEXTS},
        "emotions": [
            {"name": thought_services.emotion_name(e), "before": e.get("before"), "after": e.get("after")}
            for e in p.get("emotions", [])
        ],
        "distortions": [
            thought_values.DISTORTIONS[k].name
            for k in p.get("distortions", [])
            if k in thought_values.DISTORTIONS
        ],
    }


THOUGHT_TEXTS = ("situation", "thought", "evidence_for", "evidence_against", "balanced_thought")


def response_fields(pass_: Pass, response: QuestionnaireResponse) -> dict[str, Any]:
    """What a supporter reads of one shared questionnaire answer: the score, band and meaning;
    the answer to each item only with the option "the detail of the answers"."""
    from entraide.assessments import display

    _need(pass_, "assessments")
    result = display.result_of(response)
    return {
        "answered_at": response.answered_at,
        "name": result["name"],
        "score_text": result["score_text"],
        "raw_text": result["raw_text"],
        "label": result["label"],
        "meaning": result["meaning"],
        "answers": display.answers_of(response) if pass_.option("answers") else None,
    }
