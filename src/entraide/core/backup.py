"""Backups: the database and uploads in one archive; the instance key ring exported apart.

An archive never holds the key ring: a backup kept with its key defeats the encryption. A key
ring export is encrypted with a passphrase, and is meant to be stored somewhere else.

A restore checks everything it can before writing anything (the archive's checksums, an empty
target, that the key ring unwraps every data key of the archive), then puts the key ring, the
database and the uploads in place, and re-applies the erasure journal so that people erased
after the backup was made stay erased. See docs/backup.md.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import unicodedata
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from entraide.core import datadir, instance, personal_data
from entraide.core.encryption import crypto, keyring
from entraide.core.encryption.keyring import KeyRing, KeyRingError
from entraide.core.models import DataKey

FORMAT = "entraide-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/entraide.sqlite3", "postgresql": "database/entraide.pgdump"}
# Folders of the data directory whose files are data that nothing can rebuild (see "How to add a
# new kind of file to the backup" in docs/backup.md). Never secrets: the archive must hold no key.
FOLDERS = ("uploads",)
BACKUPS_DIR = "backups"

KEYRING_EXPORT_FORMAT = "entraide-keyring-export"
KEYRING_EXPORT_VERSION = 1
PASSPHRASE_ENV = "ENTRAIDE_BACKUP_PASSPHRASE"  # noqa: S105 — the variable's name, not a secret
MIN_PASSPHRASE_LENGTH = 12
SCRYPT_PARAMS = {"name": "scrypt", "n": 2**15, "r": 8, "p": 1, "length": 32}
# Bounds on what an export file may ask for: a crafted file must not make us allocate gigabytes.
_SCRYPT_MAX_N, _SCRYPT_MAX_R, _SCRYPT_MAX_P = 2**20, 16, 4
_EXPORT_AD = b"entraide\x1fkeyring-export\x1fv1"


class BackupError(Exception):
    """A backup or restore cannot go on. The message says why and what to do; it never holds
    personal data (it is printed, and may be logged by whatever runs the command)."""


# --- Archives -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrappedKey:
    """A ``core.DataKey`` row as read from a dumped database, without Django."""

    scope: str
    owner_id: str | None
    key_id: str
    wrapped: bytes


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
    target = _new_file_path(output, default_dir=data_dir / BACKUPS_DIR, stem="entraide", suffix=".tar.gz")
    # Staged beside the archive, not in /tmp: same protection as the backups, and /tmp is often small.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".entraide-backup-") as tmp:
        database, details = _dump_database(vendor, Path(tmp))
        keys = read_data_keys(vendor, database)
        key_ids = sorted({k.key_id for k in keys})
        members = [(DATABASE_MEMBERS[vendor], database)]
        members += [m for folder in FOLDERS for m in _folder_files(data_dir, folder)]
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
        _write_archive(target, members, manifest)
    return BackupResult(
        path=target,
        vendor=vendor,
        data_keys=len(keys),
        key_ids=key_ids,
        files=len(members) - 1,
        size=target.stat().st_size,
    )


def database_vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _entraide_version() -> str:
    try:
        return metadata.version("entraide")
    except metadata.PackageNotFoundError:
        return "unknown"


def _new_file_path(output: Path | None, *, default_dir: Path, stem: str, suffix: str) -> Path:
    """``output`` if it is a free file name, else a timestamped name in ``output`` (a directory)
    or ``default_dir``. Never an existing file: a backup must not silently replace another."""
    if output is not None and not output.is_dir():
        if output.exists():
            raise BackupError(f"{output} already exists: choose another name")
        if not output.parent.is_dir():
            raise BackupError(f"the directory {output.parent} does not exist")
        return output
    directory = output if output is not None else default_dir
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    candidate, n = directory / f"{stem}-{stamp}{suffix}", 1
    while candidate.exists():
        candidate, n = directory / f"{stem}-{stamp}-{n}{suffix}", n + 1
    return candidate


def _folder_files(data_dir: Path, folder: str) -> list[tuple[str, Path]]:
    """(member name, path) of every regular file under ``data_dir/folder``, in a stable order.

    Symbolic links are left out: one could point outside the data directory.
    """
    top = data_dir / folder
    if not top.is_dir():
        return []
    files = []
    for root, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                files.append((f"{folder}/{path.relative_to(top).as_posix()}", path))
    return files


class _HashingReader:
    """Hashes exactly the bytes tarfile copies into the archive, so that the manifest's checksum
    is the member's, even if the file changed between being listed and being read."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._file.read(size)
        self.sha256.update(chunk)
        return chunk


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        info = tarfile.TarInfo(name)
        stat = os.fstat(file.fileno())
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": info.size}


