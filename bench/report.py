"""The human-readable report, on stdout; the JSON file holds the same figures and every run."""

from __future__ import annotations

from urllib.parse import urlparse

from bench.load import CONNECTIONS, THREADS
from bench.results import NONE, OVER, SQLITE_DETAIL, Results, ScenarioResult
from bench.scenarios import ACCEPT_LANGUAGE, KB, MB, PAGE_WEIGHT_BUDGET, PSS_BUDGET
from bench.server import WORKERS

# Above this 1-minute load average at the start, something else competes for the CPUs.
BUSY_LOAD = 0.5


def header(results: Results) -> None:
    plan, facts = results.plan, results.machine
    print(
        f"entraide benchmark ({plan.mode}): per scenario {plan.describe()}; {plan.idle_s} s idle before memory"
    )
    print(f"date {facts['date']}  nproc {facts['nproc']}  python {facts['python']}  {facts['system']}")
    print(f"cpu {facts['cpu']}  load average {facts['loadavg']}  commit {facts['commit']}")
    if float(facts["loadavg"].split()[0]) > BUSY_LOAD:
        print(
            "WARNING: the machine is busy before the run starts: latencies will be noisy, ratios unreliable"
        )
    print("rate limits: off (bench/settings.py), so the load measures pages, not throttling")
    print(f"load: wrk -t{THREADS} -c{CONNECTIONS} --latency, header Accept-Language: {ACCEPT_LANGUAGE}")


def server_line(base_url: str, database: str = SQLITE_DETAIL) -> None:
    print(f"server: entraide serve --workers {WORKERS} at {base_url} ({database})", flush=True)


def setup_line(note: str) -> None:
    print(f"data: {note}", flush=True)


def body(results: Results) -> None:
    print()
    load_table(results)
    relative_lines(results)
    print()
    weight_table(results)
    print()
    memory_table(results)
    print()
    summary(results)


def _path(url: str) -> str:
    return urlparse(url).path


