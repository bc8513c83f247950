"""Create an administrator account (for a first admin without the set-up page, or a new one)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.accounts.models import User
from entraide.accounts.services import create_administrator


class Command(BaseCommand):
    help = "Create an administrator. The password is asked for, or read from ENTRAIDE_ADMIN_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--pseudonym", required=True)

    def handle(self, *args: Any, email: str, pseudonym: str, **options: Any) -> None:
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError("An account already uses this address.")
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise CommandError("This pseudonym is taken.")
        password = os.environ.get("ENTRAIDE_ADMIN_PASSWORD") or self._ask_password()
        try:
            password_validation.validate_password(password, User(email=email, pseudonym=pseudonym))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        create_administrator(email=email, pseudonym=pseudonym, password=password)
        self.stdout.write(self.style.SUCCESS(f"Administrator {pseudonym} created."))

    @staticmethod
    def _ask_password() -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords are different.")
        return first