def _write_archive(target: Path, members: list[tuple[str, Path]], manifest: dict[str, Any]) -> None:
    """A tar.gz of ``members`` then ``manifest.json`` (last: it holds the members' checksums)."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            # Level 6: nearly the size of level 9 in a fraction of the time on a small host.
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                for name, path in members:
                    manifest["members"][name] = _add_file(tar, name, path)
                body = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class StagedArchive:
    """An archive unpacked into a temporary directory, its checksums verified."""

    root: Path
    manifest: dict[str, Any]

    @property
    def vendor(self) -> str:
        return str(self.manifest["database"]["vendor"])

    @property
    def database(self) -> Path:
        return self.root / str(self.manifest["database"]["member"])

    def folder(self, name: str) -> Path:
        return self.root / name

    def file_count(self) -> int:
        return sum(1 for f in FOLDERS for p in self.folder(f).rglob("*") if p.is_file())


def unpack_archive(archive: Path, dest: Path) -> StagedArchive:
    """Unpack ``archive`` into ``dest`` and verify it against its manifest."""
    if not archive.is_file():
        raise BackupError(f"there is no archive at {archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                _check_member(member)
            tar.extractall(dest, filter="data")
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise BackupError(f"{archive} cannot be read as an entraide backup ({exc})") from None
    _check_manifest(manifest, archive)
    _verify_members(dest, manifest, archive)
    return StagedArchive(dest, manifest)


def _check_member(member: tarfile.TarInfo) -> None:
    name = member.name
    allowed = name == MANIFEST or name.startswith(tuple(f"{top}/" for top in ("database", *FOLDERS)))
    if not allowed or not (member.isfile() or member.isdir()) or ".." in name.split("/"):
        raise BackupError(f"unexpected member {name!r}: this is not an archive made by `entraide backup`")


def _check_manifest(manifest: Any, archive: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not an archive made by `entraide backup`")
    version = manifest.get("version")
    # Older formats stay readable; a newer one may hold what this code would silently drop.
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{archive} has format version {version}; this entraide reads up to version "
            f"{FORMAT_VERSION}: restore it with the entraide version that made it "
            f"({manifest.get('entraide_version', 'unknown')}) or a later one"
        )
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("member") not in DATABASE_MEMBERS.values():
        raise BackupError(f"{archive}: the manifest names no database")


def _verify_members(root: Path, manifest: dict[str, Any], archive: Path) -> None:
    listed: dict[str, Any] = manifest.get("members", {})
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(listed) or manifest["database"]["member"] not in present:
        raise BackupError(f"{archive} is damaged: its files do not match its manifest")
    damaged = [name for name, entry in listed.items() if _sha256(root / name) != entry.get("sha256")]
    if damaged:
        raise BackupError(f"{archive} is damaged: {len(damaged)} file(s) fail their checksum")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- Databases ----------------------------------------------------------------------------------


def _dump_database(vendor: str, dest_dir: Path) -> tuple[Path, dict[str, str]]:
    if vendor == "sqlite":
        return _dump_sqlite(dest_dir / "entraide.sqlite3"), {}
    return _dump_postgres(dest_dir / "entraide.pgdump")


def read_data_keys(vendor: str, database: Path) -> list[WrappedKey]:
    """The data keys of a dumped database, read from the dump itself (not from a manifest)."""
    if vendor == "sqlite":
        return _sqlite_data_keys(database)
    return _postgres_data_keys(database)


def _owner(raw: str | None) -> str | None:
    # SQLite stores UUIDs as 32 hex digits, PostgreSQL with dashes; wrapping used str(UUID).
    return str(uuid.UUID(raw)) if raw else None


# SQLite


def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def _open_sqlite_copy(path: Path) -> sqlite3.Connection:
    # immutable: a staged copy nobody writes; SQLite then takes no lock and creates no -wal file.
    return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)


def _dump_sqlite(dest: Path) -> Path:
    """A consistent copy of the live database, however busy it is.

    ``VACUUM INTO`` reads one snapshot in a single read transaction (WAL writers go on), and
    writes a compact file: no free pages, no WAL frames of rows erased before the backup.
    A plain file copy would tear a database being written, or miss what is still in the WAL.
    """
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}: nothing to back up")
    source = sqlite3.connect(f"{source_path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        source.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from None
    finally:
        source.close()
    _check_sqlite_integrity(dest)
    return dest


def _check_sqlite_integrity(path: Path) -> None:
    db = _open_sqlite_copy(path)
    try:
        result = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database copy is not a valid SQLite database ({exc})") from None
    finally:
        db.close()
    if result != ["ok"]:
        raise BackupError("the database copy fails SQLite's integrity check")


def _sqlite_data_keys(path: Path) -> list[WrappedKey]:
    db = _open_sqlite_copy(path)
    try:
        rows = db.execute("SELECT scope, owner_id, key_id, wrapped FROM core_datakey").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database holds no readable data keys table ({exc})") from None
    finally:
        db.close()
    return [
        WrappedKey(scope, _owner(owner), key_id, bytes(wrapped)) for scope, owner, key_id, wrapped in rows
    ]


def _restore_sqlite(staged: Path) -> None:
    target = _sqlite_path()
    connection.close()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    _copy_private(staged, tmp)
    # A WAL left beside the old file would be replayed over the restored one and corrupt it.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, target)


# PostgreSQL


@dataclass(frozen=True)
class _PgTarget:
    options: list[str]  # libpq connection options for pg_dump / pg_restore
    env: dict[str, str]  # the password and TLS settings travel here, never on the command line
    dbname: str


def _pg_target() -> _PgTarget:
    cfg = connection.settings_dict
    _, extra_env = connection.client.settings_to_cmd_args_env(cfg, [])
    options = ["--no-password"]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if cfg.get(key):
            options += [flag, str(cfg[key])]
    return _PgTarget(options, {**os.environ, **(extra_env or {})}, str(cfg["NAME"]))


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return str(row[0]).split()[0] if row else "unknown"


def _major(version: str) -> int:
    match = re.match(r"\d+", version)
    if not match:
        raise BackupError(f"cannot read the PostgreSQL version {version!r}")
    return int(match.group())


def _pg_tool(name: str) -> tuple[str, str]:
    """(path, version) of a PostgreSQL client tool, e.g. ("/usr/bin/pg_dump", "15.20")."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools of your server's "
            "version (on Debian and Ubuntu: apt install postgresql-client-<version>)"
        )
    # S603: a PostgreSQL client found in PATH, with our own arguments; no shell.
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    match = re.search(r"\(PostgreSQL\)\s+(\S+)", out)
    if not match:
        raise BackupError(f"{path} --version does not say which PostgreSQL it belongs to")
    return path, match.group(1)


