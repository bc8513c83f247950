"""Demo questionnaire responses, through the services: `entraide demo` (core.registries.demo_providers).
A few months of PHQ-9, GAD-7 and WHO-5 every two weeks, slowly getting better, never a crisis."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from entraide.assessments import engine, services

MONTHS = 5


def _answers(instrument: engine.Instrument, level: float, rng: random.Random) -> list[int]:
    """Values around ``level`` (0: best, 1: worst) on the instrument's scale; item 9 of the PHQ-9
    stays at 0 (a demo person never opens the crisis screen)."""
    values = sorted(o.value for o in instrument.options)
    good_high = instrument.multiplier is not None  # WHO-5: higher is better
    answers = []
    for item in instrument.items:
        target = (1 - level) if good_high else level
        index = round(max(0.0, min(1.0, target + rng.gauss(0, 0.15))) * (len(values) - 1))
        value = values[index]
        if item.crisis_above is not None:
            value = min(value, item.crisis_above)
        answers.append(value)
    return answers


def populate(person: Any, rng: random.Random, today: date) -> None:
    zone = ZoneInfo(person.time_zone)
    start = today - timedelta(days=MONTHS * 30)
    steps = (today - start).days // 14
    for step in range(steps + 1):
        day = start + timedelta(days=14 * step)
        level = 0.55 - 0.35 * step / max(steps, 1)  # getting better, with ups and downs
        moment = datetime.combine(day, time(rng.randint(9, 20), rng.randint(0, 59)), zone)
        for instrument in engine.all_instruments():
            answers = _answers(instrument, level, rng)
            difficulty = None
            if instrument.difficulty is not None and any(answers):
                difficulty = rng.choice([0, 1, 1, 2])
            services.record_response(
                person,
                questionnaire=instrument.key,
                answers=answers,
                difficulty=difficulty,
                language="fr",
                at=moment,
            )
    for key in engine.KEYS:
        services.set_schedule(person, questionnaire=key, every_days=14)


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="assessments", populate=populate, order=35))
