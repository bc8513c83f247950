"""`entraide backup`: an archive of the database and uploads; `--key`: the key ring, apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.core import backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (database and uploads, never the key ring) into DATA_DIR/backups or "
        "--output. With --key, export the instance key ring instead, protected by a passphrase "
        f"(asked twice, or read from {backup.PASSPHRASE_ENV})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="a file name, or a directory for a timestamped name")
        parser.add_argument("--key", action="store_true", help="export the key ring, passphrase-protected")

    def handle(self, *args: Any, output: Path | None, key: bool, **options: Any) -> None:
        try:
            if key:
                self._export_key(output)
            else:
                self._backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _backup(self, output: Path | None) -> None:
        result = backup.create_backup(output=output)
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {result.path} ({result.size} bytes, {result.vendor}).")
        )
        self.stdout.write(
            f"{result.data_keys} data keys (wrapped by instance key(s) {', '.join(result.key_ids) or '-'}), "
            f"{result.files} files ({', '.join(backup.FOLDERS)}). The archive holds no key ring: a restore needs the "
            "key ring exported with `entraide backup --key`, kept apart from the backups."
        )

    def _export_key(self, output: Path | None) -> None:
        passphrase = backup.ask_passphrase(confirm=True)
        path = backup.write_keyring_export(passphrase, output=output)
        self.stdout.write(self.style.SUCCESS(f"Key ring exported: {path}"))
        self.stdout.write(
            self.style.WARNING(
                "Store it apart from the database backups (another place, another medium), and the "
                "passphrase apart from both: a backup kept with its key defeats the encryption. "
                "Export it again after each `entraide rotate-key`."
            )
        )
