"""Every write to a person's goals, coping strategies and recovery self-assessments, named
``verb_object``: pages, the API and the demo data call these, so the rules hold whatever the door.

Rules broken raise ``InvalidValuesError`` (``goals.values``) listing every problem at once; a
full list raises ``LimitError`` (a subclass, key ``"limit"``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import InvalidValuesError
from entraide.goals import values as v
from entraide.goals.access import (
    filter_assessments_of,
    filter_goals_of,
    filter_strategies_of,
    filter_uses_of,
    find_step,
)
from entraide.goals.models import CopingStrategy, Goal, GoalStatus, RecoveryAssessment, StrategyUse
from entraide.goals.values import LimitError

# The order of the goal list: what is being worked on first, then the rest.
STATUS_ORDER: tuple[str, ...] = (
    GoalStatus.IN_PROGRESS,
    GoalStatus.PAUSED,
    GoalStatus.REACHED,
    GoalStatus.LET_GO,
)


def _today() -> date:
    return timezone.localdate()  # the person's zone in pages (middleware) and the API (in_owner_zone)


# --- Goals --------------------------------------------------------------------------------------


def _clean_goal(*, title: str, why: str, target_date: date | None, status: str) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    title = v.clean_line(title)
    why = v.clean_text(why)
    if not title:
        errors["title"] = pgettext_lazy("goal values", "Give your goal a title, even a short one.")
    elif len(title) > v.MAX_GOAL_TITLE:
        errors["title"] = pgettext_lazy("goal values", "Keep the title under 200 characters.")
    if len(why) > v.MAX_GOAL_WHY:
        errors["why"] = pgettext_lazy("goal values", "Keep this under 2,000 characters.")
    if target_date is not None and not dates.in_range(target_date):
        errors["target_date"] = dates.OUT_OF_RANGE
    if status not in GoalStatus.values:
        errors["status"] = pgettext_lazy("goal values", "Choose a status from the list.")
    if errors:
        raise InvalidValuesError(errors)
    return {"title": title, "why": why}


def _clean_step_text(text: str) -> str:
    text = v.clean_line(text)
    if not text:
        raise InvalidValuesError({"text": pgettext_lazy("goal values", "Write the step in a few words.")})
    if len(text) > v.MAX_STEP_TEXT:
        raise InvalidValuesError(
            {"text": pgettext_lazy("goal values", "Keep each step under 200 characters.")}
        )
    return text


def _steps_limit_message() -> Promise:
    return pgettext_lazy("goal values", "A goal can have 50 steps at most. Perhaps split it into two goals?")


def _new_step(text: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "text": text, "done_at": None}


def _apply_status(goal: Goal, status: str) -> None:
    if status == GoalStatus.REACHED and goal.status != GoalStatus.REACHED:
        goal.reached_at = timezone.now()
    elif status != GoalStatus.REACHED:
        goal.reached_at = None
    goal.status = status


def create_goal(
    owner: Any,
    *,
    title: str,
    why: str = "",
    target_date: date | None = None,
    status: str = GoalStatus.IN_PROGRESS,
    steps: Iterable[str] = (),
) -> Goal:
    """A new goal, with its first steps (blank ones are skipped). At most ``MAX_GOALS`` goals."""
    payload = _clean_goal(title=title, why=why, target_date=target_date, status=status)
    texts = [v.clean_line(s) for s in steps if v.clean_line(s)]
    if len(texts) > v.MAX_STEPS:
        raise InvalidValuesError({"steps": _steps_limit_message()})
    try:
        cleaned = [_clean_step_text(t) for t in texts]
    except InvalidValuesError as exc:
        raise InvalidValuesError({"steps": exc.errors["text"]}) from None
    payload["steps"] = [_new_step(t) for t in cleaned]
    with transaction.atomic():
        if filter_goals_of(owner).count() >= v.MAX_GOALS:
            raise LimitError(
                pgettext_lazy(
                    "goal values",
                    "You have 200 goals, the most there can be. Delete one you no longer need to add another.",
                )
            )
        goal = Goal(owner=owner, target_date=target_date, payload=payload)
        _apply_status(goal, status)
        goal.save()
    return goal


def update_goal(
    goal: Goal, *, title: str, why: str = "", target_date: date | None = None, status: str
) -> Goal:
    """New title, reason, target date and status; the steps stay as they are."""
    cleaned = _clean_goal(title=title, why=why, target_date=target_date, status=status)
    with transaction.atomic():
        locked = _locked(goal)
        locked.payload = {**locked.payload, **cleaned}
        locked.target_date = target_date
        _apply_status(locked, status)
        locked.updated_at = timezone.now()
        locked.save()
    _copy(locked, goal)
    return goal


def delete_goal(goal: Goal) -> None:
    goal.delete()


def _locked(goal: Goal) -> Goal:
    """The goal's row, locked until the transaction ends: two changes to its steps at once (two
    tabs, a double tap with JavaScript) must not lose one another."""
    return filter_goals_of(goal.owner).select_for_update().get(pk=goal.pk)


def _copy(source: Goal, target: Goal) -> None:
    for name in ("status", "target_date", "reached_at", "updated_at", "payload"):
        setattr(target, name, getattr(source, name))


def add_step(goal: Goal, *, text: str) -> dict[str, Any]:
    """A new step at the end of the checklist."""
    cleaned = _clean_step_text(text)
    with transaction.atomic():
        locked = _locked(goal)
        steps = locked.steps
        if len(steps) >= v.MAX_STEPS:
            raise LimitError(_steps_limit_message())
        step = _new_step(cleaned)
        locked.payload = {**locked.payload, "steps": [*steps, step]}
        locked.updated_at = timezone.now()
        locked.save(update_fields=["payload", "updated_at"])
    _copy(locked, goal)
    return step


def update_step(
    goal: Goal, step_id: str | uuid.UUID, *, text: str | None = None, done: bool | None = None
) -> dict[str, Any]:
    """Rename a step and/or tick it (``done=True``) or untick it. Ticking a ticked step keeps
    its first time. An unknown step is a 404 (``access.find_step``)."""
    cleaned = _clean_step_text(text) if text is not None else None
    with transaction.atomic():
        locked = _locked(goal)
        step = dict(find_step(locked, step_id))
        if cleaned is not None:
            step["text"] = cleaned
        if done is True and not step.get("done_at"):
            step["done_at"] = timezone.now().isoformat()
        elif done is False:
            step["done_at"] = None
        locked.payload = {
            **locked.payload,
            "steps": [step if s["id"] == step["id"] else s for s in locked.steps],
        }
        locked.updated_at = timezone.now()
        locked.save(update_fields=["payload", "updated_at"])
    _copy(locked, goal)
    return step


def remove_step(goal: Goal, step_id: str | uuid.UUID) -> None:
    with transaction.atomic():
        locked = _locked(goal)
        step = find_step(locked, step_id)
        locked.payload = {**locked.payload, "steps": [s for s in locked.steps if s["id"] != step["id"]]}
        locked.updated_at = timezone.now()
        locked.save(update_fields=["payload", "updated_at"])
    _copy(locked, goal)


def ordered_goals(qs: QuerySet[Goal]) -> QuerySet[Goal]:
    """In progress first, then on pause, reached and let go; in each, the nearest target date
    first (goals without one after), then the newest."""
    rank = Case(
        *(When(status=status, then=Value(n)) for n, status in enumerate(STATUS_ORDER)),
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return qs.annotate(status_rank=rank).order_by(
        "status_rank", F("target_date").asc(nulls_last=True), "-created_at", "id"
    )


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


@dataclass(frozen=True)
class Progress:
    """The progress page: the goals being worked on, with their steps done, and the goals
    reached each month over the last twelve months."""

    goals: list[Goal]
    reached_by_month: list[MonthCount]
    reached_total: int
    most_in_a_month: int


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def goal_progress(owner: Any, *, months: int = 12) -> Progress:
    goals = list(
        ordered_goals(filter_goals_of(owner).filter(status__in=[GoalStatus.IN_PROGRESS, GoalStatus.PAUSED]))
    )
    this_month = month_start(_today())
    first = add_months(this_month, -(months - 1))
    reached = list(
        filter_goals_of(owner)
        .filter(status=GoalStatus.REACHED, reached_at__isnull=False)
        .values_list("reached_at", flat=True)
    )
    counted = Counter(month_start(timezone.localdate(moment)) for moment in reached)
    by_month = [MonthCount(m, counted.get(m, 0)) for m in (add_months(first, n) for n in range(months))]
    return Progress(goals, by_month, len(reached), max((m.count for m in by_month), default=0))


# --- Coping strategies --------------------------------------------------------------------------


def _clean_strategy(*, name: str, category: str, note: str) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    name = v.clean_line(name)
    note = v.clean_text(note)
    if not name:
        errors["name"] = pgettext_lazy("strategy values", "Give it a name, in your own words.")
    elif len(name) > v.MAX_STRATEGY_NAME:
        errors["name"] = pgettext_lazy("strategy values", "Keep the name under 100 characters.")
    if category not in v.CATEGORIES:
        errors["category"] = pgettext_lazy("strategy values", "Choose a kind from the list.")
    if len(note) > v.MAX_STRATEGY_NOTE:
        errors["note"] = pgettext_lazy("strategy values", "Keep the note under 1,000 characters.")
    if errors:
        raise InvalidValuesError(errors)
    return {"name": name, "category": category, "note": note}


def _strategies_limit() -> LimitError:
    return LimitError(
        pgettext_lazy(
            "strategy values",
            "You have 200 strategies, the most there can be. Delete one you no longer use to add another.",
        )
    )


EMPTY_STATS: dict[str, Any] = {"uses": 0, "rated": 0, "help_sum": 0, "last_used": None}


def create_strategy(
    owner: Any, *, name: str, category: str = "other", note: str = "", starter: str | None = None
) -> CopingStrategy:
    payload = _clean_strategy(name=name, category=category, note=note)
    payload.update(starter=starter if starter in v.STARTERS_BY_KEY else None, stats=dict(EMPTY_STATS))
    with transaction.atomic():
        if filter_strategies_of(owner).count() >= v.MAX_STRATEGIES:
            raise _strategies_limit()
        strategy = CopingStrategy(owner=owner, payload=payload)
        strategy.save()
    return strategy


def adopt_starter(owner: Any, key: str) -> tuple[CopingStrategy, bool]:
    """Copy a starter idea into the person's own strategies, in the language active now.
    Picking an idea already picked (even renamed since) gives back that row: ``(row, False)``."""
    starter = v.STARTERS_BY_KEY.get(key)
    if starter is None:
        raise InvalidValuesError(
            {"starter": pgettext_lazy("strategy values", "Choose an idea from the list.")}
        )
    with transaction.atomic():
        for strategy in filter_strategies_of(owner).select_for_update():
            if strategy.payload.get("starter") == key:
                return strategy, False
        created = create_strategy(
            owner, name=str(starter.name), category=starter.category, note=str(starter.note), starter=key
        )
    return created, True


def adopted_starters(owner: Any) -> set[str]:
    return {str(s.payload["starter"]) for s in filter_strategies_of(owner) if s.payload.get("starter")}


def update_strategy(strategy: CopingStrategy, *, name: str, category: str, note: str = "") -> CopingStrategy:
    """A new name, kind or note; its uses and figures stay."""
    cleaned = _clean_strategy(name=name, category=category, note=note)
    with transaction.atomic():  # the figures may change at the same moment (a use recorded)
        locked = filter_strategies_of(strategy.owner).select_for_update().get(pk=strategy.pk)
        locked.payload = {**locked.payload, **cleaned}
        locked.updated_at = timezone.now()
        locked.save(update_fields=["payload", "updated_at"])
    strategy.payload, strategy.updated_at = locked.payload, locked.updated_at
    return strategy


def delete_strategy(strategy: CopingStrategy) -> None:
    """The strategy and every time it was used."""
    strategy.delete()


def _clean_use(*, day: date, helped: Any, note: str) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    rating = None
    if helped not in (None, ""):
        rating = v.int_between(helped, v.HELP_LOW, v.HELP_HIGH)
        if rating is None:
            errors["helped"] = pgettext_lazy("strategy values", "Choose from 0 (not at all) to 4 (a lot).")
    note = v.clean_text(note)
    if len(note) > v.MAX_USE_NOTE:
        errors["note"] = pgettext_lazy("strategy values", "Keep the note under 1,000 characters.")
    if day < dates.MIN_DATE:
        errors["day"] = pgettext_lazy("strategy values", "Choose a date after 1900.")
    elif day > _today() + timedelta(days=1):
        errors["day"] = pgettext_lazy("strategy values", "Choose today or a past day.")
    if errors:
        raise InvalidValuesError(errors)
    return {"helped": rating, "note": note}


def _refresh_stats(strategy: CopingStrategy) -> None:
    """Rebuild the strategy's figures from its uses (in the caller's transaction)."""
    uses = list(filter_uses_of(strategy.owner).filter(strategy_id=strategy.pk))
    rated = [u.helped for u in uses if u.helped is not None]
    last_used = max((u.day for u in uses), default=None)
    stats: dict[str, Any] = {
        "uses": len(uses),
        "rated": len(rated),
        "help_sum": sum(r for r in rated if r is not None),
        "last_used": last_used.isoformat() if last_used is not None else None,
    }
    locked = filter_strategies_of(strategy.owner).select_for_update().get(pk=strategy.pk)
    locked.payload = {**locked.payload, "stats": stats}
    locked.save(update_fields=["payload"])
    strategy.payload = locked.payload


def record_use(strategy: CopingStrategy, *, day: date, helped: Any = None, note: str = "") -> StrategyUse:
    """The person used ``strategy`` on ``day``; ``helped`` (0–4) may come later, by a change."""
    payload = _clean_use(day=day, helped=helped, note=note)
    with transaction.atomic():
        use = StrategyUse(owner_id=strategy.owner_id, strategy=strategy, day=day, payload=payload)
        use.save()
        _refresh_stats(strategy)
    return use


def update_use(use: StrategyUse, *, day: date, helped: Any = None, note: str = "") -> StrategyUse:
    use.payload = _clean_use(day=day, helped=helped, note=note)
    use.day = day
    use.updated_at = timezone.now()
    with transaction.atomic():
        use.save()
        _refresh_stats(use.strategy)
    return use


def delete_use(use: StrategyUse) -> None:
    strategy = use.strategy
    with transaction.atomic():
        use.delete()
        _refresh_stats(strategy)


SORTS = ("help", "name")


def strategies_in_order(owner: Any, *, by: str = "help") -> list[CopingStrategy]:
    """The person's strategies: the ones that helped most first (never rated ones after, most
    used first), or by name (case and accents aside)."""
    rows = list(filter_strategies_of(owner))
    if by == "name":
        return sorted(rows, key=lambda s: (v.fold(s.name), s.created_at))

    def best_first(s: CopingStrategy) -> tuple[int, float, int, str]:
        mean = s.mean_help
        return (mean is None, -(mean or 0.0), -s.uses, v.fold(s.name))

    return sorted(rows, key=best_first)


# --- Recovery self-assessment -------------------------------------------------------------------


def _clean_month(month: date) -> date:
    first = month_start(month)
    if first < dates.MIN_DATE or first > month_start(_today()):
        raise InvalidValuesError(
            {"month": pgettext_lazy("recovery values", "Choose this month or a past month.")}
        )
    return first


def rate_recovery(owner: Any, *, month: date, values: Mapping[str, Any]) -> tuple[RecoveryAssessment, bool]:
    """The person's self-rating of ``month`` (any day of it). A month already rated is replaced:
    returns ``(row, True)`` then, ``(row, False)`` for a new one."""
    first = _clean_month(month)
    payload = v.clean_recovery(values)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = filter_assessments_of(owner).select_for_update().filter(month=first).first()
                if existing is not None:
                    existing.payload = payload
                    existing.updated_at = timezone.now()
                    existing.save(update_fields=["payload", "updated_at"])
                    return existing, True
                row = RecoveryAssessment(owner=owner, month=first, payload=payload)
                row.save(force_insert=True)
                return row, False
        except IntegrityError:  # rated at the same moment elsewhere: replace that one
            continue
    raise RuntimeError("recovery self-assessment: the month's row kept changing")  # pragma: no cover


def update_assessment(assessment: RecoveryAssessment, *, values: Mapping[str, Any]) -> RecoveryAssessment:
    """New ratings and words for the same month."""
    assessment.payload = v.clean_recovery(values)
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["payload", "updated_at"])
    return assessment


def delete_assessment(assessment: RecoveryAssessment) -> None:
    assessment.delete()


def assessment_of_month(owner: Any, month: date) -> RecoveryAssessment | None:
    return filter_assessments_of(owner).filter(month=month_start(month)).first()
