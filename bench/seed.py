"""Three years of daily check-ins and twenty custom indicators for the bench person (issue #6).

Runs inside the server's environment (Django set up, the server's data directory), started by
`bench.scenarios.seed_journal` through `entraide manage shell`:

    from bench.seed import main; main("bench@example.org")

Idempotent: the whole seed is one transaction, skipped when the person already has check-ins.
Values are drawn from a fixed random seed, so every run measures the same kind of data; the days
end today, so that the today page has today's check-ins and a full week behind it.
"""

from __future__ import annotations

import math
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.encryption import crypto
from entraide.core.localtime import local_date, occurrence
from entraide.journal import day_means, services
from entraide.journal.access import filter_checkins_of
from entraide.journal.models import Checkin, Indicator, IndicatorKind
from entraide.journal.values import EMOTIONS, clean_checkin

DAYS = 3 * 365 + 1  # three years, today included
TWO_A_DAY = 0.4  # share of days with a morning and an evening check-in
BATCH = 500

# name, kind, unit, choices: six kinds, twenty indicators, as a person might set them up.
INDICATORS: list[tuple[str, str, str, list[str]]] = [
    ("Douleur", IndicatorKind.SCALE, "", []),
    ("Concentration", IndicatorKind.SCALE, "", []),
    ("Motivation", IndicatorKind.SCALE, "", []),
    ("Irritabilité", IndicatorKind.SCALE, "", []),
    ("Poids", IndicatorKind.NUMBER, "kg", []),
    ("Pas", IndicatorKind.NUMBER, "pas", []),
    ("Café", IndicatorKind.NUMBER, "tasses", []),
    ("Eau", IndicatorKind.NUMBER, "verres", []),
    ("Traitement pris", IndicatorKind.YES_NO, "", []),
    ("Méditation", IndicatorKind.YES_NO, "", []),
    ("Sorti de chez moi", IndicatorKind.YES_NO, "", []),
    ("Cauchemars", IndicatorKind.YES_NO, "", []),
    ("Écrans", IndicatorKind.DURATION, "", []),
    ("Lecture", IndicatorKind.DURATION, "", []),
    ("Sieste", IndicatorKind.DURATION, "", []),
    ("Météo", IndicatorKind.CHOICE, "", ["soleil", "nuages", "pluie", "neige"]),
    ("Travail", IndicatorKind.CHOICE, "", ["maison", "bureau", "repos", "arrêt"]),
    ("Appétit", IndicatorKind.CHOICE, "", ["faible", "normal", "fort"]),
    ("Un bon moment", IndicatorKind.TEXT, "", []),
    ("Gratitude", IndicatorKind.TEXT, "", []),
]

PLEASANT = ["joy", "calm", "gratitude", "pride", "hope", "relief", "tenderness", "curiosity"]
HARD = ["sadness", "worry", "fear", "anger", "shame", "guilt", "loneliness", "overwhelm"]
TAGS = ["travail", "famille", "amis", "sport", "fatigue", "week-end", "thérapie", "rendez-vous", "règles"]
NOTES = [
    "Journée plutôt calme.",
    "Difficile de me lever ce matin, ça allait mieux après le déjeuner.",
    "Appel avec ma sœur, ça m'a fait du bien.",
    "Beaucoup de choses au travail, je me sens dépassé·e.",
    "Promenade au parc avec le chien. J'ai pris le temps de regarder les arbres.",
    "Rendez-vous chez la psychologue : on a parlé du sommeil et des ruminations du soir.",
    "Nuit agitée, réveillé·e à 4 h sans pouvoir me rendormir.",
    "Repas avec des amis, j'ai failli annuler mais je suis content·e d'y être allé·e.",
]
MOMENTS_TEXT = ["un café en terrasse", "un message d'un ami", "le soleil", "une bonne nuit", "un film"]
GRATITUDE = ["ma sœur", "le chat", "le calme du matin", "mon équipe", "la musique"]


def main(email: str) -> None:
    """Seed the person with ``email`` unless done; prints one line for the harness."""
    started = time.monotonic()
    user = User.objects.get(email=email)
    if filter_checkins_of(user).exists():
        count = filter_checkins_of(user).count()
        print(f"seed: already seeded ({count} check-ins)")
        return
    with crypto.fresh_key_cache(), transaction.atomic():
        indicators = [
            services.create_indicator(user, name=name, kind=kind, unit=unit, choices=choices)
            for name, kind, unit, choices in INDICATORS
        ]
        checkins = list(_checkins(user, indicators, random.Random(6)))  # noqa: S311 — not security
        Checkin.objects.bulk_create(checkins, batch_size=BATCH)
        day_means.rebuild_all(user)
    _check_encrypted(user)
    print(
        f"seed: {len(checkins)} check-ins over {DAYS} days and {len(indicators)} indicators "
        f"in {time.monotonic() - started:.1f} s"
    )


def _check_encrypted(user: User) -> None:
    """bulk_create goes through EncryptedField.pre_save: the stored bytes must not be JSON."""
    stored = Checkin.objects.filter(owner=user).values_list("payload", flat=True)[:1]
    blob = bytes(stored[0])
    if blob.startswith(b"{") or b'"mood"' in blob:
        raise RuntimeError("bulk_create stored check-ins in clear: EncryptedField.pre_save was skipped")
    checkin = Checkin.objects.filter(owner=user).first()
    if checkin is None or not isinstance(checkin.payload, dict):
        raise RuntimeError("a seeded check-in does not decrypt")


