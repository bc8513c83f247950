"""What others share with the token's owner, through the consent gate: ``/circle/people/…``.

The API side of the supporter's pages (circle/views/shared.py): every operation that reads a
person's data passes ``circle.gate.require(viewer, person, scope, channel="api")`` on every
request (recording the access, as the pages do), then reads only ``circle.projections``, in the
person's time zone. Anything refused is a 404, whether the person exists or not. The router's
audience is ``gate``; its area, ``circle_shared``, opens only when the token's owner ticked it
(``ApiArea.others``: read only, never part of "every area").
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema

from entraide.api.auth import area_router, owner_of
from entraide.api.endpoints.insights import (
    MeasureOut,
    TrendDays,
    TrendOut,
    find_measure,
    measure_out,
    trend_out,
)
from entraide.api.endpoints.safety import SafetyPlanOut, plan_out
from entraide.api.endpoints.treatments import AdherenceOut
from entraide.api.schemas import ITEM_ERRORS, READ_ERRORS, Day, Page
from entraide.circle import gate, projections
from entraide.circle.models import Channel
from entraide.circle.scopes import BY_KEY

AREA = "circle_shared"
router = area_router(AREA, audience="gate", tags=["shared with me"])
MAX_DAYS = 366  # day means asked at once


@contextmanager
def through_gate(request: HttpRequest, person_id: uuid.UUID, scope: str) -> Iterator[gate.Pass]:
    """Pass the gate as the token's owner (recording the access, channel ``api``), then run in the
    person's time zone: their dates are the ones that count. ``Http404`` otherwise."""
    passed = gate.require(owner_of(request), person_id, scope, Channel.API)
    try:
        zone = zoneinfo.ZoneInfo(passed.owner.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with timezone.override(zone):
        yield passed


# --- The people who share with me -----------------------------------------------------------------


class SharedScopeOut(Schema):
    scope: str = Field(description="checkins, notes, indicators, thoughts, goals, assessments, … .")
    label: str
    until: datetime | None = Field(description="When it ends; null: no end date (the person's choice).")
    visible_from: date | None = Field(description="The first of the person's dates shown; null: all.")
    options: list[str] = Field(description="answers (item answers), crisis_moments (difficult moments).")


class SharingPersonOut(Schema):
    id: uuid.UUID = Field(description="The person's id, for the operations below.")
    pseudonym: str
    kind: str = Field(description="peer_helper, professional, relative or other.")
    accepted: bool = Field(description="False while one of the two sides has not accepted yet.")
    paused: bool = Field(description="“Sharing paused”: nothing else is said, and nothing can be read.")
    scopes: list[SharedScopeOut] = Field(description="What may be read now (empty while paused).")


class SharingPeopleList(Schema):
    count: int
    items: list[SharingPersonOut]


@router.get(
    "/circle/people",
    response={200: SharingPeopleList, **READ_ERRORS},
    operation_id="listSharingPeople",
    summary="List the people who share with me",
    description="Names, what each shares and until when: reading this list records nothing.",
)
def list_people(request: HttpRequest) -> dict[str, Any]:
    items = [
        {
            "id": link.owner_id,
            "pseudonym": link.owner.pseudonym,
            "kind": link.kind,
            "accepted": link.is_accepted,
            "paused": link.paused_at is not None,
            "scopes": [
                {
                    "scope": grant.scope,
                    "label": str(BY_KEY[grant.scope].label),
                    "until": grant.until,
                    "visible_from": grant.visible_from,
                    "options": sorted(key for key, on in grant.options.items() if on),
                }
                for grant in grants
                if grant.scope in BY_KEY
            ],
        }
        for link, grants in gate.shared_with(owner_of(request))
    ]
    return {"count": len(items), "items": items}


# --- Check-ins --------------------------------------------------------------------------------------


class SharedTrendQuery(Schema):
    measure: str = Field("", max_length=60, description="Empty: mood, or the first measure.")
    days: TrendDays = Field(TrendDays.MONTH, description="The last 7, 30, 90 or 365 days.")


class SharedTrendOut(TrendOut):
    measures: list[MeasureOut] = Field(description="The measures this scope shows.")
    visible_from: date | None = Field(description="Nothing before this date is shown; null: all.")


def _trend(passed: gate.Pass, measures: list[Any], query: SharedTrendQuery, values: Any) -> dict[str, Any]:
    """The same projection as the supporter's trend page, as ``SharedTrendOut``."""
    if not measures:
        raise Http404
    measure = find_measure(
        measures, query.measure or ("mood" if passed.scope == "checkins" else measures[0].key)
    )
    end = timezone.localdate()
    start = end - timedelta(days=int(query.days) - 1)
    points = values(passed, [measure], start, end)[measure.key]
    return {
        **trend_out(measure, points, start, end),
        "measures": [measure_out(m) for m in measures],
        "visible_from": passed.visible_from,
    }


@router.get(
    "/circle/people/{person_id}/checkins/trend",
    response={200: SharedTrendOut, **ITEM_ERRORS},
    operation_id="getSharedCheckinTrend",
    summary="A shared check-in measure's trend",
    description="Mood, anxiety, energy, sleep, activity…: the day means of the check-ins the person "
    "shares (never one marked “reste privé”), in their dates. Scope checkins.",
)
def checkin_trend(
    request: HttpRequest, person_id: uuid.UUID, query: Query[SharedTrendQuery]
) -> dict[str, Any]:
    with through_gate(request, person_id, "checkins") as passed:
        return _trend(passed, projections.checkin_measures(passed), query, projections.checkin_daily_values)


class DayMeansQuery(Schema):
    from_: Day | None = Field(None, alias="from", description="From this date (default: 29 days before to).")
    to: Day | None = Field(None, description="Up to this date (default: the person's today).")


class DayMeansOut(Schema):
    day: date
    checkins: int = Field(description="How many shared check-ins that day.")
    means: dict[str, float] = Field(description="Each value's mean that day, under the check-in's keys.")


class DayMeansList(Schema):
    start: date
    end: date
    visible_from: date | None
    items: list[DayMeansOut]


@router.get(
    "/circle/people/{person_id}/checkins/days",
    response={200: DayMeansList, **ITEM_ERRORS},
    operation_id="listSharedCheckinDays",
    summary="The day means of shared check-ins",
    description=f"At most {MAX_DAYS} days at once (a longer range keeps its last {MAX_DAYS} days). "
    "Only the keys of the scope checkins; never a check-in marked “reste privé”.",
)
def checkin_days(request: HttpRequest, person_id: uuid.UUID, query: Query[DayMeansQuery]) -> dict[str, Any]:
    with through_gate(request, person_id, "checkins") as passed:
        end = query.to or timezone.localdate()
        start = query.from_ or end - timedelta(days=29)
        start = max(start, end - timedelta(days=MAX_DAYS - 1))
        days = projections.checkin_day_means(passed, start, end) if start <= end else {}
        return {
            "start": start,
            "end": end,
            "visible_from": passed.visible_from,
            "items": [
                {
                    "day": day,
                    "checkins": int(entry.get("n", 0)),
                    "means": {
                        k: float(v) for k, v in entry.items() if k != "n" and isinstance(v, int | float)
                    },
                }
                for day, entry in sorted(days.items())
            ],
        }


# --- Indicators ---------------------------------------------------------------------------------------


class ChoiceCountOut(Schema):
    option: str
    count: int


class ChoiceIndicatorOut(Schema):
    name: str
    counts: list[ChoiceCountOut] = Field(description="Most chosen first; only the options chosen.")


class SharedIndicatorsOut(Schema):
    trend: SharedTrendOut | None = Field(
        description="Null when the person has no number, yes/no or duration indicator."
    )
    choices: list[ChoiceIndicatorOut] = Field(description="Choice indicators over the same days.")


@router.get(
    "/circle/people/{person_id}/indicators",
    response={200: SharedIndicatorsOut, **ITEM_ERRORS},
    operation_id="getSharedIndicators",
    summary="The person's own indicators",
    description="A number, yes/no or duration indicator's trend (empty measure: the first), and "
    "how often each option of a choice indicator was chosen. Short texts belong to the scope notes. "
    "Scope indicators.",
)
def indicators(request: HttpRequest, person_id: uuid.UUID, query: Query[SharedTrendQuery]) -> dict[str, Any]:
    with through_gate(request, person_id, "indicators") as passed:
        measures = projections.indicator_measures(passed)
        trend = _trend(passed, measures, query, projections.indicator_daily_values) if measures else None
        end = timezone.localdate()
        start = end - timedelta(days=int(query.days) - 1)
        choices = [
            {"name": c["name"], "counts": [{"option": o, "count": n} for o, n in c["counts"]]}
            for c in projections.choice_counts(passed, start, end)
        ]
        return {"trend": trend, "choices": choices}


# --- Notes ------------------------------------------------------------------------------------------


class SharedEntryOut(Schema):
    day: date
    title: str
    body: str = Field(description="As written (Markdown).")
    html: str = Field(description="The body as the site shows it.")
    mood: int | None
    tags: list[str]


class SharedEntryList(Schema):
    count: int
    items: list[SharedEntryOut]


def _page(items: Any, page: Page) -> tuple[int, list[Any]]:
    if isinstance(items, list):
        return len(items), items[page.offset : page.offset + page.limit]
    return items.count(), list(items[page.offset : page.offset + page.limit])


@router.get(
    "/circle/people/{person_id}/entries",
    response={200: SharedEntryList, **ITEM_ERRORS},
    operation_id="listSharedEntries",
    summary="The person's shared journal entries",
    description="Newest first; never one marked “reste privé”. Scope notes.",
)
def entries(request: HttpRequest, person_id: uuid.UUID, page: Query[Page]) -> dict[str, Any]:
    with through_gate(request, person_id, "notes") as passed:
        count, rows = _page(projections.journal_entries(passed), page)
        items = []
        for entry in rows:
            fields = projections.entry_fields(entry)
            items.append(
                {
                    "day": fields["day"],
                    "title": fields["title"],
                    "body": fields["text"],
                    "html": str(fields["body"]),
                    "mood": fields["mood"] if isinstance(fields["mood"], int) else None,
                    "tags": fields["tags"],
                }
            )
        return {"count": count, "items": items}


class SharedTextOut(Schema):
    indicator: str
    text: str


class SharedCheckinNoteOut(Schema):
    moment: datetime
    note: str
    tags: list[str]
    texts: list[SharedTextOut] = Field(description="Short-text indicators of that check-in.")


class SharedCheckinNoteList(Schema):
    count: int
    items: list[SharedCheckinNoteOut]


@router.get(
    "/circle/people/{person_id}/checkin-notes",
    response={200: SharedCheckinNoteList, **ITEM_ERRORS},
    operation_id="listSharedCheckinNotes",
    summary="The notes of the person's shared check-ins",
    description="Notes, tags and short-text indicators, newest first, only the check-ins holding "
    "one of them; never a check-in marked “reste privé”. Scope notes.",
)
def checkin_notes(request: HttpRequest, person_id: uuid.UUID, page: Query[Page]) -> dict[str, Any]:
    with through_gate(request, person_id, "notes") as passed:
        count, rows = _page(projections.checkin_notes(passed), page)
        return {
            "count": count,
            "items": [
                {**row, "texts": [{"indicator": name, "text": text} for name, text in row["texts"]]}
                for row in rows
            ],
        }


# --- Thought records -----------------------------------------------------------------------------------


class SharedEmotionOut(Schema):
    name: str
    before: int | None
    after: int | None


class SharedThoughtOut(Schema):
    day: date
    time: str | None
    situation: str
    thought: str
    evidence_for: str
    evidence_against: str
    balanced_thought: str
    emotions: list[SharedEmotionOut]
    distortions: list[str]


class SharedThoughtList(Schema):
    count: int
    items: list[SharedThoughtOut]


@router.get(
    "/circle/people/{person_id}/thought-records",
    response={200: SharedThoughtList, **ITEM_ERRORS},
    operation_id="listSharedThoughtRecords",
    summary="The person's shared thought records",
    description="Newest first; never one marked “reste privé”. Scope thoughts.",
)
def thought_records(request: HttpRequest, person_id: uuid.UUID, page: Query[Page]) -> dict[str, Any]:
    with through_gate(request, person_id, "thoughts") as passed:
        count, rows = _page(projections.thought_records(passed), page)
        items = []
        for record in rows:
            fields = projections.thought_fields(record)
            fields["time"] = str(fields["time"]) if fields["time"] else None
            fields["emotions"] = [
                {
                    "name": str(e["name"]),
                    "before": e["before"] if isinstance(e["before"], int) else None,
                    "after": e["after"] if isinstance(e["after"], int) else None,
                }
                for e in fields["emotions"]
            ]
            fields["distortions"] = [str(d) for d in fields["distortions"]]
            items.append(fields)
        return {"count": count, "items": items}


# --- Goals ----------------------------------------------------------------------------------------------


class SharedStepOut(Schema):
    text: str
    done: bool


class SharedGoalOut(Schema):
    title: str
    why: str
    status: str = Field(description="In the language asked (Accept-Language).")
    target_date: date | None
    steps: list[SharedStepOut]


class SharedStrategyOut(Schema):
    name: str
    note: str
    uses: int
    mean_help: float | None


class SharedGoalsOut(Schema):
    goals: list[SharedGoalOut]
    strategies: list[SharedStrategyOut]


@router.get(
    "/circle/people/{person_id}/goals",
    response={200: SharedGoalsOut, **ITEM_ERRORS},
    operation_id="getSharedGoals",
    summary="The person's goals and coping strategies",
    description="Scope goals.",
)
def goals(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    with through_gate(request, person_id, "goals") as passed:
        return {
            "goals": [{**g, "status": str(g["status"])} for g in projections.goals(passed)],
            "strategies": projections.strategies(passed),
        }


# --- Questionnaires -------------------------------------------------------------------------------------


class SharedItemAnswerOut(Schema):
    n: int
    item: str
    answer: str


class SharedResponseOut(Schema):
    answered_at: datetime
    name: str
    score_text: str
    raw_text: str
    label: str = Field(description="The band.")
    meaning: str
    answers: list[SharedItemAnswerOut] | None = Field(
        description="Each item's answer, only when the person ticked “the detail of the answers”; else null."
    )


class SharedResponseList(Schema):
    count: int
    with_answers: bool
    items: list[SharedResponseOut]


@router.get(
    "/circle/people/{person_id}/questionnaire-responses",
    response={200: SharedResponseList, **ITEM_ERRORS},
    operation_id="listSharedQuestionnaireResponses",
    summary="The person's questionnaire scores",
    description="Scores and bands, newest first; never an answer marked “reste privé”. Scope assessments.",
)
def questionnaire_responses(request: HttpRequest, person_id: uuid.UUID, page: Query[Page]) -> dict[str, Any]:
    with through_gate(request, person_id, "assessments") as passed:
        count, rows = _page(projections.questionnaire_responses(passed), page)
        items = []
        for response in rows:
            fields = projections.response_fields(passed, response)
            answers = fields.pop("answers")
            items.append(
                {
                    **{k: (v if k == "answered_at" else str(v)) for k, v in fields.items()},
                    "answers": [
                        {"n": row["n"], "item": str(row["item"]), "answer": str(row["answer"])}
                        for row in answers["rows"]
                    ]
                    if answers is not None
                    else None,
                }
            )
        return {"count": count, "with_answers": passed.option("answers"), "items": items}


# --- Safety plan ------------------------------------------------------------------------------------------


class SharedSafetyPlanOut(Schema):
    plan: SafetyPlanOut
    crisis_moments: list[datetime] | None = Field(
        description="When the person signalled a difficult moment (never why), only when they "
        "ticked “the difficult moments”; else null."
    )


@router.get(
    "/circle/people/{person_id}/safety-plan",
    response={200: SharedSafetyPlanOut, **ITEM_ERRORS},
    operation_id="getSharedSafetyPlan",
    summary="The person's safety plan",
    description="As they wrote it (empty lists when there is none). Scope safety_plan.",
)
def safety_plan(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    with through_gate(request, person_id, "safety_plan") as passed:
        return {
            "plan": plan_out(projections.safety_plan(passed)),
            "crisis_moments": projections.crisis_moments(passed) if passed.option("crisis_moments") else None,
        }


# --- Treatments -------------------------------------------------------------------------------------------


class SharedScheduleOut(Schema):
    words: str
    on_demand: bool


class SharedTreatmentNoteOut(Schema):
    day: date
    text: str


class SharedTreatmentOut(Schema):
    name: str
    dose: str
    form: str
    active: bool
    schedules: list[SharedScheduleOut]
    notes: list[SharedTreatmentNoteOut] = Field(description="Side-effect notes, newest first.")


class SharedTreatmentsOut(Schema):
    treatments: list[SharedTreatmentOut]
    adherence: list[AdherenceOut] = Field(description="Over 7, 30 and 90 days, cut at the first date shown.")


@router.get(
    "/circle/people/{person_id}/treatments",
    response={200: SharedTreatmentsOut, **ITEM_ERRORS},
    operation_id="getSharedTreatments",
    summary="The person's treatments and doses taken",
    description="Never who prescribed them, nor the person's own notes about them. Scope treatments.",
)
def treatments(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    with through_gate(request, person_id, "treatments") as passed:
        rows = projections.treatments(passed)
        return {
            "treatments": [
                {
                    **t,
                    "schedules": [
                        {"words": str(s["words"]), "on_demand": bool(s["on_demand"])} for s in t["schedules"]
                    ],
                }
                for t in rows
            ],
            "adherence": [
                {
                    "days": row["days"],
                    "scheduled": row["figures"].scheduled,
                    "taken": row["figures"].taken,
                    "late": row["figures"].late,
                    "skipped": row["figures"].skipped,
                    "unmarked": row["figures"].unmarked,
                    "taken_share": row["figures"].taken_share,
                    "taken_any_share": row["figures"].taken_any_share,
                }
                for row in projections.adherence(passed, timezone.localdate())
            ],
        }
