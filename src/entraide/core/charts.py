"""One chart component for every app: a server-rendered SVG line chart of daily values with their
trailing 7-day mean, a text summary that states the period, the mean and the direction with
numbers, and an accessible data table (weekly rows for long periods).

No JavaScript and no ``style`` attribute (CSP): the SVG uses presentation attributes only, and
colours come from CSS custom properties through classes in ``entraide.css``. Values are drawn as
they are: days without data are gaps, never interpolated (ARCHITECTURE.md, "Time").
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, npgettext, pgettext

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 26  # margins for the axis labels
WINDOW = 7  # days of the trailing mean
DAILY_ROWS_UP_TO = 31  # longer periods get one table row per week
Point = tuple[date, float]


@dataclass(frozen=True)
class _Words:
    months: dict[int, str]  # "novembre"
    short_months: dict[int, str]  # "Nov." as Django's "M" writes it
    weekdays: dict[int, str]
    decimal_sign: str


@functools.lru_cache(maxsize=32)
def _words_in(language: str | None) -> _Words:
    """Day and month names and the decimal sign of ``language``, the active one (a chart names
    sixty days: each lazy name costs a translation look-up)."""
    return _Words(
        months={m: str(name) for m, name in MONTHS.items()},
        short_months={m: str(name).title() for m, name in MONTHS_3.items()},
        weekdays={d: str(name) for d, name in WEEKDAYS.items()},
        decimal_sign=str(formats.get_format("DECIMAL_SEPARATOR")),
    )


def _words() -> _Words:
    return _words_in(get_language())


def day_text(day: date, words: _Words | None = None) -> str:
    """``day`` as Django's "j F Y" formats it (24 novembre 2026), at a tenth of the cost: a page
    of responses names forty days. ``words``: the language's, when the caller has them."""
    return f"{day.day} {(words or _words()).months[day.month]} {day.year}"


def rounded(value: float, places: int = 1) -> Decimal:
    """Half up, as people round (6.25 → 6.3), not the banker's way."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: float, places: int = 1, words: _Words | None = None) -> str:
    """A number in the reader's language: 6,3 in French, 6.3 in English; no useless ",0".
    ``words``: the language's, when the caller formats many numbers."""
    value_r = rounded(value, places)
    if settings.USE_THOUSAND_SEPARATOR:  # grouping: Django's formatting does it
        if value_r == value_r.to_integral_value():
            return formats.number_format(int(value_r))
        return formats.number_format(value_r, places)
    # Without grouping, only the decimal sign is local: a chart formats a hundred numbers.
    if value_r == value_r.to_integral_value():
        return str(int(value_r))
    return str(value_r).replace(".", (words or _words()).decimal_sign)


def trailing_mean(points: Sequence[Point], window: int = WINDOW) -> list[Point]:
    """For each day with data, the mean of the days with data among it and the ``window - 1``
    days before it. Days without data get no value: nothing is interpolated."""
    ordered = sorted(points)
    ordinals = [day.toordinal() for day, _ in ordered]
    result: list[Point] = []
    start = 0
    total = 0.0
    for end, (day, value) in enumerate(ordered):
        total += value
        while ordinals[start] <= ordinals[end] - window:
            total -= ordered[start][1]
            start += 1
        result.append((day, total / (end - start + 1)))
    return result


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    days: int


@dataclass(frozen=True)
class Chart:
    """What a page shows: ``svg`` (safe markup), ``summary`` (one paragraph), ``rows`` (the data
    table, rendered by core/includes/chart_rows.html), ``title`` and the table's column names."""

    title: str
    svg: SafeString
    summary: str
    rows: list[Row]
    period_label: str
    value_label: str
    weekly: bool
    empty: bool = False
    chart_id: str = "chart"
    notes: list[str] = field(default_factory=list)


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _path(points: Sequence[Point], start: date, end: date, low: float, high: float) -> str:
    """An SVG path through the points, broken wherever a day is missing (no interpolation)."""
    # _x and _y inlined, on day ordinals: a year's two paths are 700 points.
    first, span = start.toordinal(), max((end - start).days, 1)
    x_scale, y_span = (WIDTH - LEFT - RIGHT) / span, (high - low) or 1
    y_scale = HEIGHT - TOP - BOTTOM
    parts: list[str] = []
    previous = -2
    for day, value in points:
        ordinal = day.toordinal()
        x = LEFT + x_scale * (ordinal - first)
        y = TOP + y_scale * (1 - (value - low) / y_span)
        parts.append(f"{'L' if ordinal - previous == 1 else 'M'}{x:.1f} {y:.1f}")
        previous = ordinal
    return "".join(parts)