def _checkins(user: User, indicators: list[Indicator], rng: random.Random) -> Any:
    zone = ZoneInfo(user.time_zone)
    now = timezone.now()
    today = local_date(now, zone)
    known = {str(i.pk): i for i in indicators}
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        base = _day_mood(day, rng)
        for moment, part in _moments(day, zone, now, rng):
            data = _values(part, base, indicators, rng)
            payload = clean_checkin(data, indicators=known)  # the rules the app applies
            yield Checkin(
                owner=user,
                moment=moment,
                local_date=local_date(moment, zone),
                time_zone=zone.key,
                created_at=moment,
                updated_at=moment,
                payload=payload,
            )


def _day_mood(day: date, rng: random.Random) -> float:
    """Slow waves (weeks, seasons) and daily noise: what a real mood curve looks like."""
    n = day.toordinal()
    return (
        5.5 + 1.5 * math.sin(2 * math.pi * n / 45) + 0.8 * math.sin(2 * math.pi * n / 365) + rng.gauss(0, 1)
    )


def _moments(day: date, zone: ZoneInfo, now: datetime, rng: random.Random) -> list[tuple[datetime, str]]:
    """One or two moments that day (morning, evening, or one of them), none in the future."""
    morning = clock(rng.randint(7, 10), rng.randint(0, 59))
    evening = clock(rng.randint(19, 22), rng.randint(0, 59))
    if rng.random() < TWO_A_DAY:
        wanted = [(morning, "morning"), (evening, "evening")]
    else:
        wanted = [rng.choice([(morning, "single"), (evening, "single")])]
    found = [(occurrence(day, at, zone), part) for at, part in wanted]
    past = [(m, part) for m, part in found if m <= now]
    if not past and found and local_date(now - timedelta(minutes=5), zone) == day:
        past = [(now - timedelta(minutes=5), "single")]  # today's first check-in, just now
    return past


def _scale(value: float) -> int:
    return max(0, min(10, round(value)))


def _values(part: str, base: float, indicators: list[Indicator], rng: random.Random) -> dict[str, Any]:
    mood = _scale(base + rng.gauss(0, 0.8))
    data: dict[str, Any] = {
        "mood": mood,
        "anxiety": _scale(9 - mood + rng.gauss(0, 1.5)),
        "energy": _scale(mood + rng.gauss(0, 1.5) - (1 if part == "evening" else 0)),
        "emotions": rng.sample(PLEASANT if mood >= 5 else HARD, rng.randint(0, 2))
        + rng.sample(list(EMOTIONS), rng.randint(0, 1)),
    }
    if part in {"morning", "single"}:
        bed = (22 * 60 + rng.randint(0, 210)) % (24 * 60)
        wake = 6 * 60 + rng.randint(0, 210)
        data.update(
            sleep_bed=f"{bed // 60:02d}:{bed % 60:02d}",
            sleep_wake=f"{wake // 60:02d}:{wake % 60:02d}",
            sleep_quality=max(1, min(5, round(mood / 2 + rng.gauss(0, 1)))),
        )
    if part in {"evening", "single"}:
        data.update(
            activity_minutes=rng.choice([0, 0, 10, 20, 30, 45, 60, 90]),
            outdoors_minutes=rng.randint(0, 180),
            regular_meals=rng.random() < 0.7,
            social_contact=rng.random() < 0.6,
        )
    if rng.random() < 0.25:
        data["note"] = " ".join(rng.sample(NOTES, rng.randint(1, 3)))
    if rng.random() < 0.4:
        data["tags"] = rng.sample(TAGS, rng.randint(1, 3))
    data["indicators"] = {
        str(i.pk): value for i in indicators if (value := _indicator_value(i, part, rng)) is not None
    }
    return data


def _indicator_value(indicator: Indicator, part: str, rng: random.Random) -> Any:
    """Every indicator in the evening (or single) check-in, the scales alone in the morning."""
    kind = indicator.kind
    if part == "morning" and kind != IndicatorKind.SCALE:
        return None
    if kind == IndicatorKind.SCALE:
        return _scale(rng.gauss(5, 2))
    if kind == IndicatorKind.NUMBER:
        ranges = {"kg": (62.0, 70.0), "pas": (1500, 14000), "tasses": (0, 5), "verres": (2, 10)}
        low, high = ranges[indicator.unit]
        return (
            round(rng.uniform(low, high), 1) if indicator.unit == "kg" else rng.randint(int(low), int(high))
        )
    if kind == IndicatorKind.YES_NO:
        return rng.random() < 0.6
    if kind == IndicatorKind.DURATION:
        return rng.choice([0, 15, 30, 45, 60, 90, 120, 180, 240])
    if kind == IndicatorKind.CHOICE:
        return rng.choice(indicator.choices)
    if rng.random() < 0.3:  # short text, on some days only
        return rng.choice(MOMENTS_TEXT if indicator.name == "Un bon moment" else GRATITUDE)
    return None
