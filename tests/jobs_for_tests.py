"""Jobs for the job tests. They write to a file (the worker process has no test models): one line per
call, so a test can count runs and attempts."""

from __future__ import annotations

import time
from pathlib import Path

from entraide.core import jobs


def note(path: str, line: str) -> None:
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(line + "\n")


@jobs.job(max_attempts=3, first_delay=1)
def record_run(path: str, label: str) -> None:
    note(path, label)


@jobs.job(max_attempts=3, first_delay=1)
def always_fail(path: str, address: str = "") -> None:
    note(path, "attempt")
    raise RuntimeError(f"refused for {address}")  # a message that must not be stored


@jobs.job(max_attempts=3, first_delay=1)
def slow(path: str, seconds: float) -> None:
    """Sleeps on its first attempt only (a second attempt finds the first one's line)."""
    first = not Path(path).exists()
    note(path, "start")
    if first:
        time.sleep(seconds)
    note(path, "end")


@jobs.job()
def record_link_and_modules(path: str) -> None:
    """A link as an email builds it, and whether the API's libraries were imported to build it."""
    import sys

    from django.urls import reverse

    note(path, reverse("journal:today"))
    note(path, " ".join(m for m in ("ninja", "pydantic") if m in sys.modules) or "no API libraries")
