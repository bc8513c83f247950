"""Loading a person's own goals, strategies, uses and self-assessments. They never take a viewer:
another person's data goes through circle's gate first (ARCHITECTURE.md). Another person's row is
a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from entraide.core.access import one_or_404
from entraide.goals.models import CopingStrategy, Goal, RecoveryAssessment, StrategyUse


def filter_goals_of(owner: Any, qs: QuerySet[Goal] | None = None) -> QuerySet[Goal]:
    return (Goal.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_goal_of(owner: Any, goal_id: uuid.UUID | str) -> Goal:
    return one_or_404(filter_goals_of(owner), goal_id)


def filter_strategies_of(owner: Any, qs: QuerySet[CopingStrategy] | None = None) -> QuerySet[CopingStrategy]:
    return (CopingStrategy.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_strategy_of(owner: Any, strategy_id: uuid.UUID | str) -> CopingStrategy:
    return one_or_404(filter_strategies_of(owner), strategy_id)


def filter_uses_of(owner: Any, qs: QuerySet[StrategyUse] | None = None) -> QuerySet[StrategyUse]:
    return (StrategyUse.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_use_of(owner: Any, strategy: CopingStrategy, use_id: uuid.UUID | str) -> StrategyUse:
    """One use of the owner's ``strategy`` (a use of another strategy is a 404 too)."""
    return one_or_404(filter_uses_of(owner).filter(strategy_id=strategy.pk), use_id)


def filter_assessments_of(
    owner: Any, qs: QuerySet[RecoveryAssessment] | None = None
) -> QuerySet[RecoveryAssessment]:
    return (RecoveryAssessment.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_assessment_of(owner: Any, assessment_id: uuid.UUID | str) -> RecoveryAssessment:
    return one_or_404(filter_assessments_of(owner), assessment_id)


def find_step(goal: Goal, step_id: uuid.UUID | str) -> dict[str, Any]:
    """One step of the goal's checklist (steps live in the goal's payload), or a 404."""
    for step in goal.payload.get("steps", []):
        if step.get("id") == str(step_id):
            return dict(step)
    raise Http404
