"""A person's questionnaire responses and rhythms in their export; gone with their account. The
reminder itself is a notifications row (exported and erased with them)."""

from __future__ import annotations

from typing import Any

from entraide.assessments.access import filter_responses_of, filter_schedules_of
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)

RESPONSES = "assessments.responses"
SCHEDULES = "assessments.schedules"


def export_responses(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your questionnaire responses (PHQ-9, GAD-7, WHO-5): the questionnaire, when you answered, "
            "whether you keep it private from your circle, the language of the wording you saw, your answer to each question in order (the value of "
            "the answer chosen), the difficulty answer when there is one, and what the site computed "
            "from them: the total, the percentage (WHO-5), the band or cut-offs, and whether an answer "
            "opened the crisis screen."
        ),
        records=[
            {
                "id": str(r.pk),
                "questionnaire": r.instrument,
                "answered_at": r.answered_at,
                "local_date": r.local_date,
                "private": r.private,
                **r.payload,
            }
            for r in filter_responses_of(person).order_by("answered_at", "id")
        ],
        tabular=True,
    )


def export_schedules(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "How often you chose to answer each questionnaire (days between two answers; 0: no "
            "rhythm), and the day you chose it."
        ),
        records=[
            {
                "id": str(s.pk),
                "questionnaire": s.instrument,
                "every_days": s.every_days,
                "since": s.since,
                "updated_at": s.updated_at,
            }
            for s in filter_schedules_of(person).order_by("instrument")
        ],
        tabular=True,
    )


def erase_responses(person: Any) -> object:
    return filter_responses_of(person).delete()


def erase_schedules(person: Any) -> object:
    return filter_schedules_of(person).delete()


def register() -> None:
    register_export(
        ExportRegistration(key=RESPONSES, models=(QuestionnaireResponse,), export=export_responses, order=35)
    )
    register_export(
        ExportRegistration(key=SCHEDULES, models=(QuestionnaireSchedule,), export=export_schedules, order=36)
    )
    register_erasure(
        ErasureRegistration(key=RESPONSES, models=(QuestionnaireResponse,), erase=erase_responses, order=35)
    )
    register_erasure(
        ErasureRegistration(key=SCHEDULES, models=(QuestionnaireSchedule,), erase=erase_schedules, order=36)
    )
