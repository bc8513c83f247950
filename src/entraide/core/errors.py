"""Errors every app's services raise alike, and how a form shows them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise


class InvalidValuesError(ValueError):
    """Values that break a rule: ``errors`` maps each key to a kind, translated message."""

    def __init__(self, errors: Mapping[str, str | Promise]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class ServiceErrorsMixin:
    """For a Django form: ``add_service_errors(exc)`` puts each message of an
    ``InvalidValuesError`` on the field ``field_for(key)`` names, else at the top of the form."""

    def field_for(self, key: str) -> str | None:
        """The form's field for a service's error key: by default the field of that name."""
        form: Any = self
        return key if key in form.fields else None

    def add_service_errors(self, exc: InvalidValuesError) -> None:
        form: Any = self
        for key, message in exc.errors.items():
            form.add_error(self.field_for(key), str(message))
