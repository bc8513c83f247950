"""core.dates: one range (1900 to 2199) for every date a URL, a form or the API reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.utils import translation

from entraide.core import dates


def test_the_range_is_1900_to_2199_inclusive():
    assert dates.in_range(date(1900, 1, 1)) and dates.in_range(date(2199, 12, 31))
    assert not dates.in_range(date(1899, 12, 31)) and not dates.in_range(date(2200, 1, 1))
    far_east = timezone(timedelta(hours=14))
    assert dates.in_range(datetime(2199, 12, 31, 23, 59, tzinfo=far_east))
    assert not dates.in_range(datetime(1, 1, 1, tzinfo=far_east))  # no OverflowError
    assert not dates.in_range(datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        (" 2026-03-14 ", date(2026, 3, 14)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("2026-3-14", None),
        ("", None),
        (None, None),
        ("\x00", None),
    ],
)
def test_parse_date(text, expected):
    assert dates.parse_date(text) == expected


def test_parse_month_and_instant():
    assert dates.parse_month("2026-03") == date(2026, 3, 1)
    assert dates.parse_month("0001-01") is None and dates.parse_month("2026-3") is None
    assert dates.parse_instant("20260302T110000Z", "%Y%m%dT%H%M%SZ") == datetime(2026, 3, 2, 11, tzinfo=UTC)
    for stamp in ("99991231T235959Z", "00010101T000000Z", "2026", None):
        assert dates.parse_instant(stamp, "%Y%m%dT%H%M%SZ") is None


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_form_fields_refuse_an_out_of_range_date_with_a_field_error(value):
    with translation.override("fr"):
        field = dates.DateField(input_formats=["%Y-%m-%d"])
        with pytest.raises(Exception, match="Choisissez une date entre 1900 et 2199"):
            field.clean(value)
        moment = dates.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
        with pytest.raises(Exception, match="Choisissez une date entre 1900 et 2199"):
            moment.clean(f"{value}T12:00")
    assert dates.DateField(input_formats=["%Y-%m-%d"]).clean("2199-12-31") == date(2199, 12, 31)
