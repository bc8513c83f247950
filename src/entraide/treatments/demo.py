"""Demo treatments: a daily one with 90 days of noted doses and a renewal date, a weekly one, two
side-effect notes. No on-demand pattern: a pattern is copied from a real prescription, never
made up. Used by `entraide demo` (core.registries.demo_providers), through the services."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from entraide.core import jobs
from entraide.core.localtime import occurrence
from entraide.treatments import services
from entraide.treatments.models import DoseStatus, ScheduleKind


def populate(person: Any, rng: random.Random, today: date, *, years: int = 3) -> None:
    daily = services.create_treatment(
        person,
        name="Sertraline",
        dose="50 mg",
        form="comprimé",
        prescriber="Dr Martin",
        prescription_end=today + timedelta(days=40),
        notes="Le matin, au petit-déjeuner.",
    )
    morning = services.add_schedule(
        daily, kind=ScheduleKind.DAILY, times=["08:00"], starts_on=today - timedelta(days=95)
    )
    weekly = services.create_treatment(person, name="Vitamine D", dose="1 ampoule", form="buvable")
    services.add_schedule(weekly, kind=ScheduleKind.WEEKDAYS, times=["12:00"], weekdays=[6], starts_on=today)
    zone = services.zone_of(person)
    now = jobs.now()
    for back in range(90, 0, -1):
        day = today - timedelta(days=back)
        due = occurrence(day, time(8, 0), zone)
        if due > now:
            continue
        roll = rng.random()
        status = DoseStatus.TAKEN if roll < 0.8 else DoseStatus.LATE if roll < 0.9 else DoseStatus.SKIPPED
        if rng.random() < 0.95:
            services.record_dose(morning, due_at=due, status=status)
    services.add_side_effect(
        daily, day=today - timedelta(days=60), text="Un peu de nausée les premiers jours."
    )
    services.add_side_effect(daily, day=today - timedelta(days=20), text="Sommeil plus léger, ça passe.")


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="treatments", populate=populate, order=40))
