"""Hostile values, by kind, for the hostile-input tests (forms here, the API in src/entraide/api/tests).

Each kind is one request per field: a 1 MB string, a NUL, invalid UTF-8 (forms) or a lone
surrogate (JSON), emoji, negative and huge numbers, years 0001 and 9999, malformed dates and
times, and the field sent twice. A field gets the kinds of its own type plus the text ones (a
browser or a script may send anything anywhere).
"""

from __future__ import annotations

MEGABYTE = 1_000_000

# Forms: raw bytes, as a client may send them (url-encoded as they are).
TEXT: dict[str, bytes] = {
    "1 MB": b"a" * MEGABYTE,
    "NUL": b"Ti\x00tre",
    "invalid UTF-8": b"caf\xc3 \xff\xfe",
    "emoji": "🌱 👩🏽‍⚕️ ok".encode(),
}
NUMBERS: dict[str, bytes] = {"negative": b"-1", "huge": b"9" * 40}
# Years 0001 and 9999 are refused where they are parsed; core.dates' own first and last days
# (1900-01-01, 2199-12-31) get through, so that the arithmetic behind the forms meets them.
DATES: dict[str, bytes] = {
    "year 0001": b"0001-01-01",
    "year 9999": b"9999-12-31",
    "first day": b"1900-01-01",
    "last day": b"2199-12-31",
    "malformed date": b"2026-02-30",
}
DATETIMES: dict[str, bytes] = {
    "year 0001": b"0001-01-01T00:00",
    "year 9999": b"9999-12-31T23:59",
    "first day": b"1900-01-01T00:00",
    "last day": b"2199-12-31T23:59",
    "malformed date": b"2026-02-30T25:61",
}
TIMES: dict[str, bytes] = {"malformed time": b"24:60", "negative time": b"-01:00"}
TWICE = "sent twice"

KINDS_BY_INPUT: dict[str, dict[str, bytes]] = {
    "number": NUMBERS,
    "range": NUMBERS,
    "date": DATES,
    "month": {
        "year 0001": b"0001-01",
        "year 9999": b"9999-12",
        "last day": b"2199-12",
        "malformed date": b"2026-13",
    },
    "datetime-local": DATETIMES,
    "time": TIMES,
    "select": NUMBERS,
    "radio": NUMBERS,
    "checkbox": NUMBERS,
}


def kinds_for(input_type: str) -> dict[str, bytes]:
    return TEXT | KINDS_BY_INPUT.get(input_type, {})


def as_typed(raw: bytes) -> str:
    """What a form must show again: the bytes as Django decodes them, normalised (core.text)."""
    return raw.decode("utf-8", "replace").replace("\x00", "")
