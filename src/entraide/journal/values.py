"""What a check-in holds, and the rules every value follows, whoever sends it (form, API, demo).

A check-in's payload is a flat dict of the keys in ``CHECKIN_KEYS``; a missing key means "not
recorded". ``clean_checkin`` is the one place that says what is valid: forms and the API parse
their input, then hand it here and show the messages it returns.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core.errors import InvalidValuesError
from entraide.journal.models import IndicatorKind

# The emotions offered by default (about sixteen, pleasant and hard ones alike).
EMOTIONS: dict[str, Promise] = {
    "joy": pgettext_lazy("emotion", "joy"),
    "calm": pgettext_lazy("emotion", "calm"),
    "gratitude": pgettext_lazy("emotion", "gratitude"),
    "pride": pgettext_lazy("emotion", "pride"),
    "hope": pgettext_lazy("emotion", "hope"),
    "relief": pgettext_lazy("emotion", "relief"),
    "tenderness": pgettext_lazy("emotion", "tenderness"),
    "curiosity": pgettext_lazy("emotion", "curiosity"),
    "sadness": pgettext_lazy("emotion", "sadness"),
    "worry": pgettext_lazy("emotion", "worry"),
    "fear": pgettext_lazy("emotion", "fear"),
    "anger": pgettext_lazy("emotion", "anger"),
    "shame": pgettext_lazy("emotion", "shame"),
    "guilt": pgettext_lazy("emotion", "guilt"),
    "loneliness": pgettext_lazy("emotion", "loneliness"),
    "overwhelm": pgettext_lazy("emotion", "overwhelm"),
}

SCALES = ("mood", "anxiety", "energy")  # 0 to 10
MINUTES_A_DAY = 24 * 60
MAX_NOTE = 5_000
MAX_TAGS = 20
MAX_TAG = 40
MAX_OWN_EMOTIONS = 30
MAX_OWN_EMOTION = 40
MAX_SHORT_TEXT = 200
MAX_NUMBER = 1e9
MAX_DURATION = 7 * MINUTES_A_DAY  # a week, in minutes

# Which keys each sharing scope reveals (ARCHITECTURE.md, "Scopes").
SCOPE_KEYS: dict[str, tuple[str, ...]] = {
    "checkins": (
        "mood",
        "anxiety",
        "energy",
        "emotions",
        "own_emotions",
        "sleep_bed",
        "sleep_wake",
        "sleep_minutes",
        "sleep_quality",
        "activity_minutes",
        "regular_meals",
        "outdoors_minutes",
        "social_contact",
    ),
    "substances": ("alcohol_drinks", "tobacco", "other_substances"),
    "notes": ("note", "tags"),
    "indicators": ("indicators",),
}
CHECKIN_KEYS: frozenset[str] = frozenset(k for keys in SCOPE_KEYS.values() for k in keys)
SUBSTANCE_KEYS: frozenset[str] = frozenset(SCOPE_KEYS["substances"])


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_between(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", value):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if _is_int(value) and low <= value <= high:
        return int(value)
    return None


def _clean_text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\x00", "").strip()
    return text if len(text) <= limit else None


def _clean_time(value: Any) -> str | None:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
        return value.strip()
    return None


def _clean_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"yes", "no", "true", "false"}:
        return value.lower() in {"yes", "true"}
    return None


def sleep_minutes(bed: str, wake: str) -> int:
    """Minutes from going to bed to waking up, across midnight (23:30 → 07:00 is 450)."""
    bed_h, bed_m = map(int, bed.split(":"))
    wake_h, wake_m = map(int, wake.split(":"))
    return ((wake_h * 60 + wake_m) - (bed_h * 60 + bed_m)) % MINUTES_A_DAY


def _fold(text: str) -> str:
    """Case and accents aside, for comparing tags and emotions."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_words(
    values: Iterable[Any] | str, *, limit: int, length: int, what: Literal["tags", "emotions", "choices"]
) -> tuple[list[str], str | Promise | None]:
    """Tags, own emotions or an indicator's options (``what``: "tags", "emotions" or "choices"):
    trimmed, inner spaces collapsed, duplicates (case and accents aside) dropped, in the order given.
    A comma-separated string is split. A refusal names what it refuses."""
    if isinstance(values, str):
        values = values.split(",")
    words: list[str] = []
    seen: set[str] = set()
    for raw in values:
        if not isinstance(raw, str):
            return [], pgettext_lazy("check-in values", "Write words, separated by commas.")
        word = " ".join(unicodedata.normalize("NFC", raw).split())
        if not word or _fold(word) in seen:
            continue
        if len(word) > length:
            too_long = (
                pgettext_lazy("indicator values", "Keep each option under %(limit)s characters.")
                if what == "choices"
                else pgettext_lazy("check-in values", "Keep each word under %(limit)s characters.")
            )
            return [], too_long % {"limit": length}
        seen.add(_fold(word))
        words.append(word)
    if len(words) > limit:
        too_many = {
            "tags": pgettext_lazy("check-in values", "At most %(limit)s tags."),
            "emotions": pgettext_lazy("check-in values", "At most %(limit)s emotions of your own."),
            "choices": pgettext_lazy("indicator values", "An indicator has at most %(limit)s options."),
        }
        return [], too_many[what] % {"limit": limit}
    return words, None


