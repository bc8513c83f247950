"""The real `entraide worker` process against the test database (SQLite file or PostgreSQL): jobs run
once, failures are retried with backoff then recorded, a killed worker's job runs again after its
lease, concurrent workers and schedulers never duplicate work, and mail reaches a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from entraide.core import jobs, mail
from entraide.core.models import OutgoingMail, ScheduledRun, WorkerHeartbeat
from entraide.core.tasks import housekeeping
from tests import jobs_for_tests
from tests.processes import ENTRAIDE, kill_group, process_env
from tests.smtp import SMTPRecorder
from tests.workers import start_worker, worker_env, worker_once

pytestmark = [pytest.mark.serve, pytest.mark.django_db(transaction=True)]


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def wait_until(condition, timeout: float = 60, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_job_runs_once(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.record_run, str(out), "once")
    worker_once(data_dir)
    worker_once(data_dir)
    assert lines(out) == ["once"]
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 1


def test_the_worker_builds_links_without_loading_the_api(data_dir: Path, tmp_path: Path) -> None:
    """The worker serves no API: its URLconf spares it django-ninja and pydantic (~18 MB)."""
    out = tmp_path / "runs"
    jobs.enqueue(jobs_for_tests.record_link_and_modules, str(out))
    worker_once(data_dir)
    assert lines(out) == ["/journal/", "no API libraries"]


def test_a_failing_job_is_retried_with_backoff_then_recorded_as_failed(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.always_fail, str(out), "someone@example.org")
    start = datetime.now(UTC)
    worker_once(data_dir, start)
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.READY and row.run_after > start + timedelta(seconds=0.9)
    worker_once(data_dir, start + timedelta(seconds=0.5))  # before its backoff: nothing
    assert len(lines(out)) == 1
    worker_once(data_dir, start + timedelta(seconds=1.3))
    worker_once(data_dir, start + timedelta(seconds=5))
    row.refresh_from_db()
    assert len(lines(out)) == 3
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "builtins.RuntimeError"
    assert "someone@example.org" not in row.traceback


def test_a_job_whose_worker_is_killed_runs_again_after_the_lease(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.slow, str(out), 60)
    worker = start_worker(data_dir, ENTRAIDE_JOB_LEASE_SECONDS="2")
    try:
        wait_until(lambda: lines(out) == ["start"], what="the job to start")
        os.killpg(worker.pid, signal.SIGKILL)  # mid-run: no chance to record anything
        worker.wait()
    finally:
        kill_group(worker)
    assert DBTaskResult.objects.get(id=job_id).status == TaskResultStatus.RUNNING
    # Within the lease: left alone. A lease of an hour, so that a slow start of the worker on a
    # busy machine cannot let it run out (with 2 s it did, once).
    worker_once(data_dir, ENTRAIDE_JOB_LEASE_SECONDS="3600")
    assert DBTaskResult.objects.get(id=job_id).status == TaskResultStatus.RUNNING
    time.sleep(1.1)  # a lower bound only: past the 1 s lease below, however slow the machine
    worker_once(data_dir, ENTRAIDE_JOB_LEASE_SECONDS="1")
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 2
    assert lines(out) == ["start", "start", "end"]  # the second attempt does not sleep


def test_two_workers_and_two_schedulers_never_duplicate_work(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "runs"
    labels = [f"job-{i}" for i in range(40)]
    workers = [start_worker(data_dir), start_worker(data_dir)]
    try:
        # Both running (a heartbeat each) before the jobs arrive, so that they compete for them.
        wait_until(lambda: WorkerHeartbeat.objects.count() == 2, what="two workers")
        for label in labels:
            jobs.enqueue(jobs_for_tests.record_run, str(out), label)
        wait_until(
            lambda: (
                DBTaskResult.objects.filter(
                    status=TaskResultStatus.SUCCESSFUL, task_path=jobs_for_tests.record_run.module_path
                ).count()
                == 40
            ),
            what="40 jobs",
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            finally:
                kill_group(worker)
    assert sorted(lines(out)) == sorted(labels)  # each exactly once
    outputs = [w.stdout.read() if w.stdout else "" for w in workers]
    assert all("worker stopped" in o for o in outputs), outputs  # SIGTERM: a clean stop

    # Two schedulers racing on the same due times: each enqueued once, each run once.
    # (Later hours than now: housekeeping itself forgets scheduler marks older than a week.)
    next_hour = datetime.now(UTC).replace(minute=0, second=30, microsecond=0)
    due_times = [next_hour + timedelta(hours=h) for h in (1, 2, 3)]
    for at in due_times:
        racers = [
            subprocess.Popen(
                [*ENTRAIDE, "manage", "worker", "--once", "--now", at.isoformat()],
                env=process_env(data_dir, **worker_env()),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for racer in racers:
            assert racer.wait(timeout=60) == 0, racer.stderr.read() if racer.stderr else ""
    due = [t.replace(second=0) for t in due_times]
    assert ScheduledRun.objects.filter(name="core.housekeeping", due_at__in=due).count() == 3
    wanted = {t.isoformat() for t in due}
    done = [
        r
        for r in DBTaskResult.objects.filter(task_path=housekeeping.module_path)
        if r.args_kwargs["args"][0] in wanted
    ]
    assert len(done) == 3
    assert all(r.status == TaskResultStatus.SUCCESSFUL and len(r.worker_ids) == 1 for r in done), [
        (r.status, r.worker_ids, r.exception_class_path) for r in done
    ]


def test_mail_reaches_a_real_smtp_server_through_the_queue(data_dir: Path, smtp_server: SMTPRecorder) -> None:
    queued = mail.send_mail(
        to="zoe@example.org",
        template_prefix="accounts/email/account_deleted",
        context={
            "pseudonym": "Zoé",
            "when": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            "time_zone": "Europe/Paris",
        },
        language="fr",
        headers={
            "List-Unsubscribe": "<http://127.0.0.1:8000/x>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    raw = OutgoingMail.objects.filter(id=queued.id).values_list("message", flat=True).get()
    assert b"zoe@example.org" not in bytes(raw)  # encrypted at rest while it waits
    assert smtp_server.mails == []  # nothing leaves before the worker runs
    worker_once(data_dir, **smtp_server.env())
    received = smtp_server.wait_for(to="zoe@example.org")
    assert received.subject.startswith("[entraide] ")
    assert "29 mars 2026 03:30" in received.text  # French, in the person's time zone
    assert received.message["From"] == "entraide <noreply@localhost>"
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = OutgoingMail.objects.get(id=queued.id)
    assert sent.sent_at is not None and sent.message is None  # wiped once sent


def test_a_hanging_smtp_server_times_out_and_the_mail_is_retried(
    data_dir: Path, smtp_server: SMTPRecorder
) -> None:
    queued = mail.send_mail(
        to="zoe@example.org",
        template_prefix="accounts/email/account_deleted",
        context={"pseudonym": "Zoé", "when": datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "time_zone": "UTC"},
        language="en",
    )
    smtp_server.hanging = True
    started = time.monotonic()
    worker_once(data_dir, EMAIL_TIMEOUT="2", **smtp_server.env())
    assert 2 <= time.monotonic() - started < 30  # EMAIL_TIMEOUT fired, the worker went on
    stuck = OutgoingMail.objects.get(id=queued.id)
    assert stuck.sent_at is None and stuck.attempts == 1
    # smtplib reports a reply that timed out as a disconnection ("timed out").
    assert stuck.last_error in {"builtins.TimeoutError", "smtplib.SMTPServerDisconnected"}
    job = DBTaskResult.objects.get(args_kwargs__args__0=str(queued.id))
    assert job.status == TaskResultStatus.READY and job.run_after > datetime.now(UTC)

    smtp_server.hanging = False
    worker_once(data_dir, datetime.now(UTC) + timedelta(minutes=5), **smtp_server.env())
    assert smtp_server.wait_for(to="zoe@example.org").subject.startswith("[entraide] ")
    assert len(smtp_server.sent_to("zoe@example.org")) == 1
    assert OutgoingMail.objects.get(id=queued.id).sent_at is not None
