"""Restoring a backup: everything is checked before anything is written (an empty target, the
checksums, a key ring that unwraps every data key); then the key ring, the database and the
folders are put in place and the erasure journal is re-applied."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from entraide.core import datadir, instance, personal_data
from entraide.core.backup.archive import (
    FOLDERS,
    BackupError,
    StagedArchive,
    WrappedKey,
    copy_private,
    unpack_archive,
)
from entraide.core.backup.databases import (
    check_postgres_restore,
    check_sqlite_integrity,
    database_vendor,
    read_data_keys,
    restore_postgres,
    restore_sqlite,
    sqlite_path,
)
from entraide.core.backup.keyrings import keyring_to_install, verify_keyring
from entraide.core.encryption import crypto, keyring
from entraide.core.encryption.keyring import KeyRing
from entraide.core.models import DataKey


def _refuse_non_empty_target(vendor: str, staged: StagedArchive) -> None:
    if vendor == "sqlite":
        path = sqlite_path()
        if path.is_file() and path.stat().st_size > 0:
            raise BackupError(
                f"{path} already holds a database: restore into an empty data directory, or pass "
                "--force to replace it (stop entraide first)"
            )
    else:
        tables = connection.introspection.table_names()
        if tables:
            raise BackupError(
                f"the PostgreSQL database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables): restore into an empty database, or pass --force to replace "
                "its content (stop entraide first)"
            )
    for folder in FOLDERS:
        present = Path(settings.DATA_DIR) / folder
        if staged.folder(folder).is_dir() and present.is_dir() and any(present.iterdir()):
            raise BackupError(f"{present} is not empty: pass --force to replace it")


def _restore_folder(staged: Path, data_dir: Path, folder: str) -> None:
    """Swap ``data_dir/folder`` for the archive's copy (built aside, then renamed in place)."""
    if not staged.is_dir():
        return
    target = data_dir / folder
    token = secrets.token_hex(4)
    fresh = data_dir / f".{folder}-{token}.tmp"
    fresh.mkdir(mode=0o700)
    for path in sorted(staged.rglob("*")):
        dest = fresh / path.relative_to(staged)
        if path.is_dir():
            dest.mkdir(mode=0o700)
        else:
            copy_private(path, dest)
    old = target.rename(data_dir / f".{folder}-old-{token}") if target.exists() else None
    fresh.rename(target)
    if old is not None:
        shutil.rmtree(old)


NO_JOURNAL = (
    "no erasure journal: the people erased after this backup was made would come back, with their "
    "account and their data readable again. Give the current journal with --journal (the copy of "
    f"{datadir.ERASURE_JOURNAL_FILE} you keep apart from the backups). Only if you are sure that "
    "nobody was erased since the backup, or if you accept that those people come back (they must "
    "then be told and erased again by hand), restore with --without-journal."
)


@dataclass(frozen=True)
class RestoreSummary:
    """Counts only: a summary is printed, and must not hold personal data."""

    vendor: str
    data_keys: int
    files: int  # in FOLDERS
    keys_added: int
    accounts: int | None = None
    journal_entries: int = 0
    erased_again: int = 0
    dry_run: bool = False
    without_journal: bool = False  # restored without any erasure journal, as asked


