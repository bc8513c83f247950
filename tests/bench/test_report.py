"""The report and the results say which database ran, and the connections of each scenario."""

from __future__ import annotations

import dataclasses

import pytest

from bench import report
from bench.load import LoadResult, Run
from bench.results import NONE, POSTGRES, SQLITE, Plan, Results, ScenarioResult
from bench.scenarios import Scenario

PLAN = Plan("quick", warmup_s=1, run_s=5, runs=1, idle_s=5)


def _result(scenario: Scenario, db_connections: int | None) -> ScenarioResult:
    result = ScenarioResult.of(scenario, "http://127.0.0.1:1/communaute/", 200)
    run = Run(p50_ms=10.0, p95_ms=20.0, p99_ms=30.0, requests=500, duration_s=5.0, rps=100.0, errors=0)
    result.load = LoadResult(runs=[run], p50_ms=10.0, p95_ms=20.0, rps=100.0, errors=0)
    result.db_connections = db_connections
    return result


@pytest.mark.parametrize(("database", "db_connections", "shown"), [(SQLITE, None, NONE), (POSTGRES, 3, "3")])
def test_the_load_table_gives_client_and_database_connections(
    database: str, db_connections: int | None, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    results = Results.start(PLAN, database)
    scenario = Scenario("community topic list", "/communaute/", connections=16)
    results.scenarios.append(_result(scenario, db_connections))

    report.load_table(results)

    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("community"))
    assert line.split()[-4:-2] == ["16", shown]  # conns, db conns; then p95 per run and the path
    assert dataclasses.asdict(results)["database"] == database
    assert dataclasses.asdict(results)["scenarios"][0]["connections"] == 16


def test_a_scenario_without_its_own_count_has_wrks_default() -> None:
    assert ScenarioResult.of(Scenario("baseline", "/"), "http://127.0.0.1:1/", 200).connections == 2