def _isolated(points: Sequence[Point]) -> list[Point]:
    """Days with data but no neighbour: a path would draw nothing there, so they get a dot."""
    days = {day for day, _ in points}
    return [
        (day, value)
        for day, value in points
        if day - timedelta(days=1) not in days and day + timedelta(days=1) not in days
    ]


def _month_ticks(start: date, end: date) -> list[date]:
    span = (end - start).days
    if span <= DAILY_ROWS_UP_TO:
        step = 7 if span > 14 else 1 if span <= 7 else 2
        return [start + timedelta(days=i) for i in range(0, span + 1, step)]
    ticks = []
    month = date(start.year, start.month, 1)
    every = 1 if span <= 100 else 2 if span <= 200 else 3
    while month <= end:
        if month >= start and (month.month - 1) % every == 0:
            ticks.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


def _svg(
    points: Sequence[Point],
    smoothed: Sequence[Point],
    *,
    start: date,
    end: date,
    low: float,
    high: float,
    title_id: str,
    desc_id: str,
    title: str,
    desc: str,
) -> SafeString:
    span = high - low
    ticks = [low, low + span / 2, high]
    # Built with f-strings: numbers need no escaping, and the labels are escaped here; a chart of
    # a year of fortnightly answers has thirty dots, each a format_html call before.
    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_y(t, low, high):.1f}" y2="{_y(t, low, high):.1f}" class="chart__grid"/>'
        f'<text x="{LEFT - 6}" y="{_y(t, low, high) + 4:.1f}" text-anchor="end" class="chart__label">{html.escape(number(t))}</text>'
        for t in ticks
    )
    short = (end - start).days <= DAILY_ROWS_UP_TO
    words = _words()
    x_labels = "".join(
        f'<text x="{_x(day, start, end):.1f}" y="{HEIGHT - 6}" text-anchor="middle" class="chart__label">'
        f"{html.escape(f'{day.day}/{day.month:02d}' if short else words.short_months[day.month])}</text>"
        for day in _month_ticks(start, end)
    )
    dots = "".join(
        f'<circle cx="{_x(d, start, end):.1f}" cy="{_y(v, low, high):.1f}" r="2.5" class="chart__dot"/>'
        for d, v in _isolated(points)
    )
    daily = _path(points, start, end, low, high)
    trend = _path(smoothed, start, end, low, high)
    return format_html(
        '<svg viewBox="0 0 {w} {h}" class="chart__svg" role="img" aria-labelledby="{tid} {did}" '
        'focusable="false">'
        '<title id="{tid}">{title}</title><desc id="{did}">{desc}</desc>{grid}{xl}'
        '<path d="{daily}" class="chart__daily" fill="none" stroke-width="1" vector-effect="non-scaling-stroke"/>'
        "{dots}"
        '<path d="{trend}" class="chart__trend" fill="none" stroke-width="2.5" vector-effect="non-scaling-stroke"/>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        tid=title_id,
        did=desc_id,
        title=title,
        desc=desc,
        grid=mark_safe(grid),  # noqa: S308 — escaped where built, above
        xl=mark_safe(x_labels),  # noqa: S308 — escaped where built, above
        daily=daily,
        dots=mark_safe(dots),  # noqa: S308 — escaped where built, above
        trend=trend,
    )


