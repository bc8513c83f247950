"""Rebuild the day means from the check-ins: after a bulk import, a restore from an old backup,
or to bring every month to the current format at once (otherwise each is rebuilt on first read)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.journal import day_means
from entraide.journal.models import Checkin


class Command(BaseCommand):
    help = "Rebuild the day means of the given accounts (ids), or of everyone with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user_ids", nargs="*", help="account ids")
        parser.add_argument("--all", action="store_true", help="every account that has check-ins")
        parser.add_argument("--dry-run", action="store_true", help="say how many, change nothing")

    def handle(self, *args: Any, user_ids: list[str], all: bool, dry_run: bool, **options: Any) -> None:
        if all == bool(user_ids):
            raise CommandError("Name account ids, or --all (not both).")
        people = get_user_model().objects.all()
        if all:
            people = people.filter(pk__in=Checkin.objects.values("owner_id"))
        else:
            try:
                people = people.filter(pk__in=user_ids)
            except ValidationError as exc:
                raise CommandError("An account id is not valid.") from exc
        count = 0
        for person in people.only("pk").iterator():
            count += 1
            if not dry_run:
                day_means.rebuild_all(person)
        self.stdout.write(f"{'would rebuild' if dry_run else 'rebuilt'} the day means of {count} account(s).")
