"""Questionnaire responses written through the services, as in life."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from entraide.assessments import engine, services
from entraide.assessments.models import QuestionnaireResponse


def answers_totalling(key: str, total: int) -> list[int]:
    """Answers adding up to ``total``, the first items as high as possible (PHQ-9's item 9 last)."""
    instrument = engine.get(key)
    top = max(instrument.values)
    values, left = [], total
    for _item in instrument.items:
        values.append(min(top, left))
        left -= values[-1]
    if left:
        raise ValueError(f"{total} is beyond {key}'s range")
    return values


def make_response(
    owner: Any,
    key: str = "phq9",
    *,
    total: int = 6,
    at: datetime | None = None,
    difficulty: int | None = None,
    answers: list[int] | None = None,
) -> QuestionnaireResponse:
    values = answers if answers is not None else answers_totalling(key, total)
    if difficulty is None and key == "phq9" and any(values):
        difficulty = 1
    return services.record_response(owner, questionnaire=key, answers=values, difficulty=difficulty, at=at)
