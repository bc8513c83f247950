"""What the pages show of a response: its result in words, its answers in the wording it was
answered in, and the trend of a questionnaire with the shared chart component (``core.charts``).

The component is made for daily values; a questionnaire comes every week or two, so the chart keeps
its picture (one dot per response, nothing drawn between two dots more than a day apart: never
interpolated) with a summary, a description and a table that speak of responses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import npgettext, pgettext

from entraide.assessments import engine
from entraide.assessments import values as v
from entraide.assessments.models import QuestionnaireResponse
from entraide.core.charts import Chart, Row, day_text, line_chart, number


def day_name(day: date) -> str:
    return day_text(day)


def score_text(instrument: engine.Instrument, score: int) -> str:
    _low, high = instrument.score_range
    return pgettext("questionnaire result", "%(score)s out of %(high)s") % {"score": score, "high": high}


def result_of(response: QuestionnaireResponse) -> dict[str, Any]:
    """The score, the band's label and plain meaning, for a template."""
    instrument = response.definition
    meaning = v.meaning(instrument.key, response.band)
    return {
        "response": response,
        "instrument": instrument,
        "name": engine.text(instrument.name),
        "score": response.score,
        "score_text": score_text(instrument, response.score),
        "raw_text": (
            pgettext("questionnaire result", "raw score %(raw)s out of %(high)s")
            % {"raw": response.raw, "high": instrument.raw_range[1]}
            if response.percentage is not None
            else ""
        ),
        "label": meaning.label if meaning else "",
        "meaning": meaning.sentence if meaning else "",
    }


def answers_of(response: QuestionnaireResponse) -> dict[str, Any]:
    """Each item and the answer chosen, in the language the person answered in."""
    instrument = response.definition
    language = str(response.payload.get("language") or engine.wording_language(instrument.stem))
    options = {o.value: o for o in instrument.options}
    rows = []
    for item, value in zip(instrument.items, response.answers, strict=False):
        option = options.get(value)
        rows.append(
            {
                "n": item.n,
                "item": engine.text(item.wording, language),
                "answer": engine.text(option.wording, language) if option else str(value),
                "value": value,
            }
        )
    difficulty = None
    if instrument.difficulty is not None and response.difficulty is not None:
        chosen = next((o for o in instrument.difficulty.options if o.value == response.difficulty), None)
        difficulty = {
            "item": engine.text(instrument.difficulty.wording, language),
            "answer": engine.text(chosen.wording, language) if chosen else str(response.difficulty),
        }
    return {
        "language": engine.wording_language(instrument.stem, language),
        "stem": engine.text(instrument.stem, language),
        "rows": rows,
        "difficulty": difficulty,
    }


def meaningful_change(instrument: engine.Instrument) -> int | None:
    """The change the file calls meaningful (WHO-5: 10 percentage points), when it states one."""
    found = re.search(r"(\d+) percentage points", instrument.meaningful_change)
    return int(found.group(1)) if found else None


def _desc(svg: SafeString) -> SafeString:
    """The component's <desc> speaks of days and 7-day means; here each dot is a response."""
    daily = conditional_escape(
        pgettext("chart", "Thin line: each day's value; thick line: the mean of the last 7 days with data.")
    )
    ours = conditional_escape(pgettext("questionnaire chart", "Each dot is one response."))
    return mark_safe(svg.replace(daily, ours))  # noqa: S308 — both sides escaped above


def trend_chart(
    instrument: engine.Instrument, responses: Sequence[QuestionnaireResponse], *, start: date, end: date
) -> Chart:
    inside = [r for r in responses if start <= r.local_date <= end]
    points = [(r.local_date, float(r.score)) for r in inside]
    low, high = instrument.score_range
    name = engine.text(instrument.name)
    chart = line_chart(
        points,
        start=start,
        end=end,
        measure=pgettext("questionnaire chart", "Score"),
        low=low,
        high=high,
        chart_id=f"chart-{instrument.key}",
        places=0,
        table=False,  # its own rows, response by response, below
    )
    period = pgettext("questionnaire chart", "From %(start)s to %(end)s") % {
        "start": day_name(start),
        "end": day_name(end),
    }
    if not inside:
        summary = pgettext("questionnaire chart", "%(period)s, no response to %(name)s.") % {
            "period": period,
            "name": name,
        }
        return dataclasses.replace(chart, summary=summary, rows=[], weekly=False)
    scores = [r.score for r in inside]
    summary = npgettext(
        "questionnaire chart",
        "%(period)s: %(count)s response to %(name)s, a score of %(mean)s out of %(high)s.",
        "%(period)s: %(count)s responses to %(name)s, a score of %(mean)s out of %(high)s on average.",
        len(inside),
    ) % {
        "period": period,
        "count": len(inside),
        "name": name,
        "mean": number(sum(scores) / len(scores)),
        "high": high,
    }
    if len(inside) >= 2:
        summary += " " + pgettext(
            "questionnaire chart", "First %(first)s (%(first_day)s), latest %(last)s (%(last_day)s)."
        ) % {
            "first": scores[0],
            "first_day": day_name(inside[0].local_date),
            "last": scores[-1],
            "last_day": day_name(inside[-1].local_date),
        }
    rows = []
    for r in inside:
        meaning = v.meaning(instrument.key, r.band)
        label = f" ({meaning.label})" if meaning else ""
        rows.append(Row(day_name(r.local_date), f"{r.score}{label}", 1))
    return dataclasses.replace(
        chart,
        svg=_desc(chart.svg),
        summary=summary,
        rows=rows,
        weekly=False,
        period_label=pgettext("questionnaire chart", "Day"),
        value_label=pgettext("questionnaire chart", "Score (band)"),
    )
