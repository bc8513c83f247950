"""Errors every app's services raise alike."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class InvalidValuesError(ValueError):
    """Values that break a rule: ``errors`` maps each key to a kind, translated message."""

    def __init__(self, errors: Mapping[str, str | Promise]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)
