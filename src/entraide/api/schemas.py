"""Schemas shared by every endpoint: errors, pagination and date filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict
from pydantic_core import PydanticCustomError

from entraide.core import dates

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000  # far beyond one person's data; keeps the SQL OFFSET a small integer

DateOrTime = TypeVar("DateOrTime", date, datetime)


def _in_range(value: DateOrTime) -> DateOrTime:
    if not dates.in_range(value):
        raise PydanticCustomError("date_range", str(dates.OUT_OF_RANGE))
    return value


# Every date and time the API reads is within core.dates' range (1900 to 2199), else a 422.
Day = Annotated[date, AfterValidator(_in_range)]
Instant = Annotated[datetime, AfterValidator(_in_range)]
AwareInstant = Annotated[AwareDatetime, AfterValidator(_in_range)]


class Input(Schema):
    """A request body: an unknown field is an error (a typo would otherwise be silently lost)."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain words.")


class FieldError(Schema):
    field: str = Field(description="The field at fault (a dotted path for nested values).")
    message: str = Field(description="What to change, in plain words.")


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class Page(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="At most this many items.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Skip this many items first.")


class DateRange(Page):
    """``from`` is a Python keyword: the attribute is ``from_``, the query parameter ``from``."""

    from_: Day | None = Field(None, alias="from", description="From this local date (included).")
    to: Day | None = Field(None, description="Up to this local date (included).")


# The errors every operation may answer with: 403 when the token does not open the operation's
# area (or only reads it, on a write), 429 past a rate limit (with Retry-After).
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
ITEM_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS}
ITEM_WRITE_ERRORS: dict[int, type[Schema]] = {**ITEM_ERRORS}
