"""A person's goals, coping strategies and recovery self-assessments in their export; gone with
their account."""

from __future__ import annotations

from typing import Any

from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.goals.access import (
    filter_assessments_of,
    filter_goals_of,
    filter_strategies_of,
    filter_uses_of,
)
from entraide.goals.models import CopingStrategy, Goal, RecoveryAssessment, StrategyUse
from entraide.goals.values import DIMENSION_KEYS


def export_goals(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your goals: title, why it matters, status (in_progress, paused, reached, let_go), target "
            "date, when it was reached, and its steps (done_at is when you ticked one, null if not yet)."
        ),
        records=[
            {
                "id": str(g.pk),
                "status": g.status,
                "target_date": g.target_date,
                "reached_at": g.reached_at,
                "created_at": g.created_at,
                "updated_at": g.updated_at,
                "title": g.title,
                "why": g.why,
                "steps": g.steps,
            }
            for g in filter_goals_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_strategies(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "What helps you (coping strategies): name, kind (body, mind, people, creativity, rest, "
            "other), note, and the idea it was picked from if any. Each use is in goals.strategy_uses."
        ),
        records=[
            {
                "id": str(s.pk),
                "created_at": s.created_at,
                "updated_at": s.updated_at,
                "name": s.name,
                "category": s.category,
                "note": s.note,
                "starter": s.payload.get("starter"),
            }
            for s in filter_strategies_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_uses(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Each time you used a strategy: its id, the day, how much it helped (0 not at all to 4 a "
            "lot, null if not rated) and your note."
        ),
        records=[
            {
                "id": str(u.pk),
                "strategy_id": str(u.strategy_id),
                "day": u.day,
                "created_at": u.created_at,
                "updated_at": u.updated_at,
                "helped": u.helped,
                "note": u.note,
            }
            for u in filter_uses_of(person).order_by("day", "created_at", "id")
        ],
        tabular=True,
    )


def export_assessments(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your monthly recovery self-assessments: for each month (YYYY-MM) and each of the five "
            "dimensions (connectedness, hope, identity, meaning, empowerment), a score from 0 to 10 "
            "(null if not rated) and your words."
        ),
        records=[
            {
                "id": str(a.pk),
                "month": a.month.strftime("%Y-%m"),
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                **{key: {"score": a.score(key), "words": a.words(key)} for key in DIMENSION_KEYS},
            }
            for a in filter_assessments_of(person).order_by("month")
        ],
        tabular=True,
    )


def _erase(model: type[Any]) -> Any:
    return lambda person: model.objects.filter(owner_id=person.pk).delete()


def register() -> None:
    for key, model, export in (
        ("goals.goals", Goal, export_goals),
        ("goals.strategies", CopingStrategy, export_strategies),
        ("goals.strategy_uses", StrategyUse, export_uses),
        ("goals.recovery", RecoveryAssessment, export_assessments),
    ):
        register_export(ExportRegistration(key=key, models=(model,), export=export, order=30))
        register_erasure(ErasureRegistration(key=key, models=(model,), erase=_erase(model), order=30))
