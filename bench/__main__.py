"""`python -m bench [--quick] [--only WORDS] [--json PATH] [--database sqlite|postgres]`: run every
scenario against a real server, then report.

Exit status: 0 when every budget holds, 1 when one is over or a request failed, 2 when the harness
itself could not run.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from bench import postgres, report
from bench.load import Request, measure
from bench.memory import measure_tree
from bench.noise import CpuWatch
from bench.postgres import TEMPLATE_PREFIX, ConnectionWatch, Postgres, backend_pids
from bench.results import POSTGRES, SQLITE, Plan, Results, ScenarioResult
from bench.scenarios import BASELINE, SCENARIOS, Scenario, seed_community, seed_community_template
from bench.server import Server, count_rows, running_server
from bench.weight import weigh_pages

SERVER_ERRORS_SHOWN = 3  # per scenario: the first ones say what went wrong
LATEST = Path(__file__).with_name("results") / "latest.json"
FULL = Plan("full", warmup_s=5, run_s=20, runs=3, idle_s=60)
QUICK = Plan("quick", warmup_s=1, run_s=5, runs=1, idle_s=5)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="one 5 s run per scenario, 5 s idle: a smoke run"
    )
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help=f"also write the results there (always: {LATEST})"
    )
    parser.add_argument(
        "--only",
        metavar="WORDS",
        help="only the scenarios whose name holds one of these comma-separated words "
        "(and the baseline, which every ratio needs): while working on a page; "
        "'load' runs the open-loop load scenario with 2,000 members instead (bench/open_load.py)",
    )
    parser.add_argument(
        "--database",
        choices=[SQLITE, POSTGRES],
        default=SQLITE,
        help="sqlite (default: a fresh file, as a default install) or postgres: a fresh database "
        "on the server ENTRAIDE_BENCH_PG_URL names (default postgres://postgres@127.0.0.1:5432/), "
        "the community copied from a seed template (bench/postgres.py)",
    )
    return parser.parse_args(argv)


def chosen(only: str | None) -> list[Scenario]:
    if not only:
        return list(SCENARIOS)
    words = [w.strip().lower() for w in only.split(",") if w.strip()]
    picked = [s for s in SCENARIOS if s.name == BASELINE or any(w in s.name.lower() for w in words)]
    # A scenario compared with another brings it along (Scenario.relative_to).
    siblings = {s.relative_to for s in picked if s.relative_to}
    picked = [s for s in SCENARIOS if s in picked or s.name in siblings]
    if len(picked) == 1:
        raise SystemExit(f"bench: no scenario matches {only!r}")
    return picked


def plan_for(quick: bool) -> Plan:
    plan = QUICK if quick else FULL
    idle = os.environ.get("ENTRAIDE_BENCH_IDLE")
    return dataclasses.replace(plan, idle_s=int(idle)) if idle else plan


def progress(message: str) -> None:
    """Progress goes to stderr, so that stdout holds only the report."""
    print(f"… {message}", file=sys.stderr, flush=True)


def status_of(url: str, headers: dict[str, str]) -> int:
    """The page's own status, redirects not followed: a 302 to the login page is not a page."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


@dataclasses.dataclass(frozen=True)
class Target:
    scenario: Scenario
    url: str
    headers: dict[str, str]
    request: Request


BODY_VALUE = "X-Bench-"  # A header that fills a "{name}" in the body (HeadersSpec); never sent.


def resolve(server: Server, scenarios: list[Scenario]) -> list[Target]:
    targets = []
    for s in scenarios:
        headers = s.request_headers(server.base_url, server.data_dir)
        body = s.body
        for name in [h for h in headers if h.startswith(BODY_VALUE)]:
            body = body.replace("{" + name.removeprefix(BODY_VALUE).lower() + "}", headers.pop(name))
        request = Request(method=s.method, body=body, ok_statuses=s.ok_statuses)
        if s.connections:
            request = dataclasses.replace(request, connections=s.connections)
        targets.append(Target(s, server.base_url + s.resolve(server.base_url), headers, request))
    return targets


def prepare(server: Server, results: Results, scenarios: list[Scenario]) -> None:
    """The scenarios' data, before anyone logs in; each distinct note is reported once."""
    for s in scenarios:
        if s.prepare:
            progress(f"preparing data for {s.name}")
            note = s.prepare(server.data_dir)
            if note not in results.setup:
                results.setup.append(note)
                report.setup_line(note)


def note(results: Results, line: str) -> None:
    results.setup.append(line)
    report.setup_line(line)


