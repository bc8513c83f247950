"""The rules every check-in value follows, whoever sends it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entraide.core.errors import InvalidValuesError
from entraide.journal import values as v
from entraide.journal.models import IndicatorKind


@given(st.integers(0, 10))
def test_indicator_scale_accepts_0_to_10_as_number_or_text(n):
    assert v.clean_indicator_value(IndicatorKind.SCALE, n) == n
    assert v.clean_indicator_value(IndicatorKind.SCALE, str(n)) == n


@given(
    st.one_of(
        st.integers().filter(lambda n: not 0 <= n <= 10),
        st.booleans(),
        st.floats(0.1, 9.9).filter(lambda x: not x.is_integer()),
        st.text(min_size=1).filter(lambda t: not t.strip().isdigit() and t.strip()),
    )
)
def test_indicator_scale_refuses_anything_else(value):
    with pytest.raises(InvalidValuesError) as caught:
        v.clean_indicator_value(IndicatorKind.SCALE, value)
    assert "value" in caught.value.errors


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_indicator_number_keeps_finite_numbers_rounded_and_refuses_the_rest(x):
    if not math.isfinite(x) or abs(x) > v.MAX_NUMBER:
        with pytest.raises(InvalidValuesError):
            v.clean_indicator_value(IndicatorKind.NUMBER, x)
        return
    stored = v.clean_indicator_value(IndicatorKind.NUMBER, x)
    assert abs(stored - x) <= 0.0005 + 1e-9 * abs(x)
    # Stored values are stable: cleaning them again changes nothing (the export round trip relies on it).
    assert v.clean_indicator_value(IndicatorKind.NUMBER, stored) == stored


def test_indicator_number_reads_a_french_decimal_comma():
    assert v.clean_indicator_value(IndicatorKind.NUMBER, "7,5") == 7.5
    assert v.clean_indicator_value(IndicatorKind.NUMBER, "12") == 12


@given(st.sampled_from(["yes", "no", "true", "false", True, False]))
def test_indicator_yes_no(value):
    assert v.clean_indicator_value(IndicatorKind.YES_NO, value) in (True, False)


@given(st.integers(-10_000, 20_000))
def test_indicator_duration_is_minutes_up_to_a_week(minutes):
    if 0 <= minutes <= v.MAX_DURATION:
        assert v.clean_indicator_value(IndicatorKind.DURATION, minutes) == minutes
    else:
        with pytest.raises(InvalidValuesError):
            v.clean_indicator_value(IndicatorKind.DURATION, minutes)


WORDS = st.text(min_size=1, max_size=10).filter(lambda t: " ".join(t.split()) == t)


@given(st.lists(WORDS, min_size=2, max_size=5, unique=True), st.data())
def test_indicator_choice_is_one_of_its_options(options, data):
    chosen = data.draw(st.sampled_from(options))
    assert v.clean_indicator_value(IndicatorKind.CHOICE, chosen, choices=options) == chosen
    other = data.draw(st.text(min_size=1).filter(lambda t: t not in options and t.strip()))
    with pytest.raises(InvalidValuesError):
        v.clean_indicator_value(IndicatorKind.CHOICE, other, choices=options)


@given(st.text(max_size=400))
def test_indicator_text_is_short_and_trimmed(text):
    try:
        stored = v.clean_indicator_value(IndicatorKind.TEXT, text)
    except InvalidValuesError:
        assert len(text.strip()) > v.MAX_SHORT_TEXT or len(text.strip().replace("\x00", "")) > 0
        return
    assert stored is None or (len(stored) <= v.MAX_SHORT_TEXT and stored == stored.strip())


def test_checkin_sleep_crosses_midnight():
    payload = v.clean_checkin({"sleep_bed": "23:30", "sleep_wake": "07:00"})
    assert payload["sleep_minutes"] == 450


def test_checkin_reports_every_problem_at_once():
    with pytest.raises(InvalidValuesError) as caught:
        v.clean_checkin(
            {
                "mood": 11,
                "anxiety": "x",
                "emotions": ["joy", "nope"],
                "sleep_bed": "23:00",
                "tags": ["a" * 41],
            }
        )
    assert set(caught.value.errors) == {"mood", "anxiety", "emotions", "sleep_wake", "tags"}


def test_checkin_tags_drop_duplicates_case_and_accents_aside():
    assert v.clean_checkin({"tags": "Été, ete,  famille ,FAMILLE"})["tags"] == ["Été", "famille"]


def test_checkin_refuses_unknown_keys_and_unknown_indicators():
    with pytest.raises(InvalidValuesError) as caught:
        v.clean_checkin({"weather": "sunny", "indicators": {"00000000-0000-4000-8000-000000000009": 3}})
    assert "weather" in caught.value.errors
    assert "indicator_00000000-0000-4000-8000-000000000009" in caught.value.errors


@pytest.mark.parametrize(
    "values",
    [
        {},
        {
            "mood": None,
            "emotions": [],
            "own_emotions": [],
            "note": "  \x00 ",
            "tags": " , ",
            "indicators": {},
        },
        {"sleep_bed": "", "sleep_wake": "", "other_substances": "", "regular_meals": None},
    ],
)
def test_checkin_with_nothing_in_it_is_refused_as_a_whole(values):
    """Issue 19, item 8: the moment alone is not a check-in; the message is the form's, not a field's."""
    with pytest.raises(InvalidValuesError) as caught:
        v.clean_checkin(values)
    assert caught.value.errors == {v.NOTHING_KEY: v.NOTHING_TO_SAVE}


@pytest.mark.parametrize(
    "values", [{"mood": 0}, {"emotions": ["calm"]}, {"note": "un mot"}, {"tags": "x"}, {"tobacco": 0}]
)
def test_checkin_with_one_value_even_zero_is_kept(values):
    assert v.clean_checkin(values) == {k: ["x"] if k == "tags" else val for k, val in values.items()}


def test_checkin_with_only_wrong_values_gets_their_messages_not_nothing_to_save():
    with pytest.raises(InvalidValuesError) as caught:
        v.clean_checkin({"mood": 12})
    assert set(caught.value.errors) == {"mood"}
