"""Demo data for the journal: three years of check-ins with seasons and bad patches, twenty
indicators, journal entries. Used by `entraide demo` (through core.registries) and the bench."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from entraide.journal import services
from entraide.journal.models import IndicatorKind, JournalEntry

YEARS = 3
INDICATORS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Douleur", IndicatorKind.SCALE, "", ()),
    ("Motivation", IndicatorKind.SCALE, "", ()),
    ("Irritabilité", IndicatorKind.SCALE, "", ()),
    ("Concentration", IndicatorKind.SCALE, "", ()),
    ("Envie de m'isoler", IndicatorKind.SCALE, "", ()),
    ("Verres d'eau", IndicatorKind.NUMBER, "verres", ()),
    ("Pas", IndicatorKind.NUMBER, "pas", ()),
    ("Cafés", IndicatorKind.NUMBER, "tasses", ()),
    ("Poids", IndicatorKind.NUMBER, "kg", ()),
    ("Temps d'écran", IndicatorKind.DURATION, "", ()),
    ("Lecture", IndicatorKind.DURATION, "", ()),
    ("Sieste", IndicatorKind.DURATION, "", ()),
    ("Méditation", IndicatorKind.YES_NO, "", ()),
    ("Sortie de la maison", IndicatorKind.YES_NO, "", ()),
    ("Traitement pris", IndicatorKind.YES_NO, "", ()),
    ("Appel à un proche", IndicatorKind.YES_NO, "", ()),
    ("Météo", IndicatorKind.CHOICE, "", ("soleil", "nuages", "pluie", "neige")),
    ("Lieu de la journée", IndicatorKind.CHOICE, "", ("maison", "travail", "dehors", "ailleurs")),
    ("Moment fort", IndicatorKind.TEXT, "", ()),
    ("Petite victoire", IndicatorKind.TEXT, "", ()),
]
PLEASANT = ["joy", "calm", "gratitude", "pride", "hope", "relief", "tenderness", "curiosity"]
HARD = ["sadness", "worry", "fear", "anger", "shame", "guilt", "loneliness", "overwhelm"]
TAGS = ["travail", "famille", "amis", "sport", "santé", "sommeil", "rendez-vous", "week-end", "fatigue"]
NOTES = [
    "Une journée tranquille.",
    "Difficile de me lever ce matin.",
    "Bonne discussion avec une amie.",
    "Marché au soleil, ça m'a fait du bien.",
    "Beaucoup de bruit au travail.",
    "J'ai pris le temps de cuisiner.",
    "Nuit agitée, je suis fatigué·e.",
    "Rendez-vous chez le médecin, rassurant.",
]
ENTRIES = [
    (
        "Un pas après l'autre",
        "Aujourd'hui j'ai **réussi** à sortir marcher.\n\n- vingt minutes\n- sans musique\n- le parc était calme",
    ),
    ("Ce qui m'a aidé", "Appeler ma sœur. Respirer lentement avant de répondre aux messages."),
    ("Semaine chargée", "Trop de choses à la fois. Je note pour m'en souvenir : *dire non* est possible."),
    ("", "Rien de spécial, mais une soirée douce. Un bon livre."),
    ("Retour de consultation", "On a parlé du sommeil. Essayer de me coucher à heure fixe."),
]


def _bad_patches(rng: random.Random, days: int) -> list[tuple[int, int]]:
    """Two to four harder periods of two to six weeks."""
    return [
        (start, start + rng.randint(14, 42)) for start in sorted(rng.sample(range(days), rng.randint(2, 4)))
    ]


def _mood(day: date, index: int, patches: list[tuple[int, int]], rng: random.Random) -> float:
    season = 1.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 200) / 365)  # lower in winter
    patch = -3.0 if any(a <= index <= b for a, b in patches) else 0.0
    return max(0.0, min(10.0, 6.0 + season + patch + rng.gauss(0, 1.3)))


def _indicator_value(kind: str, choices: tuple[str, ...], mood: float, rng: random.Random) -> Any:
    if kind == IndicatorKind.SCALE:
        return max(0, min(10, round(10 - mood + rng.gauss(0, 2))))
    if kind == IndicatorKind.NUMBER:
        return round(max(0.0, rng.gauss(6, 2)), 1)
    if kind == IndicatorKind.DURATION:
        return rng.randrange(0, 240, 5)
    if kind == IndicatorKind.YES_NO:
        return rng.random() < 0.3 + mood / 20
    if kind == IndicatorKind.CHOICE:
        return rng.choice(choices)
    return rng.choice(["un café en terrasse", "finir un livre", "un message gentil", "ranger un tiroir"])


def populate(person: Any, rng: random.Random, today: date, *, years: int = YEARS) -> None:
    zone = ZoneInfo(person.time_zone)
    indicators = [
        services.create_indicator(person, name=name, kind=kind, unit=unit, choices=choices)
        for name, kind, unit, choices in INDICATORS
    ]
    known = {str(i.pk): i for i in indicators}
    days = years * 365
    patches = _bad_patches(rng, days)
    for index in range(days):
        day = today - timedelta(days=days - index)
        if rng.random() < 0.1:
            continue  # a day off: gaps are part of real life
        for _ in range(2 if rng.random() < 0.15 else 1):
            mood = _mood(day, index, patches, rng)
            bed = time(22 + rng.randint(0, 1), rng.randrange(0, 60, 5))
            sleep = max(240, int(rng.gauss(440 + (mood - 5) * 10, 50)))
            wake_minutes = (bed.hour * 60 + bed.minute + sleep) % (24 * 60)
            values: dict[str, Any] = {
                "mood": round(mood),
                "anxiety": max(0, min(10, round(10 - mood + rng.gauss(0, 1.5)))),
                "energy": max(0, min(10, round(mood + rng.gauss(-0.5, 1.5)))),
                "emotions": rng.sample(PLEASANT if mood >= 5 else HARD, rng.randint(1, 3)),
                "sleep_bed": bed.strftime("%H:%M"),
                "sleep_wake": f"{wake_minutes // 60:02d}:{wake_minutes % 60:02d}",
                "sleep_quality": max(1, min(5, round(mood / 2))),
                "activity_minutes": rng.randrange(0, 90, 5),
                "outdoors_minutes": rng.randrange(0, 180, 10),
                "regular_meals": rng.random() < 0.75,
                "social_contact": rng.random() < 0.6,
                "indicators": {
                    str(i.pk): _indicator_value(i.kind, tuple(i.choices), mood, rng)
                    for i in indicators
                    if rng.random() < 0.8
                },
            }
            if rng.random() < 0.25:
                values["note"] = rng.choice(NOTES)
            if rng.random() < 0.4:
                values["tags"] = rng.sample(TAGS, rng.randint(1, 2))
            moment = datetime.combine(day, time(rng.randint(8, 22), rng.randrange(0, 60, 5)), zone)
            services.record_checkin(person, moment=moment, values=values, indicators=known)
    entries = []
    for week in range(0, days, 7):
        if rng.random() < 0.6:
            title, body = rng.choice(ENTRIES)
            day = today - timedelta(days=days - week - rng.randint(0, 6))
            entries.append(
                JournalEntry(
                    owner=person,
                    day=day,
                    payload={
                        "title": title,
                        "body": body,
                        "mood": rng.randint(3, 8),
                        "tags": rng.sample(TAGS, 1),
                    },
                )
            )
    JournalEntry.objects.bulk_create(entries, batch_size=500)
    services.update_journal_settings(
        person, track_substances=False, own_emotions=["émerveillement", "lassitude"]
    )


def register() -> None:
    from entraide.core.registries import DemoProvider, register_demo_provider

    register_demo_provider(DemoProvider(key="journal", populate=populate, order=20))