def _ratio(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else NONE


def _count(value: int | None) -> str:
    return str(value) if value is not None else NONE


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else NONE


def _budgets(r: ScenarioResult) -> str:
    """E.g. "ok p95<3x": each latency budget the scenario has, with its verdict."""
    found = []
    if r.p50_budget_ratio is not None:
        found.append(f"{r.p50_verdict} p50<{r.p50_budget_ratio:g}x")
    if r.p95_budget_ratio is not None:
        found.append(f"{r.p95_verdict} p95<{r.p95_budget_ratio:g}x")
    return ", ".join(found) or NONE


def relative_lines(results: Results) -> None:
    """The scenarios compared with another of the same run (Scenario.relative_to)."""
    for r in results.scenarios:
        if r.relative_to is None:
            continue
        ratio = (
            f"{r.relative_ratio:.2f}x" if r.relative_ratio is not None else "not measured (it did not run)"
        )
        budget = (
            f" (budget <{r.relative_budget_ratio:g}x: {r.relative_verdict})"
            if r.relative_budget_ratio
            else ""
        )
        print(f"{r.name}: p95 is {ratio} the p95 of {r.relative_to}{budget}")


def load_table(results: Results) -> None:
    runs = results.plan.runs
    print(
        f"Load (median of {runs} run{'s' if runs > 1 else ''} of {results.plan.run_s} s; "
        "budgets: a multiple of the baseline's p50 or p95)"
    )
    print(
        f"{'scenario':<20} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'p50/base':>8} {'p95/base':>8} "
        f"{'budget':>12} {'errors':>6} {'recycled':>8} {'others':>6} {'conns':>5} {'db conns':>8}  "
        f"{'p95 ms per run':<20} path"
    )
    for r in results.scenarios:
        if r.load is None:
            continue
        per_run = " ".join(f"{run.p95_ms:.2f}" for run in r.load.runs)
        print(
            f"{r.name:<20} {r.load.p50_ms:>7.2f} {r.load.p95_ms:>7.2f} {r.load.rps:>7.1f} "
            f"{_ratio(r.p50_ratio):>8} {_ratio(r.p95_ratio):>8} {_budgets(r):>12} "
            f"{r.load.errors:>6} {r.worker_boots:>8} {_share(r.others_cpu):>6} {r.connections:>5} "
            f"{_count(r.db_connections):>8}  {per_run:<20} {_path(r.url)}"
        )
    print("recycled: gunicorn workers restarted (--max-requests) during the scenario, warm-up included")
    print("others: share of all CPUs used by other processes meanwhile (not the server, wrk or the harness)")
    print(
        "conns: wrk's client connections; db conns: the most server-side connections to the bench "
        f"database seen during the load, warm-up included (PostgreSQL only; {NONE} on SQLite)"
    )
    for r in results.scenarios:
        if r.rows_table and r.load:
            print(
                f"{r.name}: {r.load.requests} requests answered (warm-up included), "
                f"{r.rows_added} rows added to {r.rows_table}: "
                f"{'one per request' if r.rows_match() else 'NOT one per request'}"
            )


def _tight_budget(r: ScenarioResult) -> str:
    return f"{r.tight_weight_verdict} <={r.weight_budget / KB:g} KB" if r.weight_budget else NONE


def weight_table(results: Results) -> None:
    print("Page weight (first visit in chromium: all resources, compressed, cold cache; 1 KB = 1000 bytes)")
    print(
        f"{'page':<20} {'KB':>7} {'bytes':>7} {'requests':>8} {'other hosts':>11} "
        f"{f'<{PAGE_WEIGHT_BUDGET / KB:g} KB':>8} {'own budget':>12}  path"
    )
    for r in results.scenarios:
        w = r.weight
        if w is None:
            continue
        landed = "" if w.final_path == _path(r.url) else f"  NOT THE PAGE: ended on {w.final_path}"
        print(
            f"{r.name:<20} {w.bytes / KB:>7.1f} {w.bytes:>7} {w.requests:>8} {len(w.other_hosts):>11} "
            f"{r.weight_verdict:>8} {_tight_budget(r):>12}  {_path(r.url)}{landed}"
        )


def memory_table(results: Results) -> None:
    memory = results.memory
    if memory is None:
        return
    print(
        f"Memory of the entraide serve tree after {results.plan.idle_s} s idle (smaps_rollup; 1 MB = 10^6 bytes)"
    )
    print(f"{'pid':>8} {'ppid':>8}  {'command':<28} {'PSS MB':>7} {'RSS MB':>7}")
    for p in memory.processes:
        print(
            f"{p.pid:>8} {p.ppid:>8}  {p.command:<28} {p.pss_kib * 1024 / MB:>7.1f} {p.rss_kib * 1024 / MB:>7.1f}"
        )
    total = f"total ({len(memory.processes)} processes)"
    print(
        f"{total:<47} {memory.pss_bytes / MB:>7.1f} {memory.rss_bytes / MB:>7.1f}  "
        f"PSS <{PSS_BUDGET / MB:g} MB: {memory.verdict}"
    )


def summary(results: Results) -> None:
    over = results.verdicts().count(OVER)
    failures = results.failures()
    print(
        f"budgets: {'all ok' if not over else f'{over} OVER'}; "
        f"requests: {'all as expected, no third party' if not failures else f'{len(failures)} problem(s)'}; "
        f"took {results.duration_s:.0f} s"
    )
    for failure in failures:
        print(f"  PROBLEM {failure}")
    noisy = results.noisy()
    if noisy:
        worst = max(noisy, key=lambda r: r.others_cpu or 0.0)
        print(
            f"WARNING: other processes used the machine during {len(noisy)} scenario(s), up to "
            f"{_share(worst.others_cpu)} of the CPUs ({worst.name}): latencies inflated, ratios unreliable"
        )
