"""What every app's ``access.py`` shares."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def one_or_404(qs: QuerySet[M], row_id: uuid.UUID | str) -> M:
    """The row of ``qs`` (already narrowed to an owner's rows) with that UUID, or a 404: a row
    of someone else, a missing one and an id that is no UUID all look the same."""
    try:
        row_uuid = uuid.UUID(str(row_id))
    except ValueError:
        raise Http404 from None
    found = qs.filter(pk=row_uuid).first()
    if found is None:
        raise Http404
    return found
