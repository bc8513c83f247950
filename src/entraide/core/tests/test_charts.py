"""The chart component: trailing means over days with data, the summary word for word in French
and English, a 365-day chart under 15 KB of markup, presentation attributes only."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from entraide.core.charts import day_text, line_chart, number, trailing_mean

MARCH = [(date(2026, 3, d), v) for d, v in [(1, 4), (2, 5), (3, 6), (5, 7), (6, 8), (9, 7), (10, 8), (30, 9)]]


def test_trailing_mean_uses_only_days_with_data_and_never_interpolates():
    means = dict(trailing_mean(MARCH))
    assert set(means) == {d for d, _ in MARCH}  # no value on a day without data
    assert means[date(2026, 3, 1)] == 4
    assert means[date(2026, 3, 5)] == (4 + 5 + 6 + 7) / 4
    assert means[date(2026, 3, 9)] == (6 + 7 + 8 + 7) / 4  # 3–9 March: the 1st and 2nd have left
    assert means[date(2026, 3, 30)] == 9  # alone in its week


@given(
    st.dictionaries(
        st.dates(date(2020, 1, 1), date(2026, 12, 31)), st.integers(0, 10), min_size=1, max_size=80
    )
)
def test_trailing_mean_matches_the_definition(values):
    points = sorted(values.items())
    for day, mean in trailing_mean(points):
        window = [v for d, v in points if day - timedelta(days=6) <= d <= day]
        assert math.isclose(mean, sum(window) / len(window))


def summary(language):
    with translation.override(language):
        chart = line_chart(
            MARCH,
            start=date(2026, 3, 1),
            end=date(2026, 3, 31),
            measure="Mood" if language == "en" else "Humeur",
            low=0,
            high=10,
        )
        return chart.summary


def test_summary_word_for_word_in_english():
    assert summary("en") == (
        "From 1 March 2026 to 31 March 2026: mood 6.8 out of 10 on average, over 8 days with data. "
        "Going up: from 4 to 9 (7-day means at the start and at the end)."
    )


def test_summary_word_for_word_in_french():
    assert summary("fr") == (
        "Du 1 mars 2026 au 31 mars 2026 : humeur 6,8 sur 10 en moyenne, sur 8 jours notés. "
        "En hausse : de 4 à 9 (moyennes sur 7 jours au début et à la fin)."
    )


def test_summary_says_when_it_stays_about_the_same_and_when_it_goes_down():
    steady = [(date(2026, 1, d), 5 + (d % 2) * 0.2) for d in range(1, 29)]
    with translation.override("en"):
        text = line_chart(
            steady, start=date(2026, 1, 1), end=date(2026, 1, 28), measure="Energy", low=0, high=10
        ).summary
        assert "About the same: 5.2 at the start, 5.1 at the end (7-day means)." in text
        down = line_chart(
            [(date(2026, 1, 1), 8), (date(2026, 1, 20), 3)],
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
            measure="Energy",
            low=0,
            high=10,
        )
        assert down.summary.endswith("Going down: from 8 to 3 (7-day means at the start and at the end).")


def test_summary_of_an_empty_period():
    with translation.override("en"):
        chart = line_chart([], start=date(2026, 1, 1), end=date(2026, 1, 7), measure="Mood", low=0, high=10)
    assert (
        chart.empty
        and chart.summary == "From 1 January 2026 to 7 January 2026, nothing was noted for this measure."
    )


def test_a_year_of_daily_values_stays_under_15_kb_with_weekly_rows():
    start = date(2025, 3, 1)
    points = [(start + timedelta(days=i), (i * 7919) % 11) for i in range(365) if i % 9]
    chart = line_chart(points, start=start, end=start + timedelta(days=364), measure="Mood", low=0, high=10)
    svg = str(chart.svg)
    assert len(svg.encode()) <= 15_000, len(svg.encode())
    assert "style=" not in svg and "<script" not in svg
    assert chart.weekly and 52 <= len(chart.rows) <= 53
    assert sum(row.days for row in chart.rows) == len(points)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    # Gaps are gaps: one "M" (move) per run of consecutive days in the daily path.
    daily = re.search(r'<path d="([^"]+)" class="chart__daily"', svg).group(1)
    runs = 1 + sum(1 for (a, _), (b, _) in itertools.pairwise(points) if (b - a).days > 1)
    assert daily.count("M") == runs


def test_short_periods_have_daily_rows():
    chart = line_chart(MARCH, start=date(2026, 3, 1), end=date(2026, 3, 31), measure="Mood", low=0, high=10)
    assert not chart.weekly and len(chart.rows) == len(MARCH)


def test_numbers_round_half_up_in_the_readers_language():
    with translation.override("fr"):
        assert number(6.25) == "6,3" and number(7.0) == "7" and number(6.04) == "6"
    with translation.override("en"):
        assert number(6.25) == "6.3"


@pytest.mark.parametrize("grouping", [False, True])
def test_numbers_match_djangos_formatting_with_or_without_grouping(settings, grouping):
    """The fast path (no thousand separator) writes what Django's number_format would."""
    from decimal import Decimal

    from django.utils import formats

    settings.USE_THOUSAND_SEPARATOR = grouping
    for language in ("fr", "en"):
        with translation.override(language):
            for value, places in ((-0.04, 1), (-3.25, 1), (0.05, 1), (12345.678, 2), (9.999, 1), (42, 0)):
                expected_value = Decimal(str(value)).quantize(
                    Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"
                )
                expected = (
                    formats.number_format(int(expected_value))
                    if expected_value == expected_value.to_integral_value()
                    else formats.number_format(expected_value, places)
                )
                assert number(value, places) == expected, (language, value)