@contextmanager
def fresh_postgres(results: Results, scenarios: list[Scenario]) -> Iterator[Postgres]:
    """The bench database, made afresh and dropped after the run: a copy of the community's seed
    template when a scenario needs the community (the template seeded first if missing), else
    empty. The bench person's rows are made later, as on SQLite (Scenario.prepare)."""
    pg = Postgres.from_env()
    results.database_detail = pg.describe()
    started = time.monotonic()
    if any(s.prepare is seed_community for s in scenarios):
        template = TEMPLATE_PREFIX + postgres.seed_key()
        progress(f"seed template {template} (seeded first if missing: a few minutes)")
        seeded = postgres.ensure_template(pg, template, seed_community_template)
        if seeded:
            note(results, f"seed template {template}: {seeded}")
        postgres.create(pg, pg.name, template)
        how = f"copied from the seed template {template}"
    else:
        postgres.create(pg, pg.name)
        how = "empty"
    note(results, f"database {pg.name} {how} in {time.monotonic() - started:.1f} s")
    try:
        yield pg
    finally:
        postgres.drop(pg, pg.name)


def _no_pids() -> list[int]:
    return []


def run(plan: Plan, scenarios: list[Scenario] = SCENARIOS, database: str = SQLITE) -> Results:
    results = Results.start(plan, database)
    report.header(results)
    with fresh_postgres(results, scenarios) if database == POSTGRES else nullcontext() as pg:
        return _run(results, plan, scenarios, pg)


def _run(results: Results, plan: Plan, scenarios: list[Scenario], pg: Postgres | None) -> Results:
    progress("starting entraide serve (keys, migrations, static files)")
    with running_server(postgres=pg) as server:
        report.server_line(server.base_url, results.database_detail)
        prepare(server, results, scenarios)
        targets = resolve(server, scenarios)
        for target in targets:
            status = status_of(target.url, target.headers)
            results.scenarios.append(ScenarioResult.of(target.scenario, target.url, status))
        pages = [(t.url, t.headers) for t in targets if t.scenario.weigh]
        progress(f"page weight of {len(pages)} pages in chromium")
        results.record_weights(weigh_pages(pages))
        for target, result in zip(targets, results.scenarios, strict=True):
            if not target.scenario.weigh:
                result.weight = None  # another scenario may weigh the same URL (logged out)
        watch = CpuWatch(server.process.pid, partial(backend_pids, pg) if pg else _no_pids)
        db_watch = ConnectionWatch(pg) if pg else None
        for target, result in zip(targets, results.scenarios, strict=True):
            progress(f"load {target.scenario.name}: {plan.describe()}")
            boots, logged = server.worker_boots, len(server.errors)
            watch.start()
            table = target.scenario.rows
            rows_before = count_rows(server.data_dir, table) if table else 0
            with db_watch.watching() if db_watch else nullcontext():
                result.load = measure(
                    target.url, target.headers, plan.warmup_s, plan.run_s, plan.runs, target.request
                )
            result.db_connections = db_watch.peak if db_watch else None
            result.others_cpu = watch.others_share()
            result.worker_boots = server.worker_boots - boots
            result.server_errors = server.errors[logged:][:SERVER_ERRORS_SHOWN]
            if table:
                time.sleep(1)  # The requests still in flight when wrk stopped finish.
                result.rows_added = count_rows(server.data_dir, table) - rows_before
        progress(f"idle {plan.idle_s} s before measuring memory")
        time.sleep(plan.idle_s)
        if server.process.poll() is not None:
            raise RuntimeError(f"entraide serve exited during the run:\n{server.log_tail()}")
        processes = measure_tree(server.process.pid)
    results.finish(processes)
    return results


def write_json(results: Results, paths: list[Path]) -> None:
    text = json.dumps(dataclasses.asdict(results), indent=2) + "\n"
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        progress(f"results written to {path}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.only and "load" in [w.strip().lower() for w in args.only.split(",")]:
        from bench import open_load  # its own server and data: 2,000 members, open-loop traffic

        return open_load.main(duration_s=35 if args.quick else open_load.DURATION_S)
    try:
        results = run(plan_for(args.quick), chosen(args.only), args.database)
    except Exception:  # Whatever broke, the server is stopped and the cause printed.
        traceback.print_exc()
        print("\nbench: the harness could not complete (see above).", file=sys.stderr)
        return 2
    report.body(results)
    # A partial run (--only) never replaces the full run's results.
    write_json(results, ([] if args.only else [LATEST]) + ([args.json] if args.json else []))
    return 0 if results.all_ok() else 1


if __name__ == "__main__":
    sys.exit(main())
