"""Apply the second-factor removals whose 24 hours have passed (a periodic job; logging in applies
the person's own removal too). Prints counts and removal ids only, never who."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entraide.accounts.second_factor_removal import (
    apply_due_second_factor_removals,
    due_second_factor_removals,
)


class Command(BaseCommand):
    help = "Remove the second factor of people whose confirmed removal has taken effect."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what is due; change nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        if dry_run:
            due = list(due_second_factor_removals().values_list("pk", flat=True))
            self.stdout.write(f"{len(due)} removal(s) due: {', '.join(map(str, due)) or '-'} (dry run)")
            return
        applied = apply_due_second_factor_removals()
        ids = ", ".join(str(r.pk) for r in applied) or "-"
        self.stdout.write(f"{len(applied)} removal(s) applied: {ids}")