def _direction(first: float, last: float, low: float, high: float) -> str:
    """Plain words, no alarm: the trailing mean at the start and at the end of the period."""
    threshold = (high - low) * 0.05
    numbers = {"first": number(first), "last": number(last)}
    if abs(last - first) < threshold:
        return (
            pgettext(
                "chart summary", "About the same: %(first)s at the start, %(last)s at the end (7-day means)."
            )
            % numbers
        )
    if last > first:
        return (
            pgettext(
                "chart summary",
                "Going up: from %(first)s to %(last)s (7-day means at the start and at the end).",
            )
            % numbers
        )
    return (
        pgettext(
            "chart summary",
            "Going down: from %(first)s to %(last)s (7-day means at the start and at the end).",
        )
        % numbers
    )


def _rows(points: Sequence[Point], start: date, end: date, places: int) -> tuple[list[Row], bool]:
    weekly = (end - start).days > DAILY_ROWS_UP_TO
    if not weekly:
        # Day and month names looked up once, not formatted row by row ("l j F").
        words = _words()
        month_names, day_names = words.months, words.weekdays
        rows = [
            Row(f"{day_names[d.weekday()]} {d.day} {month_names[d.month]}", number(v, places, words), 1)
            for d, v in points
        ]
        return rows, False
    words = _words()
    week_of = pgettext("chart table", "Week of %(day)s")
    weeks: dict[date, list[float]] = {}
    for day, value in points:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(value)
    rows = [
        Row(
            week_of % {"day": day_text(monday, words)},
            number(sum(values) / len(values), places, words),
            len(values),
        )
        for monday, values in sorted(weeks.items())
    ]
    return rows, True


def line_chart(
    points: Sequence[Point],
    *,
    start: date,
    end: date,
    measure: str | Promise,
    low: float,
    high: float,
    unit: str | Promise = "",
    chart_id: str = "chart",
    places: int = 1,
    table: bool = True,
) -> Chart:
    """The chart of one measure over [start, end]. ``points`` are (day, value) for days with data
    (values outside the period are ignored); ``low``/``high`` bound the axis (0 and 10 for mood).
    ``table=False``: no data table rows, for a caller that makes its own."""
    inside = sorted((d, float(v)) for d, v in points if start <= d <= end)
    period = pgettext("chart summary", "From %(start)s to %(end)s") % {
        "start": day_text(start),
        "end": day_text(end),
    }
    title = f"{measure}: {period}"
    rows, weekly = _rows(inside, start, end, places) if table else ([], False)
    period_label = pgettext("chart table", "Week") if weekly else pgettext("chart table", "Day")
    value_label = f"{measure} ({unit})" if unit else str(measure)
    if not inside:
        summary = pgettext("chart summary", "%(period)s, nothing was noted for this measure.") % {
            "period": period
        }
        return Chart(title, SafeString(""), summary, [], period_label, value_label, weekly, True, chart_id)
    smoothed = trailing_mean(inside)
    mean = sum(v for _, v in inside) / len(inside)
    days = len(inside)
    scale = pgettext("chart summary", " out of %(high)s") % {"high": number(high)} if not unit else f" {unit}"
    name = str(measure)
    summary = npgettext(
        "chart summary",
        "%(period)s: %(measure)s %(mean)s%(scale)s on average, over %(days)s day with data.",
        "%(period)s: %(measure)s %(mean)s%(scale)s on average, over %(days)s days with data.",
        days,
    ) % {
        "period": period,
        "measure": name[:1].lower() + name[1:],
        "mean": number(mean, places),
        "scale": scale,
        "days": days,
    }
    if days >= 2:
        summary += " " + _direction(smoothed[0][1], smoothed[-1][1], low, high)
    svg = _svg(
        inside,
        smoothed,
        start=start,
        end=end,
        low=low,
        high=high,
        title_id=f"{chart_id}-title",
        desc_id=f"{chart_id}-desc",
        title=title,
        desc=pgettext(
            "chart", "Thin line: each day's value; thick line: the mean of the last 7 days with data."
        ),
    )
    return Chart(title, svg, summary, rows, period_label, value_label, weekly, False, chart_id)
