"""Rotate the instance key: a new active key, every data key rewrapped, no row of data touched.

Resumable: run it again after an interruption and it finishes the rewrapping it started.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entraide.core import services


class Command(BaseCommand):
    help = "Add a new instance key and rewrap every data key with it (resumes an interrupted run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be done, change nothing")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        result = services.rotate_instance_key(dry_run=dry_run)
        verb = "would rewrap" if dry_run else "rewrapped"
        if result.resumed:
            self.stdout.write(f"Resumed an interrupted rotation to key {result.active_key_id}.")
        else:
            self.stdout.write(f"New active instance key {result.active_key_id}.")
        self.stdout.write(f"{verb} {result.rewrapped} data keys; {result.left} left.")
        if not dry_run:
            self.stdout.write(
                self.style.WARNING(
                    "Back up the key ring now (entraide backup --key), and keep it apart from the "
                    "database backups. Retired keys stay in the ring: archives made before today "
                    "need them to restore."
                )
            )