@pytest.mark.parametrize("language", ["fr", "en"])
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_day_text_is_djangos_long_date(language, day):
    with translation.override(language):
        assert day_text(day) == formats.date_format(day, "j F Y")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("days", [20, 365])
def test_axis_labels_are_djangos_dates(language, days):
    """The x axis names days ("j/m") for a month or less, months ("M") beyond."""
    from entraide.core.charts import _month_ticks

    end = date(2026, 11, 24)
    start = end - timedelta(days=days - 1)
    with translation.override(language):
        svg = line_chart([(end, 5.0)], start=start, end=end, measure="Humeur", low=0, high=10).svg
        expected = [formats.date_format(d, "j/m" if days <= 31 else "M") for d in _month_ticks(start, end)]
    labels = re.findall(r'text-anchor="middle" class="chart__label">([^<]+)</text>', svg)
    assert len(labels) >= 3
    assert labels == expected


@pytest.mark.parametrize("weekly", [False, True])
def test_table_rows_escape_labels_and_values(weekly):
    from entraide.core.charts import Chart, Row

    rows = [Row('<b>"lundi"</b> & co', "6,3 <i>", 4)]
    chart = Chart("t", SafeString(""), "s", rows, "Jour", "Humeur", weekly)
    cells = '<th scope="row">&lt;b&gt;&quot;lundi&quot;&lt;/b&gt; &amp; co</th><td>6,3 &lt;i&gt;</td>'
    body = render_to_string("core/includes/chart_rows.html", {"chart": chart})
    assert body.strip().endswith(f"<tr>{cells}{'<td>4</td>' if weekly else ''}</tr>")


def test_a_chart_without_table_rows_draws_the_same_picture():
    points = [(date(2026, 1, 1) + timedelta(days=i), float(i % 7)) for i in range(0, 90, 2)]
    kwargs = {"start": date(2026, 1, 1), "end": date(2026, 3, 31), "measure": "Humeur", "low": 0, "high": 10}
    with translation.override("fr"):
        full, bare = line_chart(points, **kwargs), line_chart(points, table=False, **kwargs)
    assert full.rows and bare.rows == []
    assert (bare.svg, bare.summary) == (full.svg, full.summary)
