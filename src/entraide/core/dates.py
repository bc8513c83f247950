"""The one range of dates entraide reads: 1 January 1900 to 31 December 2199.

Every date a URL, a form or the API accepts is bounded where it is parsed, with these helpers:
a URL answers 404 (``parse_date``, ``parse_month``, ``parse_instant``), a form a field error
(``DateField``, ``DateTimeField``), the API a 422 (``in_range`` in the pydantic types of
``entraide.api.schemas``). Far from Python's years 1 and 9999, a bounded date can move by a
time zone, a cycle or a few months without an ``OverflowError``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)

OUT_OF_RANGE = pgettext_lazy("dates", "Choose a date between 1900 and 2199.")


def in_range(value: date | datetime) -> bool:
    """A datetime by its date as written (in its own offset): converting it to another zone
    (without overflow, so far from year 1) moves it by a day at most."""
    return MIN_DATE <= (value.date() if isinstance(value, datetime) else value) <= MAX_DATE


def parse_date(text: Any) -> date | None:
    """``2026-03-14`` → that date; ``None`` if unreadable or out of range."""
    try:
        day = date.fromisoformat(text.strip()) if isinstance(text, str) else None
    except ValueError:
        return None
    return day if day is not None and in_range(day) else None


def parse_month(text: Any) -> date | None:
    """``2026-03`` → 1 March 2026; ``None`` if unreadable or out of range."""
    if not isinstance(text, str) or len(text.strip()) != 7:
        return None
    return parse_date(f"{text.strip()}-01")


def parse_instant(text: Any, fmt: str) -> datetime | None:
    """A UTC instant written with ``fmt`` (no offset in it); ``None`` if unreadable or out of range."""
    try:
        instant = datetime.strptime(text, fmt).replace(tzinfo=UTC) if isinstance(text, str) else None
    except ValueError:
        return None
    return instant if instant is not None and in_range(instant) else None


def _validate(value: date | datetime | None) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class DateField(forms.DateField):
    """A form's date, refused with a field error outside the range."""

    default_validators = [_validate]  # noqa: RUF012  # Django's own class attribute


class DateTimeField(forms.DateTimeField):
    """A form's date and time, refused with a field error outside the range."""

    default_validators = [_validate]  # noqa: RUF012  # Django's own class attribute