def check_pg_tool_version(tool: str, tool_version: str, server_version: str) -> None:
    """pg_dump and pg_restore refuse, or silently mishandle, servers newer than themselves."""
    server_major = _major(server_version)
    if _major(tool_version) < server_major:
        raise BackupError(
            f"{tool} {tool_version} is older than the PostgreSQL server ({server_version}): "
            f"install the PostgreSQL {server_major} client tools (on Debian and Ubuntu: apt install "
            f"postgresql-client-{server_major}) and put their directory first in PATH "
            f"(e.g. /usr/lib/postgresql/{server_major}/bin)"
        )


def _run_pg(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603 — as above
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {_pg_errors(result.stderr)}")
    return result.stdout


def _pg_errors(stderr: str) -> str:
    # DETAIL and CONTEXT lines can quote row values (a duplicate email, a COPY line): not printed.
    kept = [line for line in stderr.splitlines() if not re.match(r"\s*(DETAIL|CONTEXT):", line)]
    return " ".join(kept[-5:]) or "no message"


def _dump_postgres(dest: Path) -> tuple[Path, dict[str, str]]:
    """``pg_dump --format=custom``: one consistent snapshot (a repeatable-read transaction)."""
    server = _server_version()
    tool, version = _pg_tool("pg_dump")
    check_pg_tool_version("pg_dump", version, server)
    target = _pg_target()
    _run_pg(
        [tool, *target.options, "--format=custom", "--file", str(dest), "--dbname", target.dbname],
        target.env,
    )
    return dest, {"server_version": server, "pg_dump_version": version}


_COPY_HEADER = re.compile(r"^COPY \S+ \((?P<columns>[^)]*)\) FROM stdin;$")
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _copy_value(field: str) -> str | None:
    if field == r"\N":
        return None
    # COPY's text output only ever uses these one-letter escapes (octal and hex are input-only).
    return re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m[1], m[1]), field)


