"""Safety plans and crisis moments made through the services (as in life), and helpers the view
tests share."""

from __future__ import annotations

import re
from typing import Any

from entraide.safety import services
from entraide.safety.models import CrisisMoment, SafetyPlan

# Five realistic items in every step: the plan that must print on one A4 page.
FULL_PLAN: dict[str, list[Any]] = {
    "warning_signs": [
        "Je ne réponds plus aux messages de mes amis",
        "Je dors moins de cinq heures plusieurs nuits de suite",
        "Je pense que je suis un poids pour les autres",
        "J'annule tout ce qui était prévu dans la semaine",
        "Je bois plus que d'habitude le soir",
    ],
    "coping": [
        "Prendre une douche chaude, longtemps",
        "Marcher vingt minutes, même sous la pluie",
        "Écouter ma playlist « calme » avec le casque",
        "Respirer lentement : quatre temps, puis six temps",
        "Dessiner n'importe quoi pendant dix minutes",
    ],
    "distractions": [
        "Le café du marché, à la table près de la fenêtre",
        "La bibliothèque municipale, rayon bandes dessinées",
        "Appeler Sam pour parler d'autre chose",
        "Le parc au bout de la rue",
        "Le cours de poterie du jeudi",
    ],
    "help_people": [
        {"name": "Léa (ma sœur)", "phone": "06 12 34 56 78"},
        {"name": "Sam", "phone": "07 98 76 54 32"},
        {"name": "Maman", "phone": "06 11 22 33 44"},
        {"name": "Nour, voisine du dessous", "phone": "06 55 44 33 22"},
        {"name": "Karim, collègue", "phone": "+33 6 01 02 03 04"},
    ],
    "professionals": [
        {"name": "Dr Martin, médecin traitant", "phone": "01 23 45 67 89"},
        {"name": "Mme Roussel, psychologue", "phone": "01 98 76 54 32"},
        {"name": "Centre médico-psychologique", "phone": "01 44 55 66 77"},
        {"name": "Prévention du suicide", "phone": "3114"},
        {"name": "Urgences de l'hôpital", "phone": "15"},
    ],
    "environment": [
        "Confier mes médicaments à Léa",
        "Ne pas garder d'alcool à la maison",
        "Ne pas rester seul·e le soir quand ça va mal",
        "Ranger la boîte à outils à la cave",
        "Aller chez Maman pour le week-end",
    ],
    "reasons": [
        "Mon chat, Pixel",
        "Le voyage prévu avec Léa au printemps",
        "Finir ma formation et trouver un travail qui me plaît",
        "Les matins de soleil au marché",
        "Voir grandir ma nièce",
    ],
}


def make_plan(owner: Any, **steps: Any) -> SafetyPlan:
    """The full plan, or exactly the steps given (the others empty)."""
    return services.save_safety_plan(owner, steps=steps or FULL_PLAN)


def make_moment(owner: Any, source: str = "button") -> CrisisMoment:
    return services.record_crisis_moment(owner, source=source)


def token_of(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)
