"""What treatments, schedules, doses and side-effect notes hold, and their limits.

Domain errors are ``entraide.core.errors.InvalidValuesError`` (a field key → a kind, translated
message), so that the pages and the API (422) treat them as the journal's.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from entraide.core import dates

MAX_TREATMENTS = 100
MAX_SCHEDULES = 10  # per treatment
MAX_TIMES = 12  # per schedule
MAX_PATTERN = 12  # doses in an on-demand pattern
MAX_OFFSET_HOURS = 24 * 30  # an on-demand dose at most 30 days after the first
MAX_CYCLE_DAYS = 365
MAX_NAME = 100
MAX_DOSE = 100
MAX_FORM = 100
MAX_PRESCRIBER = 100
MAX_NOTES = 2_000
MAX_AMOUNT = 100
MAX_NOTE = 2_000
MAX_RENEWAL_DAYS = 60
MAX_STARTS_KEPT = 500  # on-demand starts per schedule
DEFAULT_RENEWAL_DAYS = 7
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"  # a dose's due instant in URLs: 20260329T010000Z (UTC)


def clean_line(value: Any) -> str:
    """One line of text: NFC, inner spaces and line breaks collapsed."""
    return " ".join(unicodedata.normalize("NFC", value if isinstance(value, str) else "").split())


def clean_text(value: Any) -> str:
    """A text that may hold line breaks: NFC, Unix line ends, no NUL, trimmed."""
    text = value if isinstance(value, str) else ""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\x00", "").strip()


def stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(value: str) -> datetime | None:
    """A dose's key from a URL; ``None`` (a 404) if unreadable or out of core.dates' range."""
    return dates.parse_instant(value, STAMP_FORMAT)