def restore_backup(
    archive: Path,
    *,
    load_ring: Callable[[], KeyRing],
    journal: Path | None = None,
    without_journal: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> RestoreSummary:
    """Restore ``archive`` into this instance's data directory and database.

    Nothing is written until the archive is verified, the target is found empty (or ``force``)
    and the key ring unwraps every data key of the archive. ``load_ring`` is called once the
    archive and target passed their checks (it may ask for a passphrase). Callers must make sure
    no entraide process uses the data directory or database meanwhile.

    Without an erasure journal (``journal``, else the data directory's own), people erased after
    the backup was made would come back: refused unless ``without_journal``.
    """
    vendor = database_vendor()
    if journal is not None and not journal.is_file():
        raise BackupError(f"there is no erasure journal at {journal}")
    if journal is None and not without_journal and not personal_data.erasure_journal_path().is_file():
        raise BackupError(NO_JOURNAL)
    with tempfile.TemporaryDirectory(prefix="entraide-restore-") as tmp:
        plan = _plan_restore(unpack_archive(archive, Path(tmp)), load_ring, vendor=vendor, force=force)
        files = plan.staged.file_count()
        if dry_run:
            return RestoreSummary(
                vendor, len(plan.keys), files, plan.keys_added, dry_run=True, without_journal=without_journal
            )
        _apply_restore(plan, vendor)
    entries, erased = reapply_erasure_journal(journal)
    instance.write_snapshot(instance.PublicFacts.of(instance.load_settings()))
    return RestoreSummary(
        vendor,
        DataKey.objects.count(),
        files,
        plan.keys_added,
        accounts=get_user_model().objects.count(),
        journal_entries=entries,
        erased_again=erased,
        without_journal=without_journal and journal is None and entries == 0,
    )


@dataclass(frozen=True)
class _RestorePlan:
    staged: StagedArchive
    keys: list[WrappedKey]
    ring_to_save: KeyRing | None
    keys_added: int
    pg_restore: str  # the pg_restore binary, on PostgreSQL


def _plan_restore(
    staged: StagedArchive, load_ring: Callable[[], KeyRing], *, vendor: str, force: bool
) -> _RestorePlan:
    """Every check a restore makes; none of them writes anything."""
    if staged.vendor != vendor:
        raise BackupError(
            f"this archive holds a {staged.vendor} database and this instance uses {vendor}: "
            "a backup restores only into the same kind of database"
        )
    pg_restore = ""
    if vendor == "sqlite":
        check_sqlite_integrity(staged.database)
    else:
        pg_restore = check_postgres_restore(staged.manifest["database"])
    if not force:
        _refuse_non_empty_target(vendor, staged)
    keys = read_data_keys(vendor, staged.database)
    ring = load_ring()
    verify_keyring(ring, keys)
    ring_to_save, keys_added = keyring_to_install(ring)
    return _RestorePlan(staged, keys, ring_to_save, keys_added, pg_restore)


def _apply_restore(plan: _RestorePlan, vendor: str) -> None:
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The key ring first: were anything after it to fail, the keys the data needs are in place.
    if plan.ring_to_save is not None:
        keyring.save_keyring(plan.ring_to_save)
    datadir.prepare(data_dir)  # the secret key and folders; the key ring is already there
    if vendor == "sqlite":
        restore_sqlite(plan.staged.database)
    else:
        restore_postgres(plan.pg_restore, plan.staged.database)
    for folder in FOLDERS:
        _restore_folder(plan.staged.folder(folder), data_dir, folder)


def _carry_journal(source: Path, target: Path) -> None:
    """Append to the data directory's journal the lines it lacks from ``source``, so that a later
    restore of this instance re-applies them too."""
    if source.resolve() == target.resolve():
        return
    have = set(target.read_text(encoding="utf-8").splitlines()) if target.exists() else set()
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [line for line in lines if line not in have]
    if missing:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write("".join(f"{line}\n" for line in missing))
            out.flush()
            os.fsync(out.fileno())


def reapply_erasure_journal(journal: Path | None) -> tuple[int, int]:
    """Erase again everyone in the journal still present in the database; (entries, erased).

    ``journal`` defaults to the data directory's own, if there is one.
    """
    own = personal_data.erasure_journal_path()
    source = journal if journal is not None else own
    if not source.exists():
        return 0, 0
    _carry_journal(source, own)
    ids = personal_data.read_erasure_journal(source)
    user_model = get_user_model()
    erased = 0
    with crypto.fresh_key_cache():
        for person_id in dict.fromkeys(ids):
            try:
                uuid.UUID(person_id)
            except ValueError:
                continue  # not an id of ours: a journal line typed by hand
            person = user_model.objects.filter(pk=person_id).first()
            if person is not None:
                personal_data.erase_person(person)
                erased += 1
    return len(ids), erased