def copy_rows(script: str) -> list[dict[str, str | None]]:
    """The rows of the (single) ``COPY … FROM stdin`` block of a pg_restore script."""
    rows: list[dict[str, str | None]] = []
    columns: list[str] | None = None
    for line in script.split("\n"):
        if columns is None:
            header = _COPY_HEADER.match(line)
            if header:
                columns = [c.strip().strip('"') for c in header["columns"].split(",")]
        elif line == "\\.":
            columns = None
        else:
            rows.append(dict(zip(columns, map(_copy_value, line.split("\t")), strict=True)))
    return rows


def _bytea(value: str | None) -> bytes:
    if value is None or not value.startswith("\\x"):
        raise BackupError("the dump's data keys are not in PostgreSQL's hex bytea format")
    return bytes.fromhex(value[2:])


def _postgres_data_keys(dump: Path) -> list[WrappedKey]:
    tool, _ = _pg_tool("pg_restore")
    script = _run_pg(
        [tool, "--data-only", f"--table={DataKey._meta.db_table}", "--file=-", str(dump)], dict(os.environ)
    )
    return [
        WrappedKey(str(row["scope"]), _owner(row["owner_id"]), str(row["key_id"]), _bytea(row["wrapped"]))
        for row in copy_rows(script)
    ]


def _check_postgres_restore(database: dict[str, Any]) -> str:
    """The pg_restore to use, once sure it can read the archive into this server."""
    tool, version = _pg_tool("pg_restore")
    server = _server_version()
    dumped_by = str(database.get("pg_dump_version", "0"))
    check_pg_tool_version("pg_restore", version, dumped_by)
    check_pg_tool_version("pg_restore", version, server)
    source = str(database.get("server_version", "0"))
    if _major(server) < _major(source):
        raise BackupError(
            f"this archive comes from PostgreSQL {source} and this server runs {server}: "
            "restore it into a server of the same major version or a later one"
        )
    return tool


def _restore_postgres(tool: str, staged: Path) -> None:
    target = _pg_target()
    connection.close()
    _run_pg(
        [
            tool,
            *target.options,
            "--clean",
            "--if-exists",
            # The role restoring owns everything: the source's roles need not exist here.
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            target.dbname,
            str(staged),
        ],
        target.env,
    )


# --- The target ---------------------------------------------------------------------------------


def _refuse_non_empty_target(vendor: str, staged: StagedArchive) -> None:
    if vendor == "sqlite":
        path = _sqlite_path()
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


