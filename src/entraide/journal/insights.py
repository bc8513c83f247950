"""Seeing one's own evolution: the measures a person can follow, their daily values (the mean of
each day's check-ins), and the comparison of two measures (Spearman's rank correlation).

Daily values come from the day means kept month by month (``journal.day_means``): a year of a
chart decrypts a dozen rows, not every check-in. The comparison itself is a pure function of
those values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from entraide.core.charts import number
from entraide.journal import day_means
from entraide.journal.access import indicators_of
from entraide.journal.display import duration_text
from entraide.journal.models import IndicatorKind

CAUTION_UNDER = 14  # paired days: below this, a comparison is shown with a caution
LAGS = (0, 1)  # same day, or the measure of the next day


@dataclass(frozen=True)
class Measure:
    """Something that has a number on a day: a check-in value (``field``) or a numeric indicator
    (``indicator``, its id), divided by ``scale`` (minutes shown as hours)."""

    key: str
    label: str | Promise
    low: float
    high: float
    unit: str | Promise = ""
    binary: bool = False  # yes/no: 1 or 0, compared as "days with" and "days without"
    places: int = 1
    field: str = ""
    indicator: str = ""
    scale: float = 1

    def value(self, payload: dict[str, Any]) -> float | None:
        """This measure in a check-in's payload (or a day's means, which have the same keys)."""
        found = (
            payload.get("indicators", {}).get(self.indicator) if self.indicator else payload.get(self.field)
        )
        if isinstance(found, bool):
            return float(found)
        return found / self.scale if isinstance(found, int | float) else None


HOURS = pgettext_lazy("unit", "h")
MINUTES = pgettext_lazy("unit", "min")

BASE_MEASURES: tuple[Measure, ...] = (
    Measure("mood", pgettext_lazy("measure", "Mood"), 0, 10, field="mood"),
    Measure("anxiety", pgettext_lazy("measure", "Anxiety"), 0, 10, field="anxiety"),
    Measure("energy", pgettext_lazy("measure", "Energy"), 0, 10, field="energy"),
    Measure("sleep", pgettext_lazy("measure", "Sleep"), 0, 12, HOURS, field="sleep_minutes", scale=60),
    Measure("sleep_quality", pgettext_lazy("measure", "Sleep quality"), 1, 5, field="sleep_quality"),
    Measure(
        "activity",
        pgettext_lazy("measure", "Physical activity"),
        0,
        120,
        MINUTES,
        places=0,
        field="activity_minutes",
    ),
    Measure(
        "outdoors",
        pgettext_lazy("measure", "Time outdoors"),
        0,
        240,
        MINUTES,
        places=0,
        field="outdoors_minutes",
    ),
    Measure(
        "regular_meals",
        pgettext_lazy("measure", "Regular meals"),
        0,
        1,
        binary=True,
        field="regular_meals",
    ),
    Measure(
        "social_contact",
        pgettext_lazy("measure", "Contact with someone"),
        0,
        1,
        binary=True,
        field="social_contact",
    ),
)


def measures_of(owner: Any, *, include_binary: bool = True) -> list[Measure]:
    """The base measures, then the person's numeric and yes/no indicators (archived ones too:
    their history stays)."""
    found = [m for m in BASE_MEASURES if include_binary or not m.binary]
    for indicator in indicators_of(owner):
        key = f"ind-{indicator.pk}"
        if indicator.kind == IndicatorKind.SCALE:
            found.append(Measure(key, indicator.name, 0, 10, indicator=str(indicator.pk)))
        elif indicator.kind == IndicatorKind.NUMBER:
            found.append(Measure(key, indicator.name, 0, 0, indicator.unit, indicator=str(indicator.pk)))
        elif indicator.kind == IndicatorKind.DURATION:
            found.append(Measure(key, indicator.name, 0, 0, HOURS, indicator=str(indicator.pk), scale=60))
        elif indicator.kind == IndicatorKind.YES_NO and include_binary:
            found.append(Measure(key, indicator.name, 0, 1, binary=True, indicator=str(indicator.pk)))
    return found


def daily_values(
    owner: Any,
    measures: Sequence[Measure],
    start: date,
    end: date,
    months: Sequence[day_means.Month] | None = None,
    *,
    shared: bool = False,
) -> dict[str, list[tuple[date, float]]]:
    """For each measure, (day, mean of that day's check-ins) for the days with a value.
    ``months``: the stored months of the period, when the caller already read them. ``shared``:
    without the check-ins marked "reste privé" (what a supporter may see, through the circle)."""
    found: dict[str, list[tuple[date, float]]] = {m.key: [] for m in measures}
    for month in day_means.months(owner, start, end) if months is None else months:
        for measure in measures:
            points = found[measure.key]
            means = month.means(
                measure.indicator or measure.field, indicator=bool(measure.indicator), shared=shared
            )
            for day, value in zip(month.days, means, strict=True):
                if value is not None and start <= day <= end:
                    points.append((day, value / measure.scale))
    return found


def axis_of(measure: Measure, points: Iterable[tuple[date, float]]) -> tuple[float, float]:
    """The axis range: the measure's own, or from the data for numbers without one."""
    if measure.high > measure.low:
        high = max([measure.high, *(v for _, v in points)])
        return measure.low, high
    values = [v for _, v in points]
    if not values:
        return 0, 1
    low, high = min(0.0, *values), max(values)
    return low, high if high > low else low + 1


# --- Comparing two measures ----------------------------------------------------------------------


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing the mean of the ranks they span ([10, 20, 20, 30] → 1, 2.5, 2.5, 4)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        shared = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = shared
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation with average ranks for ties (Pearson's r on the ranks);
    ``None`` when fewer than 3 pairs or when either side does not vary."""
    if len(xs) != len(ys):
        raise ValueError("two series of the same length are needed")
    if len(xs) < 3:
        return None
    rx, ry = average_ranks(xs), average_ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Comparison:
    x: Measure
    y: Measure
    lag: int
    pairs: int
    rho: float | None
    threshold: float | None  # the split of x (its median), None when x is yes/no
    high_mean: float | None  # mean of y when x is above the threshold (or "yes")
    high_days: int
    low_mean: float | None  # mean of y otherwise (or "no")
    low_days: int

    @property
    def cautious(self) -> bool:
        return self.pairs < CAUTION_UNDER


def compare(
    x: Measure,
    y: Measure,
    x_points: Sequence[tuple[date, float]],
    y_points: Sequence[tuple[date, float]],
    *,
    lag: int,
) -> Comparison:
    """x on a day with y on the same day (lag 0) or the next one (lag 1)."""
    y_by_day = dict(y_points)
    pairs = [
        (xv, y_by_day[day + timedelta(days=lag)])
        for day, xv in x_points
        if day + timedelta(days=lag) in y_by_day
    ]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    rho = spearman(xs, ys) if pairs else None
    if x.binary:
        threshold = None
        high = [b for a, b in pairs if a >= 0.5]
        low = [b for a, b in pairs if a < 0.5]
    else:
        threshold = median(xs) if xs else None
        high = [b for a, b in pairs if threshold is not None and a > threshold]
        low = [b for a, b in pairs if threshold is not None and a <= threshold]
    return Comparison(
        x=x,
        y=y,
        lag=lag,
        pairs=len(pairs),
        rho=rho,
        threshold=threshold,
        high_mean=sum(high) / len(high) if high else None,
        high_days=len(high),
        low_mean=sum(low) / len(low) if low else None,
        low_days=len(low),
    )


def _amount(measure: Measure, value: float) -> str:
    if measure.unit is HOURS:
        return duration_text(round(value * 60))  # 7 h 54, not 7.9 h
    text = number(value, measure.places)
    return f"{text} {measure.unit}" if measure.unit else text


def describe(c: Comparison) -> list[str]:
    """The comparison in plain words, with numbers; never causal."""
    x_name, y_name = str(c.x.label).lower(), str(c.y.label).lower()
    if c.pairs == 0:
        return [pgettext("self-analysis", "There is no day with both measures yet: nothing to compare.")]
    sentences = []
    if c.high_mean is not None and c.low_mean is not None:
        values = {
            "x": x_name,
            "y": y_name,
            "threshold": _amount(c.x, c.threshold) if c.threshold is not None else "",
            "high": _amount(c.y, c.high_mean),
            "low": _amount(c.y, c.low_mean),
            "high_days": c.high_days,
            "low_days": c.low_days,
        }
        if c.x.binary and c.lag:
            text = pgettext(
                "self-analysis",
                "The day after a day with “%(x)s”, your %(y)s averaged %(high)s, against %(low)s after the days without (%(high_days)s and %(low_days)s days).",
            )
        elif c.x.binary:
            text = pgettext(
                "self-analysis",
                "On days with “%(x)s”, your %(y)s averaged %(high)s, against %(low)s on the days without (%(high_days)s and %(low_days)s days).",
            )
        elif c.lag:
            text = pgettext(
                "self-analysis",
                "The day after a day with %(x)s above %(threshold)s, your %(y)s averaged %(high)s, against %(low)s after the other days (%(high_days)s and %(low_days)s days).",
            )
        else:
            text = pgettext(
                "self-analysis",
                "On days with %(x)s above %(threshold)s, your %(y)s averaged %(high)s, against %(low)s on the other days (%(high_days)s and %(low_days)s days).",
            )
        sentences.append(text % values)
    else:
        sentences.append(
            pgettext("self-analysis", "Your %(x)s hardly varied over these days: no split to compare.")
            % {"x": x_name}
        )
    if c.rho is None:
        sentences.append(
            pgettext(
                "self-analysis",
                "Rank correlation: not computable, one of the two measures does not vary (%(n)s days).",
            )
            % {"n": c.pairs}
        )
    else:
        strength = abs(c.rho)
        if strength < 0.1:
            link = pgettext("self-analysis", "practically no link")
        elif strength < 0.3:
            link = pgettext("self-analysis", "a weak link")
        elif strength < 0.5:
            link = pgettext("self-analysis", "a moderate link")
        else:
            link = pgettext("self-analysis", "a strong link")
        way = (
            pgettext("self-analysis", "when one is higher, the other tends to be higher too")
            if c.rho > 0
            else pgettext("self-analysis", "when one is higher, the other tends to be lower")
        )
        sentences.append(
            pgettext(
                "self-analysis", "Spearman's rank correlation: %(rho)s over %(n)s days, %(link)s (%(way)s)."
            )
            % {"rho": number(c.rho, 2), "n": c.pairs, "link": link, "way": way}
            if strength >= 0.1
            else pgettext("self-analysis", "Spearman's rank correlation: %(rho)s over %(n)s days, %(link)s.")
            % {"rho": number(c.rho, 2), "n": c.pairs, "link": link}
        )
    sentences.append(
        pgettext(
            "self-analysis",
            "Going together is not causing: this shows what tends to come together in your days, not why.",
        )
    )
    if c.cautious:
        sentences.append(
            pgettext(
                "self-analysis",
                "Caution: only %(n)s days can be paired, fewer than 14. These figures can change a lot with a few more days.",
            )
            % {"n": c.pairs}
        )
    return sentences
