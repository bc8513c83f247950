"""The results of a run and the budgets they are judged by; `asdict` turns them into the JSON file."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field

from bench.load import LoadResult
from bench.memory import ProcessMemory
from bench.scenarios import KB, MB, PAGE_WEIGHT_BUDGET, PSS_BUDGET, Scenario
from bench.weight import PageWeight

OK, OVER, NONE = "ok", "OVER", "-"


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
    load: LoadResult | None = None
    worker_boots: int = 0  # gunicorn workers recycled during this scenario's load, warm-up included.
    p95_ratio: float | None = None  # p95 over the baseline's p95, measured in the same run.
    p95_verdict: str = NONE
    weight: PageWeight | None = None
    weight_verdict: str = NONE  # Under PAGE_WEIGHT_BUDGET.
    tight_weight_verdict: str = NONE  # Within the scenario's own weight_budget.

    @classmethod
    def of(cls, scenario: Scenario, url: str, status: int) -> ScenarioResult:
        return cls(scenario.name, url, status, scenario.p95_budget_ratio, scenario.weight_budget)

    def judge(self, baseline_p95_ms: float) -> None:
        if self.load and baseline_p95_ms:
            self.p95_ratio = self.load.p95_ms / baseline_p95_ms
            if self.p95_budget_ratio is not None:
                self.p95_verdict = verdict(self.p95_ratio < self.p95_budget_ratio)
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
            found.append(f"{self.name}: {self.load.errors} errors under load (non-2xx or socket)")
        if self.weight and self.weight.status != 200:
            found.append(f"{self.name}: status {self.weight.status} in the browser")
        if self.weight and self.weight.failed:
            found.append(f"{self.name}: failed requests in the browser: {', '.join(self.weight.failed)}")
        if self.weight and self.weight.other_hosts:
            found.append(f"{self.name}: requests to other hosts: {', '.join(self.weight.other_hosts)}")
        return found


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
    duration_s: float = 0.0
    started: float = 0.0  # time.monotonic() at the start.

    @classmethod
    def start(cls, plan: Plan) -> Results:
        budgets = {"page_weight_kb": PAGE_WEIGHT_BUDGET / KB, "pss_mb": PSS_BUDGET / MB}
        return cls(plan, machine_facts(), budgets, started=time.monotonic())

    def record_weights(self, weights: list[PageWeight]) -> None:
        by_url = {w.url: w for w in weights}
        for result in self.scenarios:
            result.weight = by_url.get(result.url)

    def finish(self, processes: list[ProcessMemory]) -> None:
        self.memory = Memory.of(processes)
        baseline = self.scenarios[0].load
        for result in self.scenarios:
            result.judge(baseline.p95_ms if baseline else 0.0)
        self.duration_s = time.monotonic() - self.started

    def failures(self) -> list[str]:
        return [failure for result in self.scenarios for failure in result.failures()]

    def verdicts(self) -> list[str]:
        found = [r.p95_verdict for r in self.scenarios]
        found += [r.weight_verdict for r in self.scenarios] + [r.tight_weight_verdict for r in self.scenarios]
        return found + ([self.memory.verdict] if self.memory else [])

    def all_ok(self) -> bool:
        return not self.failures() and OVER not in self.verdicts()
