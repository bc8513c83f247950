"""Loading a person's own questionnaire responses and schedules. They never take a viewer: another
person's go through circle's gate first (ARCHITECTURE.md, scope ``assessments``). Another person's
response is a 404, never a 403; so is a questionnaire this site does not have."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from entraide.assessments import engine
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.core.access import one_or_404


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
    return one_or_404(filter_responses_of(owner), response_id)


def filter_schedules_of(
    owner: Any, qs: QuerySet[QuestionnaireSchedule] | None = None
) -> QuerySet[QuestionnaireSchedule]:
    return (QuestionnaireSchedule.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def latest_responses_of(owner: Any) -> dict[str, QuestionnaireResponse]:
    """The latest response to each questionnaire the person answered, in the order of
    ``engine.KEYS``; one query (each questionnaire's latest through the index on owner,
    questionnaire and time)."""
    latest = (
        QuestionnaireResponse.objects.filter(owner_id=owner.pk, instrument=OuterRef("instrument"))
        .order_by("-answered_at", "-id")
        .values("pk")[:1]
    )
    rows = {row.instrument: row for row in filter_responses_of(owner).filter(pk__in=Subquery(latest))}
    return {key: rows[key] for key in engine.KEYS if key in rows}


def responses_since(owner: Any, instrument: str, start: date) -> list[QuestionnaireResponse]:
    """The person's responses to ``instrument`` from the local day ``start`` on, oldest first."""
    return list(
        filter_responses_of(owner)
        .filter(instrument=instrument, local_date__gte=start)
        .order_by("answered_at", "id")
    )
