"""Loading a person's own thought records. They never take a viewer: another person's records
go through circle's gate first (ARCHITECTURE.md, scope ``thoughts``). Another person's record is
a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from entraide.core.access import one_or_404
from entraide.thoughts.models import ThoughtRecord


def filter_thoughts_of(owner: Any, qs: QuerySet[ThoughtRecord] | None = None) -> QuerySet[ThoughtRecord]:
    return (ThoughtRecord.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_thought_of(owner: Any, thought_id: uuid.UUID | str) -> ThoughtRecord:
    return one_or_404(filter_thoughts_of(owner), thought_id)
