"""Demo thought records, through the services: `entraide demo` (core.registries.demo_providers)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from entraide.thoughts import services
from entraide.thoughts.values import DISTORTIONS

RECORDS = [
    ("Ma cheffe ne m'a pas dit bonjour.", "Elle m'en veut, je vais perdre mon travail.", "worry",
     "Elle était pressée ; elle m'a félicité·e la semaine dernière.", "Rien ne dit qu'elle m'en veut."),
    ("Un ami n'a pas répondu à mon message.", "Personne ne tient à moi.", "sadness",
     "Il m'a appelé la semaine dernière ; il travaille beaucoup.", "Il est sans doute occupé."),
    ("J'ai oublié un rendez-vous.", "Je suis nul·le, je rate tout.", "shame",
     "J'en ai tenu beaucoup d'autres ce mois-ci.", "J'ai oublié une fois ; je peux noter mes rendez-vous."),
    ("Réunion de famille dimanche.", "Ça va mal se passer, comme toujours.", "fear",
     "La dernière fois, le repas s'est bien passé.", "Je peux partir si c'est trop lourd."),
]  # fmt: skip


def populate(person: Any, rng: random.Random, today: date, *, years: int = 3) -> None:
    keys = list(DISTORTIONS)
    for n in range(60):
        situation, thought, emotion, against, balanced = rng.choice(RECORDS)
        day = today - timedelta(days=rng.randint(1, years * 365))
        before = rng.randrange(50, 100, 5)
        record = services.create_thought(
            person,
            day=day,
            situation=situation,
            thought=thought,
            emotions=[
                {"emotion": emotion, "before": before, "after": max(0, before - rng.randrange(0, 50, 5))}
            ],
            distortions=rng.sample(keys, rng.randint(1, 3)),
            evidence_against=against,
            balanced_thought=balanced,
        )
        if n % 4 == 0:
            services.record_follow_up(
                record,
                on=min(today, day + timedelta(days=3)),
                note="Ça s'est mieux passé que prévu.",
                intensity=20,
            )


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="thoughts", populate=populate, order=40))
