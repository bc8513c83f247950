"""`entraide worker`: run the job queue and the scheduler until stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import contextlib
import signal
import threading
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.urls import set_urlconf
from django.utils.dateparse import parse_datetime

from entraide.core import jobs

PAGES_URLCONF = "entraide.urls_pages"


class Command(BaseCommand):
    help = "Run background jobs and periodic work."
    # The URL checks would import the whole URLconf, API included (see handle); `entraide serve`
    # and `entraide check` run the checks.
    requires_system_checks: list[str] = []  # noqa: RUF012 — Django reads it from the class

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--now", help="with --once, in tests only: the clock, as an ISO 8601 instant")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between passes when idle")
        parser.add_argument("--worker-id", help="unique across the workers (default: host-pid-random)")

    def handle(
        self, *args: Any, once: bool, now: str | None, interval: float, worker_id: str | None, **options: Any
    ) -> None:
        # Jobs build links (emails, notifications) but serve no API: the pages' URLconf spares
        # `entraide worker` django-ninja and pydantic (~18 MB); the worker `entraide serve` forks
        # shares the server's copy anyway. Reset after: tests run --once in-process.
        set_urlconf(PAGES_URLCONF)
        try:
            self._handle(once=once, now=now, interval=interval, worker_id=worker_id)
        finally:
            set_urlconf(None)

    def _handle(self, *, once: bool, now: str | None, interval: float, worker_id: str | None) -> None:
        worker = jobs.Worker(worker_id)
        if now is not None:
            if not settings.ENTRAIDE_TEST_CLOCK:
                raise CommandError(
                    "--now moves the clock: it is enabled only in tests (ENTRAIDE_TEST_CLOCK)."
                )
            if not once:
                raise CommandError("--now goes with --once.")
            instant = _parse_instant(now)
            with jobs.clock_at(instant):
                ran = worker.run_once()
            self.stdout.write(f"ran {ran} job(s) at {instant.isoformat()}")
            return
        if once:
            self.stdout.write(f"ran {worker.run_once()} job(s)")
            return
        self._run_forever(worker, interval)

    def _run_forever(self, worker: jobs.Worker, interval: float) -> None:
        wake = threading.Event()

        def stop(signum: int, frame: object) -> None:
            # Finish the job at hand, then leave: an interrupted job would wait for its lease.
            worker.running = False
            wake.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker {worker.worker_id} started", ending="\n")
        self.stdout.flush()
        while worker.running:
            close_old_connections()  # as a request would: drop a connection the database closed
            try:
                ran = worker.run_once()
            except Exception:
                jobs.logger.exception("worker pass failed")
                ran = 0
            if not ran:
                wake.wait(interval)
        # Stopped, not silent: /healthz and the status page need not wait 5 minutes to know.
        with contextlib.suppress(DatabaseError):
            jobs.forget_worker(worker_id=worker.worker_id)
        self.stdout.write("worker stopped")


def _parse_instant(value: str) -> datetime:
    instant = parse_datetime(value)
    if instant is None or instant.tzinfo is None:
        raise CommandError("--now needs an ISO 8601 instant with its offset, e.g. 2026-03-29T01:00:00+00:00")
    return instant