def _copy_private(source: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


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
            _copy_private(path, dest)
    old = target.rename(data_dir / f".{folder}-old-{token}") if target.exists() else None
    fresh.rename(target)
    if old is not None:
        shutil.rmtree(old)


# --- Key rings ----------------------------------------------------------------------------------


def _unwraps(ring: KeyRing, key: WrappedKey) -> bool:
    owner = uuid.UUID(key.owner_id) if key.scope == "user" and key.owner_id else None
    try:
        crypto.unwrap_with(ring, key.key_id, key.wrapped, owner)
    except crypto.DecryptionError:
        return False
    return True


def verify_keyring(ring: KeyRing, keys: list[WrappedKey]) -> None:
    """Refuse, naming the key ids, unless ``ring`` unwraps every one of ``keys``."""
    missing = sorted({k.key_id for k in keys if k.key_id not in ring.keys})
    if missing:
        needing = sum(k.key_id in missing for k in keys)
        raise BackupError(
            f"the key ring lacks the instance key(s) {', '.join(missing)} that {needing} data key(s) "
            "of this archive need; nothing was restored. Give the key ring that was in use when the "
            "backup was made (retired keys included)."
        )
    wrong = sorted({k.key_id for k in keys if not _unwraps(ring, k)})
    if wrong:
        raise BackupError(
            f"the key ring's key(s) {', '.join(wrong)} do not unwrap this archive's data keys (a key "
            "ring of another instance?); nothing was restored."
        )


def merge_keyrings(existing: KeyRing | None, restored: KeyRing) -> KeyRing:
    """``restored``'s keys added to ``existing``'s, which are all kept.

    The active key is the restored ring's: the restored database was written under it, so a
    later `entraide rotate-key` does not take the restore for a half-done rotation.
    """
    if existing is None:
        return restored
    clash = sorted(
        k for k in existing.keys.keys() & restored.keys.keys() if existing.keys[k] != restored.keys[k]
    )
    if clash:
        raise BackupError(
            f"the data directory's key ring and the given one hold different keys under the same "
            f"id(s) {', '.join(clash)}: sort them out by hand; nothing was restored"
        )
    return KeyRing(active=restored.active, keys={**existing.keys, **restored.keys})


def _existing_keyring() -> KeyRing | None:
    inline = bool(os.environ.get("ENTRAIDE_INSTANCE_KEYRING"))
    path = Path(os.environ.get("ENTRAIDE_INSTANCE_KEYRING_FILE") or keyring.keyring_path())
    if not inline and not path.exists():
        return None
    try:
        return keyring.load_keyring()
    except KeyRingError as exc:
        raise BackupError(
            f"the data directory's key ring cannot be read, so it is left alone: {exc}"
        ) from None


def _keyring_to_install(restored: KeyRing) -> tuple[KeyRing | None, int]:
    """(the ring to save before the database is put in place, or None if it has every key
    already; the number of keys it adds)."""
    existing = _existing_keyring()
    merged = merge_keyrings(existing, restored)
    added = sorted(merged.keys.keys() - (existing.keys.keys() if existing else set()))
    if existing is not None and not added:
        return None, 0
    if os.environ.get("ENTRAIDE_INSTANCE_KEYRING"):
        raise BackupError(
            "this instance reads its key ring from ENTRAIDE_INSTANCE_KEYRING: add the key(s) "
            f"{', '.join(added)} to it, then restore again; nothing was restored"
        )
    return merged, len(added)


def read_keyring_file(path: Path, passphrase: Callable[[], str]) -> KeyRing:
    """A plain key ring (``instance.keyring``) or a passphrase-protected export of one.

    ``passphrase`` is called only for an export.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read as a key ring ({exc})") from None
    if isinstance(data, dict) and data.get("format") == KEYRING_EXPORT_FORMAT:
        return import_keyring(text, passphrase())
    try:
        return KeyRing.from_json(text)
    except KeyRingError as exc:
        raise BackupError(f"{path}: {exc}") from None


def _derive_key(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    # NFC: the same passphrase typed on two systems may reach us composed or decomposed ("é").
    secret = unicodedata.normalize("NFC", passphrase).encode()
    return Scrypt(salt=salt, length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(secret)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters long")


def export_keyring(ring: KeyRing, passphrase: str) -> str:
    """The ring encrypted under a key derived from ``passphrase`` (scrypt, AES-256-GCM), as JSON."""
    check_passphrase(passphrase)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(crypto.NONCE_BYTES)
    key = _derive_key(passphrase, salt, SCRYPT_PARAMS)
    ciphertext = AESGCM(key).encrypt(nonce, ring.to_json().encode(), _EXPORT_AD)
    return json.dumps(
        {
            "format": KEYRING_EXPORT_FORMAT,
            "version": KEYRING_EXPORT_VERSION,
            "kdf": SCRYPT_PARAMS,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        },
        indent=1,
    )


def _export_fields(text: str) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    try:
        data = json.loads(text)
        kdf = data["kdf"]
        if data["format"] != KEYRING_EXPORT_FORMAT or data["version"] != KEYRING_EXPORT_VERSION:
            raise ValueError("unknown format or version")
        if kdf["name"] != "scrypt" or not (
            1 < kdf["n"] <= _SCRYPT_MAX_N and 0 < kdf["r"] <= _SCRYPT_MAX_R and 0 < kdf["p"] <= _SCRYPT_MAX_P
        ):
            raise ValueError("unsupported key derivation")
        fields = [base64.b64decode(data[k], validate=True) for k in ("salt", "nonce", "ciphertext")]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"this is not a readable key ring export ({exc})") from None
    return kdf, fields[0], fields[1], fields[2]


def import_keyring(text: str, passphrase: str) -> KeyRing:
    kdf, salt, nonce, ciphertext = _export_fields(text)
    key = _derive_key(passphrase, salt, kdf)
    try:
        plain = AESGCM(key).decrypt(nonce, ciphertext, _EXPORT_AD)
    except InvalidTag:
        raise BackupError("the passphrase is wrong (or the key ring export was altered)") from None
    try:
        return KeyRing.from_json(plain.decode())
    except KeyRingError as exc:
        raise BackupError(str(exc)) from None


def write_keyring_export(passphrase: str, *, output: Path | None = None) -> Path:
    """Export the instance's key ring, passphrase-protected, mode 0600; return its path.

    By default into the data directory, not its ``backups`` folder: it must travel apart from them.
    """
    try:
        ring = keyring.load_keyring()
    except KeyRingError as exc:
        raise BackupError(str(exc)) from None
    text = export_keyring(ring, passphrase)
    path = _new_file_path(
        output, default_dir=Path(settings.DATA_DIR), stem="entraide-keyring", suffix=".json"
    )
    datadir.write_private(path, text)
    return path


def ask_passphrase(*, confirm: bool) -> str:
    """From ENTRAIDE_BACKUP_PASSPHRASE (scripts), else asked on the terminal (twice to set one)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    try:
        first = getpass.getpass("Key ring passphrase: ")
        if confirm and first != getpass.getpass("Key ring passphrase (again): "):
            raise BackupError("the two passphrases are different")
    except EOFError:
        raise BackupError(f"no passphrase: run this in a terminal, or set {PASSPHRASE_ENV}") from None
    return first


# --- Restore ------------------------------------------------------------------------------------


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
        _check_sqlite_integrity(staged.database)
    else:
        pg_restore = _check_postgres_restore(staged.manifest["database"])
    if not force:
        _refuse_non_empty_target(vendor, staged)
    keys = read_data_keys(vendor, staged.database)
    ring = load_ring()
    verify_keyring(ring, keys)
    ring_to_save, keys_added = _keyring_to_install(ring)
    return _RestorePlan(staged, keys, ring_to_save, keys_added, pg_restore)


def _apply_restore(plan: _RestorePlan, vendor: str) -> None:
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The key ring first: were anything after it to fail, the keys the data needs are in place.
    if plan.ring_to_save is not None:
        keyring.save_keyring(plan.ring_to_save)
    datadir.prepare(data_dir)  # the secret key and folders; the key ring is already there
    if vendor == "sqlite":
        _restore_sqlite(plan.staged.database)
    else:
        _restore_postgres(plan.pg_restore, plan.staged.database)
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
