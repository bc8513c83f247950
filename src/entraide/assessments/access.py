"""Loading a person's own questionnaire responses and schedules. They never take a viewer: another
person's go through circle's gate first (ARCHITECTURE.md, scope ``assessments``). Another person's
response is a 404, never a 403; so is a questionnaire this site does not have."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from entraide.assessments import engine
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule


def get_instrument(key: str) -> engine.Instrument:
    try:
        return engine.get(key)
    except KeyError:
        raise Http404 from None


def filter_responses_of(
    owner: Any, qs: QuerySet[QuestionnaireResponse] | None = None
) -> QuerySet[QuestionnaireResponse]:
    return (QuestionnaireResponse.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_response_of(owner: Any, response_id: uuid.UUID | str) -> QuestionnaireResponse:
    try:
        row_id = uuid.UUID(str(response_id))
    except ValueError:
        raise Http404 from None
    found = filter_responses_of(owner).filter(pk=row_id).first()
    if found is None:
        raise Http404
    return found


def filter_schedules_of(
    owner: Any, qs: QuerySet[QuestionnaireSchedule] | None = None
) -> QuerySet[QuestionnaireSchedule]:
    return (QuestionnaireSchedule.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def latest_responses_of(owner: Any) -> dict[str, QuestionnaireResponse]:
    """The latest response to each questionnaire the person answered, in one query, in the order
    of ``engine.KEYS``."""
    latest_first = Window(
        RowNumber(), partition_by=F("instrument"), order_by=[F("answered_at").desc(), F("id").desc()]
    )
    rows = {
        row.instrument: row
        for row in filter_responses_of(owner)
        .filter(instrument__in=engine.KEYS)
        .annotate(rank=latest_first)
        .filter(rank=1)
    }
    return {key: rows[key] for key in engine.KEYS if key in rows}
