"""Demo data for the safety plan: a plan written through the services, read again some days ago, and
a crisis moment or two. Used by `entraide demo` (core.registries.demo_providers)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from entraide.safety import services

PLAN: dict[str, list[Any]] = {
    "warning_signs": [
        "Je ne réponds plus aux messages",
        "Je dors moins de cinq heures",
        "Je pense que je suis un poids pour les autres",
        "J'annule tout ce qui était prévu",
    ],
    "coping": [
        "Prendre une douche chaude",
        "Marcher vingt minutes, même sous la pluie",
        "Écouter ma playlist « calme »",
        "Respirer : quatre temps, six temps",
    ],
    "distractions": [
        "Le café du marché",
        "La bibliothèque municipale",
        "Appeler Sam pour parler d'autre chose",
    ],
    "help_people": [
        {"name": "Léa (ma sœur)", "phone": "06 12 34 56 78"},
        {"name": "Sam", "phone": "07 98 76 54 32"},
    ],
    "professionals": [
        {"name": "Dr Martin, médecin traitant", "phone": "01 23 45 67 89"},
        {"name": "Centre médico-psychologique", "phone": "01 98 76 54 32"},
        {"name": "Numéro national de prévention du suicide", "phone": "3114"},
    ],
    "environment": ["Confier mes médicaments à Léa", "Ne pas rester seul·e le soir quand ça va mal"],
    "reasons": ["Mon chat, Pixel", "Le voyage prévu avec Léa", "Finir ma formation"],
}


def _moment(today: date, days_ago: int, rng: random.Random) -> datetime:
    day = today - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(rng.randint(18, 23), rng.randint(0, 59))))


def populate(person: Any, rng: random.Random, today: date) -> None:
    written = _moment(today, rng.randint(60, 200), rng)
    plan = services.save_safety_plan(person, steps=PLAN, now=written)
    services.review_safety_plan(plan, now=_moment(today, rng.randint(3, 30), rng))
    for days_ago in sorted(rng.sample(range(20, 400), rng.randint(1, 2)), reverse=True):
        services.record_crisis_moment(person, source="button", now=_moment(today, days_ago, rng))


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="safety", populate=populate, order=50))
