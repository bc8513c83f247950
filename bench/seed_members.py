"""Members for the load scenario (issue 17): 2,000 people, each with a month of check-ins and a
session the seed opens itself (2,000 Argon2 logins would measure the login, not the site).

Runs inside the server's environment, started by `bench.open_load` through `entraide manage shell`:

    from bench.seed_members import main; main(2000, "/path/to/members.json")

Writes, for each member, the session key, a CSRF secret and the signed half of a form token (the
driver adds a fresh nonce to each check-in POST). Idempotent: members already there are reused,
their sessions opened again.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from entraide.accounts.middleware import LOGIN_AT
from entraide.accounts.models import User
from entraide.accounts.services import record_signup_consents
from entraide.core.encryption import crypto
from entraide.core.forms import formtokens
from entraide.core.localtime import local_date
from entraide.journal import day_means
from entraide.journal.models import Checkin
from entraide.journal.values import clean_checkin

DAYS = 30
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
PLEASANT = ["joy", "calm", "gratitude", "hope"]
HARD = ["sadness", "worry", "fear", "loneliness"]


def main(count: int, out: str) -> None:
    started = time.monotonic()
    rng = random.Random(17)  # noqa: S311 — made-up data
    existing = {
        u.email: u for u in User.objects.filter(email__startswith="membre-", email__endswith="@example.org")
    }
    members = []
    with crypto.fresh_key_cache():
        for i in range(count):
            email = f"membre-{i:04d}@example.org"
            user = existing.get(email) or _member(email, i, rng)
            members.append(_session(user))
    Path(out).write_text(json.dumps(members))
    print(
        f"seed: {count} members with {DAYS} days of check-ins and a session each in {time.monotonic() - started:.1f} s"
    )


def _member(email: str, i: int, rng: random.Random) -> User:
    with transaction.atomic():
        user = User(email=email, pseudonym=f"Membre {i}", time_zone="Europe/Paris")
        user.set_unusable_password()  # the seed opens the session; nobody logs in with a password
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        record_signup_consents(user, language="fr")
        zone = ZoneInfo(user.time_zone)
        today = local_date(timezone.now(), zone)
        rows = []
        for offset in range(DAYS, 0, -1):
            day = today - timedelta(days=offset)
            moment = datetime.combine(day, clock(rng.randint(8, 21), rng.randrange(0, 60, 5)), zone)
            mood = rng.randint(2, 9)
            values = {
                "mood": mood,
                "anxiety": rng.randint(0, 8),
                "energy": rng.randint(1, 9),
                "emotions": rng.sample(PLEASANT if mood >= 5 else HARD, 2),
                "sleep_quality": rng.randint(1, 5),
            }
            rows.append(
                Checkin(owner=user, moment=moment, local_date=day, time_zone=user.time_zone,
                        payload=clean_checkin(values, indicators={}))
            )  # fmt: skip
        Checkin.objects.bulk_create(rows)
        day_means.rebuild_all(user)
    return user


def _session(user: User) -> dict[str, str]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = time.time()
    session.create()
    return {
        "session": str(session.session_key),
        "csrf": get_random_string(32),  # a CSRF secret: the cookie and the form field alike
        "signed": formtokens.new_token(user).partition(".")[2],
    }
