"""Proportional memory (PSS) of the whole `entraide serve` tree, from /proc/PID/smaps_rollup.

PSS shares pages between the processes that map them: its sum over the tree is what the tree
really costs the machine, while the RSS sum counts the pages gunicorn's workers share N times.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.server import parent_pid, process_tree


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    ppid: int
    command: str
    pss_kib: int
    rss_kib: int


def _rollup(pid: int) -> dict[str, int]:
    """The kB fields of smaps_rollup ("Pss:  1234 kB"); empty when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            values[parts[0].rstrip(":")] = int(parts[1])
    return values


def _short_command(pid: int) -> str:
    """E.g. "python3 -m entraide.cli", or the name a fork of `entraide serve` gives itself
    ("entraide-web", "entraide-jobs"): a fork keeps the serve process's command line."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    if name.startswith("entraide-"):
        return name
    words = [Path(arg.decode(errors="replace")).name for arg in argv if arg][:3]
    return " ".join(words)[:40]


def measure_tree(root: int) -> list[ProcessMemory]:
    result = []
    for pid in process_tree(root):
        rollup = _rollup(pid)
        if rollup:
            command = _short_command(pid)
            result.append(
                ProcessMemory(pid, parent_pid(pid), command, rollup.get("Pss", 0), rollup.get("Rss", 0))
            )
    return result
