"""The benchmark's PostgreSQL databases (bench/postgres.py): the seed template made once and
copied, stale templates dropped, sessions counted. Against the PostgreSQL server the benchmark
uses (ENTRAIDE_BENCH_PG_URL, else the default), skipped when none answers (a failure with CI=true); each test names its
own databases and drops them. A table of three rows stands for the 200,000 posts."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import postgres
from bench.postgres import ConnectionWatch, Postgres

psycopg = pytest.importorskip("psycopg")


def _server() -> Postgres:
    pg = Postgres.from_env()
    try:
        pg.connect().close()
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":  # CI has a server: a missing one is a failure there
            pytest.fail("no PostgreSQL server answers (ENTRAIDE_BENCH_PG_URL) and CI=true")
        pytest.skip("no PostgreSQL server answers (ENTRAIDE_BENCH_PG_URL)")
    return pg


@pytest.fixture
def pg() -> Iterator[Postgres]:
    """A bench database name of this test's own; every database of that prefix dropped after."""
    server = _server()
    prefix = f"entraide_benchtest_{secrets.token_hex(4)}"
    yield Postgres(server.server_url, f"{prefix}_bench")
    for name in postgres.databases(server):
        if name.startswith(prefix):
            postgres.drop(server, name)


def _template(pg: Postgres, key: str) -> str:
    return pg.name.removesuffix("_bench") + f"_seed_{key}"


def _prefix(pg: Postgres) -> str:
    return pg.name.removesuffix("_bench") + "_seed_"


class Seeder:
    """Fills a database as the community seed would, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, target: Postgres) -> str:
        self.calls.append(target.name)
        with target.connect(target.name) as connection:
            connection.execute("CREATE TABLE community_post (id integer PRIMARY KEY)")
            connection.execute("INSERT INTO community_post VALUES (1), (2), (3)")
        return "three posts"


def test_template_seeded_once_then_copied(pg: Postgres) -> None:
    template, seeder = _template(pg, "aaa"), Seeder()

    assert postgres.ensure_template(pg, template, seeder, _prefix(pg)) == "three posts"
    assert seeder.calls == [template + postgres.PARTIAL]  # seeded under another name, then renamed
    assert template in postgres.databases(pg)
    assert template + postgres.PARTIAL not in postgres.databases(pg)

    postgres.create(pg, pg.name, template)
    assert postgres.count_rows(pg, "community_post") == 3

    # The next run: the template is there, nothing seeded; the bench database made afresh.
    with pg.connect(pg.name) as connection:
        connection.execute("INSERT INTO community_post VALUES (4)")  # a reply posted by the last run
    assert postgres.ensure_template(pg, template, seeder, _prefix(pg)) is None
    postgres.create(pg, pg.name, template)
    assert seeder.calls == [template + postgres.PARTIAL]
    assert postgres.count_rows(pg, "community_post") == 3


def test_a_seed_leaving_a_connection_open_leaves_no_template(pg: Postgres) -> None:
    template, leaked = _template(pg, "aaa"), []

    def leaky(target: Postgres) -> str:
        Seeder()(target)
        leaked.append(target.connect(target.name))  # still open when the template is made
        return "leaky"

    with pytest.raises(psycopg.errors.ObjectInUse):
        postgres.ensure_template(pg, template, leaky, _prefix(pg))
    names = postgres.databases(pg)
    assert template not in names
    assert template + postgres.PARTIAL not in names  # dropped, its session closed by force
    assert _is_dead(leaked[0])
    leaked[0].close()


def _is_dead(connection: psycopg.Connection[Any]) -> bool:
    try:
        connection.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


def test_a_new_key_drops_the_stale_templates_of_its_prefix_only(pg: Postgres) -> None:
    old, new, other = _template(pg, "old"), _template(pg, "new"), pg.name.removesuffix("_bench") + "_x"
    postgres.create(pg, other)
    postgres.ensure_template(pg, old, Seeder(), _prefix(pg))

    postgres.ensure_template(pg, new, Seeder(), _prefix(pg))

    names = postgres.databases(pg)
    assert new in names
    assert old not in names
    assert other in names


def test_create_replaces_a_database_a_server_is_still_connected_to(pg: Postgres) -> None:
    postgres.create(pg, pg.name)
    left_running = pg.connect(pg.name)
    left_running.execute("CREATE TABLE community_post (id integer)")

    postgres.create(pg, pg.name)

    with pg.connect(pg.name) as connection:
        tables = connection.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'community_post'")
        assert tables.fetchone() == (0,)
    assert _is_dead(left_running)
    left_running.close()


def _wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


def test_connection_watch_reports_the_peak_of_sessions(pg: Postgres) -> None:
    postgres.create(pg, pg.name)
    watch = ConnectionWatch(pg, every_s=0.02)

    with watch.watching():
        opened = [pg.connect(pg.name) for _ in range(3)]
        seen = watch.samples
        _wait_for(lambda: watch.samples >= seen + 2)  # sampled at least once with all three open
        for connection in opened:
            connection.close()
        with pg.connect() as admin:
            _wait_for(lambda: postgres.sessions(admin, pg.name) == 0)
        closed_at = watch.samples
        _wait_for(lambda: watch.samples >= closed_at + 2)

    assert watch.peak == 3  # the watcher's own connection is to another database
    with watch.watching():
        _wait_for(lambda: watch.samples >= 2)
    assert watch.peak == 0  # each block starts again from zero


def test_seed_key_follows_the_files(tmp_path: Path) -> None:
    migration = tmp_path / "0001_initial.py"
    migration.write_text("operations = []\n")
    before = postgres.seed_key([migration])

    assert postgres.seed_key([migration]) == before
    migration.write_text("operations = ['a new field']\n")
    assert postgres.seed_key([migration]) != before
    assert len(postgres.seed_key()) == 12  # the project's own migrations and seed module


def test_from_env_reads_the_server_and_the_database_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(postgres.URL_VARIABLE, "postgres://bench:pw@db.example:5433/mybench")
    pg = Postgres.from_env()
    assert pg.name == "mybench"
    assert pg.url() == "postgres://bench:pw@db.example:5433/mybench"
    assert pg.url("postgres") == "postgres://bench:pw@db.example:5433/postgres"

    monkeypatch.delenv(postgres.URL_VARIABLE)
    assert Postgres.from_env().url() == "postgres://postgres@127.0.0.1:5432/entraide_bench"


@pytest.mark.parametrize("name", ["entraide_bench; DROP DATABASE x", "entraide-bench", "é", "a" * 64])
def test_only_plain_database_names_are_accepted(name: str) -> None:
    with pytest.raises(ValueError, match="not a database name"):
        postgres._identifier(name)
