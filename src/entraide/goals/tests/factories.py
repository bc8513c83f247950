"""Goals, strategies, uses and self-assessments with realistic defaults, made through the services
(as in life), and helpers the view tests share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from entraide.goals import services
from entraide.goals.models import CopingStrategy, Goal, RecoveryAssessment, StrategyUse


def make_goal(owner: Any, **values: Any) -> Goal:
    values.setdefault("title", "Marcher trois fois par semaine")
    values.setdefault("why", "Pour dormir mieux.")
    values.setdefault("steps", ["Trouver des chaussures", "Première marche de 10 minutes"])
    return services.create_goal(owner, **values)


def make_strategy(owner: Any, **values: Any) -> CopingStrategy:
    values.setdefault("name", "Respirer lentement")
    values.setdefault("category", "body")
    return services.create_strategy(owner, **values)


def make_use(strategy: CopingStrategy, **values: Any) -> StrategyUse:
    values.setdefault("day", date(2026, 3, 14))
    values.setdefault("helped", 3)
    return services.record_use(strategy, **values)


def scores(**given: int | None) -> dict[str, dict[str, Any]]:
    """Self-assessment values: ``scores(hope=6, meaning=4)``; the others are not rated."""
    return {key: {"score": score, "words": ""} for key, score in given.items()}


def make_assessment(owner: Any, month: date = date(2026, 3, 1), **given: int) -> RecoveryAssessment:
    return services.rate_recovery(owner, month=month, values=scores(**(given or {"hope": 6})))[0]


def token_of(response: Any) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)
