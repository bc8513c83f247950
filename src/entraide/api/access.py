"""Loading a person's own access tokens. Another person's token is a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from entraide.api.models import PersonalToken
from entraide.core.access import one_or_404


def filter_tokens_of(owner: Any, qs: QuerySet[PersonalToken] | None = None) -> QuerySet[PersonalToken]:
    return (PersonalToken.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_token_of(owner: Any, token_id: uuid.UUID | str) -> PersonalToken:
    return one_or_404(filter_tokens_of(owner), token_id)
