"""Making a backup: dump the database, add the data folders, write the archive (never the key
ring)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from entraide.core.backup.archive import (
    BACKUPS_DIR,
    DATABASE_MEMBERS,
    FOLDERS,
    FORMAT,
    FORMAT_VERSION,
    folder_files,
    new_file_path,
    write_archive,
)
from entraide.core.backup.databases import database_vendor, dump_database, read_data_keys


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    data_keys: int
    key_ids: list[str]
    files: int  # in FOLDERS
    size: int


def create_backup(*, output: Path | None = None) -> BackupResult:
    """Write an archive of the database and FOLDERS (never the key ring); return what it holds.

    The archive is written under a temporary name and renamed when complete, mode 0600.
    """
    vendor = database_vendor()
    data_dir = Path(settings.DATA_DIR)
    target = new_file_path(output, default_dir=data_dir / BACKUPS_DIR, stem="entraide", suffix=".tar.gz")
    # Staged beside the archive, not in /tmp: same protection as the backups, and /tmp is often small.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".entraide-backup-") as tmp:
        database, details = dump_database(vendor, Path(tmp))
        keys = read_data_keys(vendor, database)
        key_ids = sorted({k.key_id for k in keys})
        members = [(DATABASE_MEMBERS[vendor], database)]
        members += [m for folder in FOLDERS for m in folder_files(data_dir, folder)]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "entraide_version": _entraide_version(),
            "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor], **details},
            "key_ids": key_ids,
            "data_keys": len(keys),
            "members": {},
        }
        write_archive(target, members, manifest)
    return BackupResult(
        path=target,
        vendor=vendor,
        data_keys=len(keys),
        key_ids=key_ids,
        files=len(members) - 1,
        size=target.stat().st_size,
    )


def _entraide_version() -> str:
    try:
        return metadata.version("entraide")
    except metadata.PackageNotFoundError:
        return "unknown"
