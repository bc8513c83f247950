"""The results of a run and the budgets they are judged by; `asdict` turns them into the JSON file."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bench.load import CONNECTIONS, LoadResult
from bench.memory import ProcessMemory
from bench.scenarios import KB, MB, PAGE_WEIGHT_BUDGET, PSS_BUDGET, Scenario
from bench.weight import PageWeight

OK, OVER, NONE = "ok", "OVER", "-"
SQLITE, POSTGRES = "sqlite", "postgres"  # `python -m bench --database`
SQLITE_DETAIL = "SQLite, fresh data directory"
# Above this share of the CPUs used by other processes during a scenario, its figures are inflated.
NOISY = 0.05


def verdict(holds: bool) -> str:
    return OK if holds else OVER


@dataclass(frozen=True)
class Plan:
    mode: str
    warmup_s: int
    run_s: int
    runs: int
    idle_s: int

    def describe(self) -> str:
        return f"{self.warmup_s} s warm-up, then {self.runs} × {self.run_s} s"


@dataclass
class ScenarioResult:
    name: str
    url: str
    status: int  # Of a single GET before the load, redirects not followed.
    p95_budget_ratio: float | None
    weight_budget: int | None
    p50_budget_ratio: float | None = None
    load: LoadResult | None = None
    worker_boots: int = 0  # gunicorn workers recycled during this scenario's load, warm-up included.
    others_cpu: float | None = None  # Share of all CPUs other processes used meanwhile (bench/noise.py).
    p95_ratio: float | None = None  # p95 over the baseline's p95, measured in the same run.
    p95_verdict: str = NONE
    p50_ratio: float | None = None  # p50 over the baseline's p50, measured in the same run.
    p50_verdict: str = NONE
    rows_table: str | None = None  # A table that must gain one row per request (Scenario.rows).
    rows_added: int | None = None  # Rows it gained during the load, warm-up included.
    server_errors: list[str] = field(default_factory=list)  # The first errors the app logged.
    weight: PageWeight | None = None
    weight_verdict: str = NONE  # Under PAGE_WEIGHT_BUDGET.
    tight_weight_verdict: str = NONE  # Within the scenario's own weight_budget.
    relative_to: str | None = None  # Scenario.relative_to: another scenario of the same run
    relative_budget_ratio: float | None = None
    relative_ratio: float | None = None  # p95 over that scenario's p95
    relative_verdict: str = NONE
    connections: int = CONNECTIONS  # wrk's client connections (Scenario.connections)
    # PostgreSQL: the most server-side connections to the bench database seen during the load,
    # warm-up included (pg_stat_activity, bench/postgres.py); None on SQLite.
    db_connections: int | None = None

    @classmethod
    def of(cls, scenario: Scenario, url: str, status: int) -> ScenarioResult:
        return cls(
            scenario.name,
            url,
            status,
            scenario.p95_budget_ratio,
            scenario.weight_budget,
            scenario.p50_budget_ratio,
            rows_table=scenario.rows,
            relative_to=scenario.relative_to,
            relative_budget_ratio=scenario.relative_p95_ratio,
            connections=scenario.connections or CONNECTIONS,
        )

    def judge_relative(self, others: list[ScenarioResult]) -> None:
        """p95 over the p95 of the scenario it is compared with, when both ran."""
        sibling = next((r for r in others if r.name == self.relative_to), None)
        if self.load is None or sibling is None or sibling.load is None or not sibling.load.p95_ms:
            return
        self.relative_ratio = self.load.p95_ms / sibling.load.p95_ms
        if self.relative_budget_ratio is not None:
            self.relative_verdict = verdict(self.relative_ratio < self.relative_budget_ratio)

    def judge(self, baseline: LoadResult | None) -> None:
        if self.load and baseline and baseline.p95_ms:
            self.p95_ratio = self.load.p95_ms / baseline.p95_ms
            if self.p95_budget_ratio is not None:
                self.p95_verdict = verdict(self.p95_ratio < self.p95_budget_ratio)
        if self.load and baseline and baseline.p50_ms:
            self.p50_ratio = self.load.p50_ms / baseline.p50_ms
            if self.p50_budget_ratio is not None:
                self.p50_verdict = verdict(self.p50_ratio < self.p50_budget_ratio)
        if self.weight:
            self.weight_verdict = verdict(self.weight.bytes < PAGE_WEIGHT_BUDGET)
            if self.weight_budget is not None:
                self.tight_weight_verdict = verdict(self.weight.bytes <= self.weight_budget)

    def failures(self) -> list[str]:
        """What went wrong besides budgets: the app answering other than 200, failed requests."""
        found = []
        if self.status != 200:
            found.append(f"{self.name}: status {self.status}")
        if self.load and self.load.errors:
            statuses: dict[str, int] = {}
            for run in self.load.runs:
                for status, count in run.failed_statuses.items():
                    statuses[status] = statuses.get(status, 0) + count
            by_status = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
            found.append(
                f"{self.name}: {self.load.errors} errors under load (unexpected status or socket)"
                + (f": {by_status}" if by_status else "")
            )
        found += [f"{self.name}: the server logged: {line}" for line in self.server_errors]
        if self.weight and self.weight.status != 200:
            found.append(f"{self.name}: status {self.weight.status} in the browser")
        if self.weight and self.weight.final_path != urlparse(self.url).path:
            found.append(
                f"{self.name}: the browser ended on {self.weight.final_path}, not the page: its weight is not the page's"
            )
        if self.rows_table and not self.rows_match():
            found.append(
                f"{self.name}: {self.rows_added} rows added to {self.rows_table} for "
                f"{self.load.requests if self.load else 0} requests: not one per request"
            )
        if self.weight and self.weight.failed:
            found.append(f"{self.name}: failed requests in the browser: {', '.join(self.weight.failed)}")
        if self.weight and self.weight.other_hosts:
            found.append(f"{self.name}: requests to other hosts: {', '.join(self.weight.other_hosts)}")
        return found

    def rows_match(self) -> bool:
        """One row per request, give or take the requests still in flight when each wrk run
        stopped (the server answered, wrk no longer counted). A reused form token adds none."""
        if self.load is None or self.rows_added is None:
            return False
        sent = self.load.requests
        in_flight = self.connections * (len(self.load.runs) + 1)
        return sent * 0.99 <= self.rows_added <= sent + in_flight


@dataclass
class Memory:
    processes: list[ProcessMemory]
    pss_bytes: int
    rss_bytes: int
    verdict: str

    @classmethod
    def of(cls, processes: list[ProcessMemory]) -> Memory:
        pss = sum(p.pss_kib for p in processes) * 1024  # smaps counts in KiB.
        rss = sum(p.rss_kib for p in processes) * 1024
        return cls(processes, pss, rss, verdict(pss < PSS_BUDGET))


def machine_facts() -> dict[str, str]:
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": str(len(os.sched_getaffinity(0))),
        # Anything else busy on the machine skews the figures: the load average says if it was.
        "loadavg": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "commit": _git_commit(),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.machine()


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "none (no commit yet)"


@dataclass
class Results:
    plan: Plan
    machine: dict[str, str]
    budgets: dict[str, float]
    scenarios: list[ScenarioResult] = field(default_factory=list)
    memory: Memory | None = None
    setup: list[str] = field(default_factory=list)  # What the scenarios' data took to prepare.
    duration_s: float = 0.0
    started: float = 0.0  # time.monotonic() at the start.
    database: str = SQLITE  # or POSTGRES (`--database`)
    database_detail: str = SQLITE_DETAIL  # e.g. "PostgreSQL 15.20, database entraide_bench"

    @classmethod
    def start(cls, plan: Plan, database: str = SQLITE) -> Results:
        budgets = {"page_weight_kb": PAGE_WEIGHT_BUDGET / KB, "pss_mb": PSS_BUDGET / MB}
        return cls(plan, machine_facts(), budgets, started=time.monotonic(), database=database)

    def record_weights(self, weights: list[PageWeight]) -> None:
        by_url = {w.url: w for w in weights}
        for result in self.scenarios:
            result.weight = by_url.get(result.url)

    def finish(self, processes: list[ProcessMemory]) -> None:
        self.memory = Memory.of(processes)
        baseline = self.scenarios[0].load
        for result in self.scenarios:
            result.judge(baseline)
            result.judge_relative(self.scenarios)
        self.duration_s = time.monotonic() - self.started

    def failures(self) -> list[str]:
        return [failure for result in self.scenarios for failure in result.failures()]

    def noisy(self) -> list[ScenarioResult]:
        """Scenarios during which other processes used the machine noticeably."""
        return [r for r in self.scenarios if r.others_cpu is not None and r.others_cpu > NOISY]

    def verdicts(self) -> list[str]:
        found = [r.p95_verdict for r in self.scenarios] + [r.p50_verdict for r in self.scenarios]
        found += [r.relative_verdict for r in self.scenarios]
        found += [r.weight_verdict for r in self.scenarios] + [r.tight_weight_verdict for r in self.scenarios]
        return found + ([self.memory.verdict] if self.memory else [])

    def all_ok(self) -> bool:
        return not self.failures() and OVER not in self.verdicts()
