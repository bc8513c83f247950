"""Three years of fortnightly PHQ-9, GAD-7 and WHO-5 responses for the bench person (issue #8).

Runs inside the server's environment, started by `bench.scenarios.seed_questionnaires` through
`entraide manage shell`:

    from bench.seed_assessments import main; main("bench@example.org")

Idempotent: skipped when the person already has responses. Through the app's service (the engine
scores every response, the payload is encrypted), from a fixed random seed; never a crisis answer,
so that seeding records no crisis moment.
"""

from __future__ import annotations

import math
import random
import time
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import User
from entraide.assessments import engine, services
from entraide.assessments.access import filter_responses_of
from entraide.core.encryption import crypto
from entraide.core.localtime import local_date

YEARS = 3
EVERY_DAYS = 14


def main(email: str) -> None:
    started = time.monotonic()
    user = User.objects.get(email=email)
    if filter_responses_of(user).exists():
        print(f"seed: already seeded ({filter_responses_of(user).count()} questionnaire responses)")
        return
    rng = random.Random(8)  # noqa: S311 — bench data, not security
    zone = ZoneInfo(user.time_zone)
    today = local_date(timezone.now(), zone)
    first = today - timedelta(days=YEARS * 365)
    count = 0
    with crypto.fresh_key_cache(), transaction.atomic():
        day = first
        while day < today:
            level = 0.45 + 0.3 * math.sin(2 * math.pi * day.toordinal() / 200)
            moment = datetime.combine(day, clock(rng.randint(8, 21), rng.randint(0, 59)), zone)
            for instrument in engine.all_instruments():
                values = sorted(instrument.values)
                answers = []
                for item in instrument.items:
                    target = 1 - level if instrument.multiplier else level
                    index = round(max(0.0, min(1.0, target + rng.gauss(0, 0.2))) * (len(values) - 1))
                    value = values[index]
                    answers.append(min(value, item.crisis_above) if item.crisis_above is not None else value)
                difficulty = rng.randint(0, 2) if instrument.difficulty is not None else None
                services.record_response(
                    user, questionnaire=instrument.key, answers=answers, difficulty=difficulty, at=moment
                )
                count += 1
            day += timedelta(days=EVERY_DAYS)
    print(f"seed: {count} questionnaire responses over {YEARS} years in {time.monotonic() - started:.1f} s")
