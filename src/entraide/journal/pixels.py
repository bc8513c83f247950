"""The "year in pixels": one small square per day of a year, shaded by that day's mean mood.

One SVG path per shade (not one element per day) keeps a full year under 8 KB of markup; the
shades are one calm hue from light to dark, never alarm colours (ARCHITECTURE.md, "Pages").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

CELL, GAP, TOP, LEFT = 10, 2, 14, 2
SHADES = 5  # 0–1.9, 2–3.9, 4–5.9, 6–7.9, 8–10


def shade(mood: float) -> int:
    return min(SHADES - 1, int(mood // 2))


@dataclass(frozen=True)
class Pixels:
    svg: SafeString
    days: int


def year_in_pixels(points: Sequence[tuple[date, float]], year: int, *, title: str, desc: str) -> Pixels:
    first = date(year, 1, 1)
    origin = first - timedelta(days=first.weekday())  # the Monday of the first column
    paths: dict[int, list[str]] = {}
    days = 0
    for day, mood in points:
        if day.year != year:
            continue
        column, row = (day - origin).days // 7, day.weekday()
        x, y = LEFT + column * (CELL + GAP), TOP + row * (CELL + GAP)
        paths.setdefault(shade(mood), []).append(f"M{x} {y}h{CELL}v{CELL}h-{CELL}z")
        days += 1
    weeks = (date(year, 12, 31) - origin).days // 7 + 1
    width, height = LEFT + weeks * (CELL + GAP), TOP + 7 * (CELL + GAP)
    months = "".join(
        format_html(
            '<text x="{}" y="10" class="chart__label">{}</text>',
            LEFT + ((date(year, m, 1) - origin).days // 7) * (CELL + GAP),
            formats.date_format(date(year, m, 1), "M"),
        )
        for m in range(1, 13)
    )
    shaded = "".join(
        format_html('<path d="{}" class="pixel--{}"/>', "".join(cells), level)
        for level, cells in sorted(paths.items())
    )
    svg = format_html(
        '<svg viewBox="0 0 {} {}" class="pixels__svg" role="img" aria-labelledby="pixels-title pixels-desc" focusable="false">'
        '<title id="pixels-title">{}</title><desc id="pixels-desc">{}</desc>'
        '<rect x="0" y="{}" width="{}" height="{}" class="pixels__frame" fill="none"/>{}{}</svg>',
        width,
        height,
        title,
        desc,
        TOP - 1,
        width,
        height - TOP + 1,
        mark_safe(months),  # noqa: S308 — built with format_html above
        mark_safe(shaded),  # noqa: S308 — built with format_html above
    )
    return Pixels(svg, days)