def clean_indicator_value(kind: str, value: Any, *, choices: Iterable[str] = ()) -> Any:
    """The stored form of one indicator value, or ``None`` for "not recorded".

    Raises ``InvalidValuesError`` (key ``"value"``) with a message that says what is expected.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == IndicatorKind.SCALE:
        number = _int_between(value, 0, 10)
        if number is None:
            raise InvalidValuesError(
                {"value": pgettext_lazy("indicator value", "Choose a whole number from 0 to 10.")}
            )
        return number
    if kind == IndicatorKind.NUMBER:
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                value = None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidValuesError(
                {"value": pgettext_lazy("indicator value", "Write a number, like 2 or 7.5.")}
            )
        if abs(value) > MAX_NUMBER:
            raise InvalidValuesError({"value": pgettext_lazy("indicator value", "This number is too large.")})
        value = round(float(value), 3)
        return int(value) if value.is_integer() else value
    if kind == IndicatorKind.YES_NO:
        answer = _clean_bool(value)
        if answer is None:
            raise InvalidValuesError({"value": pgettext_lazy("indicator value", "Answer yes or no.")})
        return answer
    if kind == IndicatorKind.DURATION:
        minutes = _int_between(value, 0, MAX_DURATION)
        if minutes is None:
            raise InvalidValuesError(
                {"value": pgettext_lazy("indicator value", "Give a duration of at most 7 days, in minutes.")}
            )
        return minutes
    if kind == IndicatorKind.CHOICE:
        options = list(choices)
        if not isinstance(value, str) or value not in options:
            raise InvalidValuesError(
                {"value": pgettext_lazy("indicator value", "Choose one of the options.")}
            )
        return value
    if kind == IndicatorKind.TEXT:
        text = _clean_text(value, MAX_SHORT_TEXT)
        if text is None:
            raise InvalidValuesError(
                {"value": pgettext_lazy("indicator value", "Keep it under 200 characters.")}
            )
        return text or None
    raise ValueError(f"unknown indicator kind {kind!r}")


# A check-in holds at least one value: the moment alone says nothing (and a form sent by mistake
# would add an empty point to the person's history). Not a field's message: the whole form's.
NOTHING_KEY = "checkin"
NOTHING_TO_SAVE = pgettext_lazy(
    "check-in values", "Nothing to save yet: note at least one thing, even a word."
)


def clean_checkin(data: Mapping[str, Any], *, indicators: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The payload to store for these values, without the empty ones; at least one value.

    ``indicators`` maps the ids of the person's indicators (archived ones included: an old
    check-in keeps its values) to their ``Indicator`` rows. Raises ``InvalidValuesError`` listing
    every problem at once, so a form can show them all.
    """
    errors: dict[str, str | Promise] = {}
    out: dict[str, Any] = {}
    unknown = set(data) - CHECKIN_KEYS - {"sleep_minutes"}
    for key in sorted(unknown):
        errors[key] = pgettext_lazy("check-in values", "This is not part of a check-in.")

    def blank(value: Any) -> bool:
        return value is None or value in ("", [], {})

    for key in SCALES:
        if not blank(data.get(key)):
            number = _int_between(data[key], 0, 10)
            if number is None:
                errors[key] = pgettext_lazy("check-in values", "Choose a whole number from 0 to 10.")
            else:
                out[key] = number

    if not blank(data.get("emotions")):
        emotions = data["emotions"]
        if isinstance(emotions, str) or not all(e in EMOTIONS for e in emotions):
            errors["emotions"] = pgettext_lazy("check-in values", "Choose emotions from the list.")
        else:
            out["emotions"] = [e for e in EMOTIONS if e in set(emotions)]
    if not blank(data.get("own_emotions")):
        words, problem = clean_words(
            data["own_emotions"], limit=MAX_OWN_EMOTIONS, length=MAX_OWN_EMOTION, what="emotions"
        )
        if problem:
            errors["own_emotions"] = problem
        elif words:
            out["own_emotions"] = words

    bed, wake = data.get("sleep_bed"), data.get("sleep_wake")
    if not blank(bed) or not blank(wake):
        bed_c, wake_c = _clean_time(bed), _clean_time(wake)
        if bed_c is None or wake_c is None:
            message = pgettext_lazy(
                "check-in values", "Give both the time you went to bed and the time you woke up (hh:mm)."
            )
            errors["sleep_bed" if bed_c is None else "sleep_wake"] = message
        else:
            out.update(sleep_bed=bed_c, sleep_wake=wake_c, sleep_minutes=sleep_minutes(bed_c, wake_c))
    if not blank(data.get("sleep_quality")):
        quality = _int_between(data["sleep_quality"], 1, 5)
        if quality is None:
            errors["sleep_quality"] = pgettext_lazy("check-in values", "Choose from 1 to 5.")
        else:
            out["sleep_quality"] = quality

    for key in ("activity_minutes", "outdoors_minutes"):
        if not blank(data.get(key)):
            minutes = _int_between(data[key], 0, MINUTES_A_DAY)
            if minutes is None:
                errors[key] = pgettext_lazy("check-in values", "Give minutes, from 0 to 1440 (a whole day).")
            else:
                out[key] = minutes
    for key in ("regular_meals", "social_contact"):
        if not blank(data.get(key)):
            answer = _clean_bool(data[key])
            if answer is None:
                errors[key] = pgettext_lazy("check-in values", "Answer yes or no.")
            else:
                out[key] = answer

    for key, high in (("alcohol_drinks", 99), ("tobacco", 999)):
        if not blank(data.get(key)):
            count = _int_between(data[key], 0, high)
            if count is None:
                errors[key] = pgettext_lazy("check-in values", "Give a whole number from 0 to %(high)s.") % {
                    "high": high
                }
            else:
                out[key] = count
    if not blank(data.get("other_substances")):
        text = _clean_text(data["other_substances"], MAX_SHORT_TEXT)
        if text is None:
            errors["other_substances"] = pgettext_lazy("check-in values", "Keep it under 200 characters.")
        elif text:
            out["other_substances"] = text

    if not blank(data.get("note")):
        note = _clean_text(data["note"], MAX_NOTE)
        if note is None:
            errors["note"] = pgettext_lazy(
                "check-in values", "Keep the note under 5,000 characters, or write the rest in your journal."
            )
        elif note:
            out["note"] = note
    if not blank(data.get("tags")):
        tags, problem = clean_words(data["tags"], limit=MAX_TAGS, length=MAX_TAG, what="tags")
        if problem:
            errors["tags"] = problem
        elif tags:
            out["tags"] = tags

    if not blank(data.get("indicators")):
        given = data["indicators"]
        known = indicators or {}
        if not isinstance(given, Mapping):
            errors["indicators"] = pgettext_lazy("check-in values", "Indicator values are not readable.")
        else:
            values: dict[str, Any] = {}
            for indicator_id, raw in given.items():
                indicator = known.get(str(indicator_id))
                if indicator is None:
                    errors[f"indicator_{indicator_id}"] = pgettext_lazy(
                        "check-in values", "This indicator does not exist."
                    )
                    continue
                try:
                    value = clean_indicator_value(indicator.kind, raw, choices=indicator.choices)
                except InvalidValuesError as exc:
                    errors[f"indicator_{indicator_id}"] = exc.errors["value"]
                    continue
                if value is not None:
                    values[str(indicator_id)] = value
            if values:
                out["indicators"] = values

    if not errors and not out:
        raise InvalidValuesError({NOTHING_KEY: NOTHING_TO_SAVE})
    if errors:
        raise InvalidValuesError(errors)
    return out
