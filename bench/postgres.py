"""PostgreSQL for the benchmark (`python -m bench --database postgres`).

The harness makes a fresh database for each run (``entraide_bench`` on the server named by
``ENTRAIDE_BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/``; a database name in
that URL replaces ``entraide_bench``), migrates it and serves from it.

Seed cache: the community's 200,000 posts are seeded once into a template database,
``entraide_bench_seed_<key>``, migrated and analysed, holding nothing else (no bench person, no
session); later runs copy it (``CREATE DATABASE … TEMPLATE …``, a file copy: seconds). The key
hashes every migration of the project and the seed module, so that a schema or seed change seeds
afresh, and the templates of other keys are dropped then. PostgreSQL copies a template only when
nobody is connected to it: the seeding runs in processes that have exited before the copy, and
nothing else ever connects to a template.

Two runs against the same server at once would share ``entraide_bench``: give each its own name
(ENTRAIDE_BENCH_PG_URL), and let one seed the template first: both would seed it under one name.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse

if TYPE_CHECKING:
    import psycopg

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/"
URL_VARIABLE = "ENTRAIDE_BENCH_PG_URL"
BENCH_DATABASE = "entraide_bench"
TEMPLATE_PREFIX = "entraide_bench_seed_"
PARTIAL = "_partial"  # a template being seeded: renamed once complete, so never copied half-made
REPOSITORY = Path(__file__).resolve().parent.parent
SAMPLE_EVERY_S = 0.2


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL server and the database the benchmark makes on it."""

    server_url: str  # without a database name
    name: str = BENCH_DATABASE

    @classmethod
    def from_env(cls) -> Postgres:
        parts = urlparse(os.environ.get(URL_VARIABLE) or DEFAULT_SERVER_URL)
        name = parts.path.strip("/") or BENCH_DATABASE
        return cls(urlunparse(parts._replace(path="/")), name)

    def url(self, database: str | None = None) -> str:
        """The URL of ``database`` (the bench database by default), as DATABASE_URL takes it."""
        return urlunparse(urlparse(self.server_url)._replace(path=f"/{database or self.name}"))

    def connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        """An autocommit connection (CREATE and DROP DATABASE refuse a transaction); by default to
        the maintenance database, so that it never counts as a session of the bench database."""
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def describe(self) -> str:
        with self.connect() as connection:
            version = connection.info.server_version  # e.g. 150020
        return f"PostgreSQL {version // 10000}.{version % 10000}, database {self.name}"


def _identifier(name: str) -> str:
    """A database name we made ourselves: letters, digits and underscores only, as PostgreSQL
    keeps without quotes (so no quoting, no injection)."""
    if not name.replace("_", "").isalnum() or not name.isascii() or len(name) > 63:
        raise ValueError(f"not a database name the benchmark makes: {name!r}")
    return name


def seed_key(paths: list[Path] | None = None) -> str:
    """A hash of every migration of the project and of the seed module: what the template holds."""
    if paths is None:
        paths = sorted((REPOSITORY / "src" / "entraide").glob("*/migrations/*.py"))
        paths.append(REPOSITORY / "bench" / "seed_community.py")
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def databases(pg: Postgres) -> list[str]:
    with pg.connect() as connection:
        rows = connection.execute("SELECT datname FROM pg_database").fetchall()
    return sorted(str(name) for (name,) in rows)


def drop(pg: Postgres, name: str) -> None:
    """Drop ``name`` if it exists, closing its sessions first (a server left running)."""
    with pg.connect() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")


def create(pg: Postgres, name: str, template: str | None = None) -> None:
    """``name`` afresh: empty, or a copy of ``template`` (which nobody may be connected to).
    FILE_COPY: the template's files copied after a checkpoint, much faster than WAL_LOG (the
    default since PostgreSQL 15, which writes every block to the WAL) for a large template."""
    drop(pg, name)
    with pg.connect() as connection:
        if template is None:
            connection.execute(f"CREATE DATABASE {_identifier(name)}")
        else:
            strategy = " STRATEGY = FILE_COPY" if connection.info.server_version >= 150000 else ""
            connection.execute(
                f"CREATE DATABASE {_identifier(name)} TEMPLATE {_identifier(template)}{strategy}"
            )


def ensure_template(
    pg: Postgres, template: str, seed: Callable[[Postgres], str], prefix: str = TEMPLATE_PREFIX
) -> str | None:
    """The template database ``template``: when missing, ``seed(its_postgres)`` fills a fresh database
    (and returns a line saying how), which becomes the template once every connection the seeding
    opened is closed; the other templates of ``prefix`` (older keys) are dropped then. Returns the
    seeding's line, or None when the template was there."""
    if template in databases(pg):
        return None
    partial = template + PARTIAL
    create(pg, partial)
    try:
        note = seed(Postgres(pg.server_url, partial))
        with pg.connect() as connection:
            # Nothing may stay connected to a template; a seed that leaks a connection fails here
            # ("being accessed by other users") rather than in every later run.
            connection.execute(f"ALTER DATABASE {_identifier(partial)} RENAME TO {_identifier(template)}")
    except BaseException:
        drop(pg, partial)
        raise
    for stale in databases(pg):
        if stale.startswith(prefix) and stale != template:
            drop(pg, stale)
    return note


def count_rows(pg: Postgres, table: str) -> int:
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    with pg.connect(pg.name) as connection:
        row = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 — checked name
    return int(row[0]) if row else 0


def sessions(connection: psycopg.Connection[Any], name: str) -> int:
    """Server-side sessions connected to database ``name`` now (this connection is elsewhere)."""
    row = connection.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", [name]).fetchone()
    return int(row[0]) if row else 0


def backend_pids(pg: Postgres) -> list[int]:
    """The server processes serving the bench database now (for bench/noise.py: their CPU is the
    benchmark's, not another's)."""
    with pg.connect() as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [pg.name]).fetchall()
    return [int(pid) for (pid,) in rows]


class ConnectionWatch:
    """The peak number of server-side connections to the bench database while a block runs:
    pg_stat_activity sampled every SAMPLE_EVERY_S in a thread, from the maintenance database."""

    def __init__(self, pg: Postgres, every_s: float = SAMPLE_EVERY_S) -> None:
        self.pg = pg
        self.every_s = every_s
        self.peak = 0
        self.samples = 0

    @contextmanager
    def watching(self) -> Iterator[ConnectionWatch]:
        self.peak, self.samples = 0, 0
        stop = threading.Event()
        connection = self.pg.connect()
        thread = threading.Thread(target=self._sample, args=(connection, stop), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
            connection.close()

    def _sample(self, connection: psycopg.Connection[Any], stop: threading.Event) -> None:
        while True:
            self.peak = max(self.peak, sessions(connection, self.pg.name))
            self.samples += 1
            if stop.wait(self.every_s):
                return
