"""Loading a person's own questionnaire responses and schedules. They never take a viewer: another
person's go through circle's gate first (ARCHITECTURE.md, scope ``assessments``). Another person's
response is a 404, never a 403; so is a questionnaire this site does not have."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.http import Http404

from entraide.assessments import engine
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.core.owned_rows import columns_of, rows_from_sql


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


# The overview and the questionnaires page ask for it on every visit: one statement, written in
# SQL (one indexed look-up per questionnaire), costs ~0.1 ms where three ORM queries cost ~0.6 ms
# and a window function ~1 ms.
_LATEST_SQL = (
    "SELECT * FROM (SELECT {columns} FROM assessments_questionnaireresponse"
    " WHERE owner_id = %s AND instrument = %s ORDER BY answered_at DESC, id DESC LIMIT 1) AS latest_{n}"
)


def latest_responses_of(owner: Any) -> dict[str, QuestionnaireResponse]:
    """The latest response to each questionnaire the person answered, in the order of
    ``engine.KEYS``."""
    connection = connections[QuestionnaireResponse.objects.db]
    owner_id = QuestionnaireResponse._meta.get_field("owner").get_db_prep_value(owner.pk, connection)
    columns = columns_of(QuestionnaireResponse, connection.alias)
    sql = " UNION ALL ".join(_LATEST_SQL.format(columns=columns, n=n) for n in range(len(engine.KEYS)))
    params = [value for key in engine.KEYS for value in (owner_id, key)]
    found = rows_from_sql(QuestionnaireResponse, sql, params, using=connection.alias)
    rows = {row.instrument: row for row in found}
    return {key: rows[key] for key in engine.KEYS if key in rows}


_SINCE_SQL = (
    "SELECT {columns} FROM assessments_questionnaireresponse"
    " WHERE owner_id = %s AND instrument = %s AND local_date >= %s ORDER BY answered_at, id"
)


def responses_since(owner: Any, instrument: str, start: date) -> list[QuestionnaireResponse]:
    """The person's responses to ``instrument`` from the local day ``start`` on, oldest first, as
    ``filter_responses_of(owner).filter(instrument=…, local_date__gte=start).order_by("answered_at",
    "id")`` finds them: the history page reads them on every visit, in SQL."""
    connection = connections[QuestionnaireResponse.objects.db]
    meta = QuestionnaireResponse._meta
    params = [
        meta.get_field("owner").get_db_prep_value(owner.pk, connection),
        instrument,
        meta.get_field("local_date").get_db_prep_value(start, connection),
    ]
    sql = _SINCE_SQL.format(columns=columns_of(QuestionnaireResponse, connection.alias))
    return rows_from_sql(QuestionnaireResponse, sql, params, using=connection.alias)
