"""The job machinery in this process (the real worker process is tested in tests/project/test_worker.py)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from entraide.core import jobs
from entraide.core.models import ScheduledRun, WorkerHeartbeat
from entraide.core.tasks import housekeeping
from tests import jobs_for_tests

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def run_at(instant: datetime) -> int:
    with jobs.clock_at(instant):
        return jobs.Worker("test").run_once(schedule=False)  # periodic work has its own test


def test_a_job_runs_once_and_is_recorded(tmp_path):
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.record_run, str(out), "one", run_after=T0)
    assert run_at(T0 - timedelta(seconds=1)) == 0  # not due yet
    assert run_at(T0) == 1
    assert run_at(T0 + timedelta(minutes=5)) == 0
    assert lines(out) == ["one"]
    assert DBTaskResult.objects.get(id=job_id).status == TaskResultStatus.SUCCESSFUL


def test_a_failing_job_is_retried_with_backoff_then_failed_without_its_message(tmp_path):
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.always_fail, str(out), "someone@example.org")
    assert run_at(T0) == 1
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.READY
    first_delay = row.run_after - T0
    assert timedelta(seconds=1) <= first_delay <= timedelta(seconds=1.2)  # first_delay=1 s, jitter ≤ 20 %
    assert run_at(T0 + timedelta(milliseconds=500)) == 0  # waits for its backoff

    assert run_at(row.run_after) == 1
    row.refresh_from_db()
    assert timedelta(seconds=2) <= row.run_after - T0 - first_delay <= timedelta(seconds=2.4)  # doubled
    assert run_at(row.run_after) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == 3 == len(lines(out))
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "someone@example.org" not in row.traceback and "always_fail" in row.traceback

    assert list(jobs.failed_jobs()) == [row]
    with jobs.clock_at(T0 + timedelta(hours=1)):
        assert jobs.retry_failed(str(row.id))
    assert run_at(T0 + timedelta(hours=1)) == 1  # a fresh set of attempts
    assert len(lines(out)) == 4
    assert jobs.discard_failed(str(row.id)) is False  # not failed yet: it waits for its retry
    DBTaskResult.objects.filter(id=row.id).update(status=TaskResultStatus.FAILED)
    assert jobs.discard_failed(str(row.id)) and not DBTaskResult.objects.filter(id=row.id).exists()


def test_a_job_left_running_by_a_dead_worker_runs_again_after_its_lease(tmp_path, settings):
    settings.ENTRAIDE_JOB_LEASE_SECONDS = 60
    out = tmp_path / "runs"
    job_id = jobs.enqueue(jobs_for_tests.record_run, str(out), "again")
    dead = jobs.Worker("dead")
    claimed = dead.claim(T0)
    assert claimed is not None and str(claimed.id) == job_id
    # Leases are measured in real time (they are about processes, not the business clock).
    real_now = datetime.now(UTC)
    DBTaskResult.objects.filter(id=job_id).update(started_at=real_now - timedelta(seconds=50))
    assert run_at(T0) == 0  # still within its lease
    DBTaskResult.objects.filter(id=job_id).update(started_at=real_now - timedelta(seconds=61))
    assert run_at(T0) == 1
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["dead", "test"]
    assert lines(out) == ["again"]


def test_a_lease_recovered_twice_is_recovered_once():
    job_id = jobs.enqueue(jobs_for_tests.record_run, "/nonexistent", "x")
    jobs.Worker("dead").claim(T0)
    DBTaskResult.objects.filter(id=job_id).update(started_at=T0)
    later = T0 + timedelta(hours=1)
    assert jobs.recover_expired_leases(later) == 1
    assert jobs.recover_expired_leases(later) == 0


def test_periodic_work_is_enqueued_once_per_due_time():
    at = datetime(2026, 10, 25, 7, 59, 30, tzinfo=UTC)
    assert jobs.schedule_due(at) >= 1
    assert jobs.schedule_due(at) == 0  # a second scheduler, same due time
    assert jobs.schedule_due(at + timedelta(seconds=20)) == 0  # same hour
    assert ScheduledRun.objects.filter(name="core.housekeeping").count() == 1
    assert ScheduledRun.objects.get(name="core.housekeeping").due_at == datetime(2026, 10, 25, 7, tzinfo=UTC)
    jobs.schedule_due(at + timedelta(minutes=1))  # 08:00: the next hour
    assert ScheduledRun.objects.filter(name="core.housekeeping").count() == 2
    assert DBTaskResult.objects.filter(task_path=housekeeping.module_path).count() == 2


def test_the_heartbeat_and_the_check(settings):
    assert jobs.last_heartbeat() is None and jobs.worker_is_silent()
    jobs.Worker("w1").run_once(schedule=False)
    assert WorkerHeartbeat.objects.get().worker_id == "w1"
    assert not jobs.worker_is_silent()
    call_command("check", "--database", "default", "--fail-level", "ERROR")  # passes
    WorkerHeartbeat.objects.update(seen_at=datetime.now(UTC) - timedelta(minutes=6))
    with pytest.raises(Exception, match="silent"):
        call_command("check", "--database", "default", "--fail-level", "ERROR")


def test_healthz_tells_whether_a_worker_runs(client):
    assert client.get("/healthz").content == b"ok\nworker: none running\n"
    worker = jobs.Worker("w1")
    worker.run_once(schedule=False)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\nworker: ok\n")
    WorkerHeartbeat.objects.update(seen_at=datetime.now(UTC) - timedelta(minutes=6))
    response = client.get("/healthz")  # silent: the pages stay up, the line says it
    assert (response.status_code, response.content) == (200, b"ok\nworker: none running\n")


def test_forget_worker_drops_a_dead_worker_heartbeat_at_once():
    jobs.Worker("w1").run_once(schedule=False)
    WorkerHeartbeat.objects.create(
        worker_id="w2", hostname="elsewhere", pid=os.getpid(), seen_at=datetime.now(UTC)
    )
    assert jobs.forget_worker(pid=os.getpid()) == 1  # this host's process only
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["elsewhere"]
    assert socket.gethostname() != "elsewhere"
    assert jobs.forget_worker(worker_id="w2") == 1
    assert jobs.worker_is_silent()
