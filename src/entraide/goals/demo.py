"""Demo data for goals, what helps and recovery: through the services, so every rule and
figure holds. Used by `entraide demo` (core.registries.demo_providers)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.models import GoalStatus

GOALS = [
    ("Sortir marcher trois fois par semaine", "Je me sens mieux après.", GoalStatus.IN_PROGRESS,
     ["Repérer un parcours de 20 minutes", "Y aller lundi", "Y aller mercredi", "Y aller samedi"]),
    ("Me coucher avant minuit", "Mes matins sont plus doux.", GoalStatus.IN_PROGRESS,
     ["Poser le téléphone à 23 h", "Lire au lit", "Garder l'heure le week-end"]),
    ("Reprendre contact avec Léa", "Elle me manque.", GoalStatus.REACHED,
     ["Lui écrire un message", "Proposer un café"]),
    ("Apprendre à dire non au travail", "Pour ne plus m'épuiser.", GoalStatus.PAUSED,
     ["Repérer ce qui me coûte", "En parler à ma responsable"]),
    ("Cuisiner un vrai repas par jour", "", GoalStatus.LET_GO, ["Faire une liste de courses"]),
]  # fmt: skip


def populate(person: Any, rng: random.Random, today: date, *, years: int = 3) -> None:
    for title, why, status, steps in GOALS:
        goal = services.create_goal(person, title=title, why=why, status=status, steps=steps)
        for step in goal.steps:
            if status == GoalStatus.REACHED or rng.random() < 0.5:
                services.update_step(goal, step["id"], done=True)
    strategies = [services.adopt_starter(person, s.key)[0] for s in rng.sample(list(v.STARTERS), 8)]
    days = years * 365
    for _ in range(150):
        strategy = rng.choice(strategies)
        day = today - timedelta(days=rng.randint(0, days))
        services.record_use(strategy, day=day, helped=rng.choice([None, 1, 2, 3, 3, 4, 4]))
    month = date(today.year, today.month, 1)
    for back in range(years * 12, -1, -1):
        first = date(month.year + (month.month - 1 - back) // 12, (month.month - 1 - back) % 12 + 1, 1)
        progress = (years * 12 - back) / (years * 12)  # a slow, uneven way up
        values: dict[str, dict[str, Any]] = {
            key: {"score": max(0, min(10, round(3 + 4 * progress + rng.gauss(0, 1.2))))}
            for key in v.DIMENSION_KEYS
        }
        if rng.random() < 0.3:
            values["hope"]["words"] = rng.choice(
                [
                    "Des projets pour le printemps.",
                    "Un mois difficile, mais je tiens.",
                    "Je me sens moins seul·e.",
                ]
            )
        services.rate_recovery(person, month=first, values=values)


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="goals", populate=populate, order=30))
