"""The databases a backup holds: dumping and restoring SQLite and PostgreSQL, and reading the
wrapped data keys back from a dump without Django."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from entraide.core.backup.archive import DATABASE_MEMBERS, BackupError, WrappedKey, copy_private
from entraide.core.models import DataKey


def database_vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def dump_database(vendor: str, dest_dir: Path) -> tuple[Path, dict[str, str]]:
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


def sqlite_path() -> Path:
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
    source_path = sqlite_path()
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}: nothing to back up")
    source = sqlite3.connect(f"{source_path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        source.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from None
    finally:
        source.close()
    check_sqlite_integrity(dest)
    return dest


def check_sqlite_integrity(path: Path) -> None:
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


def restore_sqlite(staged: Path) -> None:
    target = sqlite_path()
    connection.close()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    copy_private(staged, tmp)
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


def check_postgres_restore(database: dict[str, Any]) -> str:
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


def restore_postgres(tool: str, staged: Path) -> None:
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
