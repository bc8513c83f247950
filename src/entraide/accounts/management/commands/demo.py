"""`entraide demo`: demo people with realistic, varied histories, for trying the site or showing it.

Each app fills its part through ``core.registries.demo_providers``. Demo accounts are marked
(``User.is_demo``): a banner says so on every page and no email is ever sent to them.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from entraide.accounts.models import User
from entraide.accounts.services import record_signup_consents
from entraide.core.personal_data import erase_person
from entraide.core.registries import demo_providers

PSEUDONYMS = ["Camille", "Sacha", "Noa", "Alix", "Maël", "Eden", "Lou", "Charlie"]
DEMO_DOMAIN = "demo.invalid"  # a reserved name (RFC 2606): no mail could ever be delivered there


class Command(BaseCommand):
    help = (
        "Create demo people with three years of realistic data (refused when real accounts exist, "
        "unless --force); --remove deletes every demo account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=3, help="how many demo people (1 to 8)")
        parser.add_argument("--seed", type=int, help="the same seed gives the same histories")
        parser.add_argument("--force", action="store_true", help="even when real accounts exist")
        parser.add_argument("--remove", action="store_true", help="delete every demo account and its data")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen, change nothing")

    def handle(
        self,
        *args: Any,
        people: int,
        seed: int | None,
        force: bool,
        remove: bool,
        dry_run: bool,
        **options: Any,
    ) -> None:
        if remove:
            demo = list(User.objects.filter(is_demo=True))
            if not dry_run:
                for person in demo:
                    erase_person(person)
            self.stdout.write(f"{len(demo)} demo account(s) {'would be ' if dry_run else ''}removed.")
            return
        if not 1 <= people <= len(PSEUDONYMS):
            raise CommandError(f"--people must be between 1 and {len(PSEUDONYMS)}.")
        real = User.objects.filter(is_demo=False, is_superuser=False).count()
        if real and not force:
            raise CommandError(
                f"{real} real account(s) exist: demo people would mix with real ones. "
                "Use --force if this is what you want."
            )
        taken = set(User.objects.filter(is_demo=True).values_list("pseudonym", flat=True))
        names = [f"{name} (démo)" for name in PSEUDONYMS if f"{name} (démo)" not in taken][:people]
        if dry_run:
            self.stdout.write(f"Would create {len(names)} demo people: {', '.join(names)}.")
            return
        rng = random.Random(seed)  # noqa: S311 — made-up data, reproducible by seed; not a secret
        today = timezone.localdate()
        for name in names:
            password = secrets.token_urlsafe(12)
            with transaction.atomic():
                person = self._create(name, password)
                for provider in demo_providers.ordered():
                    provider.populate(person, rng, today)
            self.stdout.write(self.style.SUCCESS(f"{name}: {person.email} / {password}"))
        self.stdout.write("Demo accounts receive no email. Remove them with: entraide demo --remove")

    @staticmethod
    def _create(name: str, password: str) -> User:
        slug = name.split(" ", maxsplit=1)[0].lower().replace("ë", "e")
        email = f"{slug}-{secrets.token_hex(3)}@{DEMO_DOMAIN}"
        person = User.objects.create_user(
            email, password, pseudonym=name, is_demo=True, time_zone="Europe/Paris"
        )
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        record_signup_consents(person, language="fr")
        return person
