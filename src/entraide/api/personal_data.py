"""A person's access tokens in their export (never the hash of a secret); gone with their account."""

from __future__ import annotations

from typing import Any

from entraide.api.access import filter_tokens_of
from entraide.api.models import IdempotentWrite, PersonalToken
from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)


def export_tokens(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your API access tokens: name, first characters, read or read and write, created, "
            "expiry, last use and revocation. The secrets themselves are not stored anywhere."
        ),
        records=[
            {
                "id": str(t.pk),
                "name": t.name,
                "prefix": t.prefix,
                "areas": t.areas,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in filter_tokens_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def erase(person: Any) -> None:
    filter_tokens_of(person).delete()


def register() -> None:
    register_export(
        ExportRegistration(key="api.tokens", models=(PersonalToken,), export=export_tokens, order=90)
    )
    register_erasure(
        # Idempotency keys go with their token (cascade).
        ErasureRegistration(key="api.tokens", models=(PersonalToken, IdempotentWrite), erase=erase, order=90)
    )
