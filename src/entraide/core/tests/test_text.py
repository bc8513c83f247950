"""core.text: the one normalisation of every text input, forms and API alike (issue 18 item 10)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from entraide.core.content import text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Mon\x00 titre", "Mon titre"),
        ("\x00", ""),
        ("lone \ud800 half", "lone \ufffd half"),
        ("émoji 🌱 kept", "émoji 🌱 kept"),
        ("  spaces kept  ", "  spaces kept  "),  # trimming is each field's rule, not the edge's
    ],
)
def test_normalize(raw, clean):
    assert text.normalize(raw) == clean


def test_normalize_data_reaches_nested_strings_and_keys():
    data = {"title\x00": "a\x00b", "items": ["c\x00", {"d": "\ud800"}], "n": 1, "ok": None}
    assert text.normalize_data(data) == {"title": "ab", "items": ["c", {"d": "\ufffd"}], "n": 1, "ok": None}


def test_normalize_query_keeps_a_clean_one_and_every_value_of_a_field():
    clean = QueryDict("a=1&a=2&b=%C3%A9")
    assert text.normalize_query(clean) is clean
    dirty = text.normalize_query(QueryDict("a=1%002&a=3&b%00=x"))
    assert dirty.getlist("a") == ["12", "3"] and dirty["b"] == "x" and not dirty._mutable
