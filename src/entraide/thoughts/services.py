"""Every write to a person's thought records, named ``verb_object``, and the rules their values
follow: pages, the API and the demo data call these, so the rules hold whatever the door.

Domain errors raise ``entraide.core.errors.InvalidValuesError``, whose ``errors`` map a key to
a kind, translated message. Keys are the payload's (``situation``, ``day``…); an emotion's are
``emotions.<index>.<emotion|own|before|after>``, its index in the list given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import InvalidValuesError
from entraide.thoughts import values as v
from entraide.thoughts.access import filter_thoughts_of
from entraide.thoughts.models import ThoughtRecord

Errors = dict[str, str | Promise]
EMOTION_ITEM_KEYS = frozenset({"emotion", "own", "before", "after"})
MAX_QUERY_WORDS = 10


# --- The rules ----------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, key: str, errors: Errors) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[key] = pgettext_lazy("thought record values", "Write some text here.")
        return ""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > v.MAX_TEXT:
        errors[key] = pgettext_lazy(
            "thought record values", "Keep it under 5,000 characters: what matters most is enough."
        )
    return text


def _intensity(value: Any, key: str, errors: Errors) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= v.MAX_INTENSITY:
        return value
    errors[key] = pgettext_lazy("thought record values", "Give a whole number from 0 to 100.")
    return None


def _time(value: Any, errors: Errors) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
        return value.strip()
    errors["time"] = pgettext_lazy("thought record values", "Give a time like 14:30, or leave it empty.")
    return None


def _day(value: Any, key: str, errors: Errors, *, not_before: date | None = None) -> None:
    """A local day, today at the latest (one day of slack for a person ahead of the server)."""
    if not isinstance(value, date):
        errors[key] = pgettext_lazy("thought record values", "Give a date.")
    elif value < dates.MIN_DATE:
        errors[key] = pgettext_lazy("thought record values", "Choose a date after 1900.")
    elif value > timezone.localdate() + timedelta(days=1):
        errors[key] = pgettext_lazy("thought record values", "Choose today or a past day.")
    elif not_before is not None and value < not_before:
        errors[key] = pgettext_lazy(
            "thought record values", "Choose a day between the day of the record and today."
        )


def _emotions(value: Any, errors: Errors) -> list[dict[str, Any]]:
    if _blank(value):
        return []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        errors["emotions"] = pgettext_lazy("thought record values", "The emotions are not readable.")
        return []
    items = list(value)
    if len(items) > v.MAX_EMOTIONS:
        errors["emotions"] = pgettext_lazy("thought record values", "At most 10 emotions for one record.")
        return []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        at = f"emotions.{index}"
        if not isinstance(item, Mapping) or set(item) - EMOTION_ITEM_KEYS:
            errors[at] = pgettext_lazy("thought record values", "This emotion is not readable.")
            continue
        key, own = item.get("emotion"), item.get("own")
        before = _intensity(item.get("before"), f"{at}.before", errors)
        after = _intensity(item.get("after"), f"{at}.after", errors)
        row: dict[str, Any]
        if not _blank(key) and not _blank(own):
            errors[f"{at}.own"] = pgettext_lazy(
                "thought record values", "Choose an emotion from the list or write your own word, not both."
            )
            continue
        if not _blank(key):
            if not isinstance(key, str) or key not in v.EMOTIONS:
                errors[f"{at}.emotion"] = pgettext_lazy(
                    "thought record values", "Choose an emotion from the list."
                )
                continue
            row, same = {"emotion": key}, f"key:{key}"
        elif not _blank(own):
            if not isinstance(own, str):
                errors[f"{at}.own"] = pgettext_lazy("thought record values", "Write a word or two.")
                continue
            word = " ".join(unicodedata.normalize("NFC", own).split())
            if len(word) > v.MAX_OWN_WORD:
                errors[f"{at}.own"] = pgettext_lazy(
                    "thought record values", "Keep the word under 40 characters."
                )
                continue
            row, same = {"own": word}, f"own:{v.fold(word)}"
        else:
            if before is not None or after is not None:
                errors[f"{at}.emotion"] = pgettext_lazy(
                    "thought record values", "Say which emotion these numbers are for."
                )
            continue  # an empty row: nothing to keep
        if same in seen:
            errors[f"{at}.{next(iter(row))}"] = pgettext_lazy(
                "thought record values", "This emotion is already in the record."
            )
            continue
        seen.add(same)
        row.update(before=before, after=after)
        out.append(row)
    return out


def _distortions(value: Any, errors: Errors) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        errors["distortions"] = pgettext_lazy("thought record values", "Choose from the list.")
        return []
    given = list(value)
    if not all(isinstance(k, str) and k in v.DISTORTIONS for k in given):
        errors["distortions"] = pgettext_lazy("thought record values", "Choose from the list.")
        return []
    return [k for k in v.DISTORTIONS if k in set(given)]  # the list's order, each once


def clean_thought(
    *,
    day: Any,
    time: Any = None,
    situation: Any = "",
    thought: Any = "",
    emotions: Any = (),
    distortions: Any = (),
    evidence_for: Any = "",
    evidence_against: Any = "",
    balanced_thought: Any = "",
) -> dict[str, Any]:
    """The record's payload (without the follow-up), or ``InvalidValuesError`` with every problem
    at once. Everything is optional but the day, and the situation or the thought."""
    errors: Errors = {}
    _day(day, "day", errors)
    texts = {
        "situation": situation,
        "thought": thought,
        "evidence_for": evidence_for,
        "evidence_against": evidence_against,
        "balanced_thought": balanced_thought,
    }
    payload: dict[str, Any] = {"time": _time(time, errors)}
    for key, value in texts.items():
        payload[key] = _text(value, key, errors)
    if not payload["situation"] and not payload["thought"] and "situation" not in errors:
        errors["situation"] = pgettext_lazy(
            "thought record values", "Describe the situation or write the thought: at least one of the two."
        )
    payload["emotions"] = _emotions(emotions, errors)
    payload["distortions"] = _distortions(distortions, errors)
    if errors:
        raise InvalidValuesError(errors)
    return payload


# --- Writes -------------------------------------------------------------------------------------


def create_thought(owner: Any, *, day: date, private: bool = False, **values: Any) -> ThoughtRecord:
    """A new record. ``values`` are ``clean_thought``'s keyword arguments but ``day``; ``private``:
    "reste privé" from the start."""
    payload = clean_thought(day=day, **values)
    payload.update(follow_up_note="", follow_up_intensity=None)
    record = ThoughtRecord(owner=owner, day=day, payload=payload, private=private)
    record.save()
    return record


def update_thought(record: ThoughtRecord, *, day: date, **values: Any) -> ThoughtRecord:
    """Replace what the record says; its follow-up stays as it is."""
    payload = clean_thought(day=day, **values)
    payload.update(
        follow_up_note=record.payload.get("follow_up_note", ""),
        follow_up_intensity=record.payload.get("follow_up_intensity"),
    )
    record.payload = payload
    record.day = day
    record.updated_at = timezone.now()
    record.save()
    return record


def mark_thought_private(record: ThoughtRecord, *, private: bool) -> ThoughtRecord:
    """ "Reste privé": the thought record never reaches anyone the person shares with."""
    if record.private != private:
        record.private = private
        record.save(update_fields=["private"])
    return record


def delete_thought(record: ThoughtRecord) -> None:
    record.delete()


def record_follow_up(
    record: ThoughtRecord, *, on: date, note: Any = "", intensity: Any = None
) -> ThoughtRecord:
    """ "Et maintenant ?": how it went later, and how strong the feeling is now (0 to 100)."""
    errors: Errors = {}
    _day(on, "on", errors, not_before=record.day)
    text = _text(note, "note", errors)
    level = _intensity(intensity, "intensity", errors)
    if not text and level is None and not errors:
        errors["note"] = pgettext_lazy(
            "thought record values", "Write how it went, or give the intensity now (or both)."
        )
    if errors:
        raise InvalidValuesError(errors)
    record.payload = {**record.payload, "follow_up_note": text, "follow_up_intensity": level}
    record.follow_up_on = on
    record.updated_at = timezone.now()
    record.save()
    return record


def clear_follow_up(record: ThoughtRecord) -> ThoughtRecord:
    record.payload = {**record.payload, "follow_up_note": "", "follow_up_intensity": None}
    record.follow_up_on = None
    record.updated_at = timezone.now()
    record.save()
    return record


# --- Reading ------------------------------------------------------------------------------------


def emotion_name(item: Mapping[str, Any]) -> str:
    """An emotion of a record in the reader's language (a listed one) or as the person wrote it."""
    if item.get("emotion") in v.EMOTIONS:
        return str(v.EMOTIONS[item["emotion"]])
    return str(item.get("own", ""))


def searchable_text(payload: Mapping[str, Any]) -> str:
    """Everything a search looks into, folded: the texts, the emotions and the distortions by
    their names in the reader's language."""
    parts = [str(payload.get(k, "")) for k in (*v.TEXT_KEYS, "follow_up_note")]
    parts += [emotion_name(e) for e in payload.get("emotions", [])]
    parts += [str(v.DISTORTIONS[k].name) for k in payload.get("distortions", []) if k in v.DISTORTIONS]
    return v.fold("\n".join(parts))


def search_thoughts(owner: Any, query: str) -> list[ThoughtRecord]:
    """The records holding every word of ``query`` (case and accents aside), newest first.
    Decrypted in memory: fine at one person's scale."""
    words = [v.fold(w) for w in query.split()][:MAX_QUERY_WORDS]
    records = list(filter_thoughts_of(owner).order_by("-day", "-created_at", "-id"))
    if not words:
        return records
    found = []
    for record in records:
        haystack = searchable_text(record.payload)
        if all(w in haystack for w in words):
            found.append(record)
    return found
