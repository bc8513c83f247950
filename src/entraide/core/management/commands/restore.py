"""`entraide restore`: a backup archive back into an empty data directory (or, --force, over one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive with its key ring (a plain key ring file or a passphrase-protected "
        "export), then erase again everyone in the erasure journal. Stop entraide first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--keyring", type=Path, required=True, help="instance.keyring or an export of it")
        parser.add_argument(
            "--journal",
            type=Path,
            help="the erasure journal to re-apply (default: the data directory's, if any)",
        )
        parser.add_argument(
            "--without-journal",
            action="store_true",
            help="restore even without an erasure journal: people erased since the backup come back",
        )
        parser.add_argument("--force", action="store_true", help="replace an existing database and files")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(
        self,
        *args: Any,
        archive: Path,
        keyring: Path,
        journal: Path | None,
        without_journal: bool,
        force: bool,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            summary = backup.restore_backup(
                archive,
                load_ring=lambda: backup.read_keyring_file(
                    keyring, lambda: backup.ask_passphrase(confirm=False)
                ),
                journal=journal,
                without_journal=without_journal,
                force=force,
                dry_run=dry_run,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._report(summary)

    def _report(self, summary: backup.RestoreSummary) -> None:
        if summary.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The archive would restore: {summary.data_keys} data keys unwrap with this key "
                    f"ring, {summary.files} files ({', '.join(backup.FOLDERS)}), {summary.keys_added} key(s) to add to "
                    "the key ring. Nothing was written."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored ({summary.vendor}): {summary.accounts} accounts, {summary.data_keys} data "
                f"keys, {summary.files} files ({', '.join(backup.FOLDERS)}); {summary.keys_added} key(s) added to the key ring."
            )
        )
        if summary.without_journal:
            self.stdout.write(
                self.style.WARNING(
                    "No erasure journal (--without-journal): anyone erased after this backup was made "
                    "is back, account and data, until erased again."
                )
            )
        else:
            self.stdout.write(
                f"Erasure journal: {summary.journal_entries} entries, {summary.erased_again} "
                "account(s) erased again."
            )
        if summary.vendor == "postgresql":
            self.stdout.write("Next: `entraide migrate` if this entraide is newer than the backup.")
