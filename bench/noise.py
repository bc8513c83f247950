"""How much of the machine other processes used while a scenario ran.

The machine is shared: a test suite running next to the benchmark inflates latencies, heavy pages
more than the baseline, so ratios drift. The load average cannot tell: the benchmark itself keeps
both CPUs busy. So the CPU time of the whole machine (/proc/stat) is compared with what the server
tree, wrk and the harness used, and on PostgreSQL the database's backends serving the bench
database (outside the tree, but doing its work); the rest is someone else's.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import process_tree

TICKS = os.sysconf("SC_CLK_TCK")


def _machine_busy_s() -> float:
    """CPU seconds spent not idle, all CPUs together, since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def _cpu_s(pid: int) -> float:
    """CPU seconds of a process and its finished children; 0 when it is gone (or out of sight)."""
    try:
        rest = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in rest[11:15]) / TICKS  # utime, stime, cutime, cstime


def _tree_cpu_s(root: int) -> float:
    """CPU seconds of the tree, with its finished children: a gunicorn worker recycled
    (--max-requests) leaves its time in the master's cutime and cstime once reaped."""
    return sum(_cpu_s(pid) for pid in process_tree(root))


def _own_cpu_s() -> float:
    """This harness and its finished children (each wrk run)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Sample:
    at: float
    machine_s: float
    ours_s: float
    helpers_s: dict[int, float] = field(default_factory=dict)  # CPU seconds of each helper pid


def _no_helpers() -> Collection[int]:
    return ()


class CpuWatch:
    """`start()` before a scenario, `others_share()` after: the share of all CPUs used by others.
    ``helpers`` gives the pids of processes outside the tree that work for it (the PostgreSQL
    backends of the bench database); one first seen at the end counts from its start (a new
    connection), one gone by then counts for nothing (its last seconds are lost: little)."""

    def __init__(self, server_pid: int, helpers: Callable[[], Collection[int]] = _no_helpers) -> None:
        self.server_pid = server_pid
        self.helpers = helpers
        self.cpus = len(os.sched_getaffinity(0))
        self.first = self._sample()

    def _sample(self) -> Sample:
        return Sample(
            time.monotonic(),
            _machine_busy_s(),
            _tree_cpu_s(self.server_pid) + _own_cpu_s(),
            {pid: _cpu_s(pid) for pid in self.helpers()},
        )

    def start(self) -> None:
        self.first = self._sample()

    def others_share(self) -> float:
        last = self._sample()
        elapsed = last.at - self.first.at
        if elapsed <= 0:
            return 0.0
        helpers = sum(cpu - self.first.helpers_s.get(pid, 0.0) for pid, cpu in last.helpers_s.items())
        others = (last.machine_s - self.first.machine_s) - (last.ours_s - self.first.ours_s) - helpers
        # Clock ticks round: an idle machine may come out slightly negative.
        return max(0.0, others / (elapsed * self.cpus))
