"""Load a URL with wrk and read the numbers bench/wrk.lua prints."""

from __future__ import annotations

import os
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

WRK = "/usr/bin/wrk"
LUA = Path(__file__).with_name("wrk.lua")
# Two connections on one thread: two sync workers stay busy without a queue building up, so
# the latency measured is the page's, not the time spent waiting for a free worker.
THREADS, CONNECTIONS = 1, 2

WRK_TIMEOUT_S = 10


@dataclass(frozen=True)
class Run:
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    duration_s: float
    rps: float
    errors: int  # Socket errors plus failed responses (non-2xx, or not in ok_statuses).
    failed_statuses: dict[str, int] = field(default_factory=dict)  # Status of failed responses: count.


@dataclass(frozen=True)
class LoadResult:
    runs: list[Run]
    p50_ms: float  # Medians over the runs.
    p95_ms: float
    rps: float
    errors: int  # Summed over the runs.
    warmup_requests: int = 0  # Requests of the discarded warm-up: a POST's rows count them too.

    @property
    def requests(self) -> int:
        """Every request answered, warm-up included."""
        return self.warmup_requests + sum(r.requests for r in self.runs)


@dataclass(frozen=True)
class Request:
    """What wrk sends: GET by default; a POST carries a form body. When ``ok_statuses`` is set,
    only those statuses count as success (bench/wrk.lua)."""

    method: str = "GET"
    body: str = ""
    ok_statuses: tuple[int, ...] = ()
    connections: int = CONNECTIONS  # more to measure throughput under a queue (the scenario says)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "BENCH_METHOD": self.method,
            "BENCH_BODY": self.body,
            "BENCH_OK": " ".join(map(str, self.ok_statuses)),
        }


def wrk(url: str, seconds: int, headers: dict[str, str], request: Request = Request()) -> Run:
    # wrk drops answers slower than its 2 s default as socket errors, which would cap p95 under a
    # queue of 16 connections on a slow machine: a slow answer must count as slow.
    command = [
        WRK,
        f"-t{THREADS}",
        f"-c{request.connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT_S}s",
        "--latency",
        "-s",
        str(LUA),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    # wrk stops by itself after -d; the margin covers start-up and a server that hangs.
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False, env=request.env()
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}) on {url}:\n{done.stderr}{done.stdout}")
    return _parse(done.stdout, url)


def _parse(output: str, url: str) -> Run:
    values: dict[str, int] = {}
    for line in output.splitlines():
        key, _, value = line.partition(" ")
        if key.startswith("bench."):
            values[key.removeprefix("bench.")] = int(value)
    try:
        duration_s = values["duration_us"] / 1e6
        return Run(
            p50_ms=values["p50_us"] / 1000,
            p95_ms=values["p95_us"] / 1000,
            p99_ms=values["p99_us"] / 1000,
            requests=values["requests"],
            duration_s=duration_s,
            rps=values["requests"] / duration_s if duration_s else 0.0,
            errors=values["non2xx"] + values["socket_errors"],
            failed_statuses={
                key.removeprefix("failed_"): count
                for key, count in values.items()
                if key.startswith("failed_")
            },
        )
    except KeyError as missing:
        raise RuntimeError(f"wrk printed no {missing} for {url}:\n{output}") from None


def measure(
    url: str,
    headers: dict[str, str],
    warmup_s: int,
    run_s: int,
    runs: int,
    request: Request = Request(),
) -> LoadResult:
    """A warm-up (templates compiled, caches filled, discarded), then the median of the runs."""
    warmup = wrk(url, warmup_s, headers, request)
    done = [wrk(url, run_s, headers, request) for _ in range(runs)]
    return LoadResult(
        runs=done,
        p50_ms=statistics.median(r.p50_ms for r in done),
        p95_ms=statistics.median(r.p95_ms for r in done),
        rps=statistics.median(r.rps for r in done),
        errors=sum(r.errors for r in done),
        warmup_requests=warmup.requests,
    )
