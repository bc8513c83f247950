"""One normalisation for every text input, at the edge: form fields and query strings
(``core.middleware.NormalizedInputMiddleware``) and API bodies (the API's JSON parser) alike.

A NUL character is removed (PostgreSQL cannot store it in text, and no one types it) and a lone
UTF-16 surrogate, which JSON can carry (``"\\ud800"``) but UTF-8 cannot encode, becomes U+FFFD, as
invalid UTF-8 in a form already does when Django decodes it. Nothing else changes here: trimming,
NFC and length limits are each field's rules, in its app's ``values``.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii() and _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return value


def _needs(value: str) -> bool:
    return "\x00" in value or (not value.isascii() and _SURROGATE.search(value) is not None)


def normalize_data(data: Any) -> Any:
    """Every string in decoded JSON (keys too), normalised; the same object when nothing changes."""
    if isinstance(data, str):
        return normalize(data)
    if isinstance(data, list):
        return [normalize_data(item) for item in data]
    if isinstance(data, dict):
        return {normalize_data(key): normalize_data(item) for key, item in data.items()}
    return data


def normalize_query(query: QueryDict) -> QueryDict:
    """A form's or a query string's fields and values, normalised; the same object when clean."""
    if not any(_needs(key) or any(_needs(v) for v in values) for key, values in query.lists()):
        return query
    clean = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        clean.setlist(normalize(key), [normalize(v) for v in values])
    clean._mutable = False  # as Django gives it
    return clean
