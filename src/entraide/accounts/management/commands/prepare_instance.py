"""Everything `entraide serve` needs before it starts serving (run in a child process)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError

from entraide.accounts import services


class Command(BaseCommand):
    help = (
        "Migrate (unless --no-migrate), create the cache table, collect static files, issue the set-up token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, no_migrate: bool, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            call_command("createcachetable", verbosity=0)
            if not services.setup_is_done():
                services.issue_setup_token()
        except OperationalError:
            if not no_migrate:
                raise
            # A server database that starts after us (a reboot): serve anyway, so that /aide/
            # answers from its snapshot until the database is back.
            self.stderr.write(
                "WARNING: the database does not answer; serving the help page only until it does."
            )
