"""Loading a person's own access tokens. Another person's token is a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from entraide.api.models import PersonalToken


def filter_tokens_of(owner: Any, qs: QuerySet[PersonalToken] | None = None) -> QuerySet[PersonalToken]:
    return (PersonalToken.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_token_of(owner: Any, token_id: uuid.UUID | str) -> PersonalToken:
    try:
        token_uuid = uuid.UUID(str(token_id))
    except ValueError:
        raise Http404 from None
    found = filter_tokens_of(owner).filter(pk=token_uuid).first()
    if found is None:
        raise Http404
    return found
