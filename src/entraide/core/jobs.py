"""Background jobs: django-tasks stores them (django-tasks-db); this module adds only what it lacks.

- ``job(...)``: a django-tasks task with a retry policy (attempts, exponential backoff).
- ``Worker``: claims ready jobs one at a time (row lock, skip locked), runs them, retries failures with
  backoff, records the last failure, and gives back jobs whose worker died once their lease is over.
- ``periodic(...)``: work due every N seconds, enqueued exactly once per due time however many
  schedulers run (a unique row per name and due time).
- ``now()``: the worker's clock, which tests move with ``entraide worker --once --now ISO``.
- A heartbeat per worker and the failed-jobs list for the administrators' status page.

Delivery is at least once: a job body takes ids, re-reads what it needs and checks whether its effect
already happened. Job arguments and stored errors never hold personal data (no addresses, no text).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import random
import socket
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from entraide.core.registries import Registry

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

# --- Clock -------------------------------------------------------------------------------------

_clock: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("entraide_clock", default=None)


def now() -> datetime:
    """The current time for jobs: the real one, or the worker's injected clock in tests."""
    return _clock.get() or timezone.now()


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    token = _clock.set(instant)
    try:
        yield
    finally:
        _clock.reset(token)


# --- Jobs and their retry policy ---------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=6)

    def delay_after(self, attempt: int) -> timedelta:
        """Exponential backoff with a little jitter, so that failed jobs do not retry in a herd."""
        base: timedelta = min(self.first_delay * 2 ** (attempt - 1), self.max_delay)
        jittered: timedelta = base * random.uniform(1.0, 1.2)  # noqa: S311 — jitter, not security
        return jittered


_policies: dict[str, RetryPolicy] = {}


def job(*, max_attempts: int = 5, first_delay: float = 30, queue: str = "default") -> Callable[[F], Task]:  # type: ignore[type-arg]
    """Declare a job: ``@job()`` then ``enqueue(my_job, *ids)``. Bodies must be idempotent."""

    def declare(function: F) -> Task:  # type: ignore[type-arg]
        declared = task(queue_name=queue)(function)
        _policies[declared.module_path] = RetryPolicy(max_attempts, timedelta(seconds=first_delay))
        return declared

    return declare


def policy_for(task_path: str) -> RetryPolicy:
    if task_path not in _policies:
        with contextlib.suppress(ImportError, AttributeError):
            import_string(task_path)  # declaring the job registers its policy
    return _policies.get(task_path, RetryPolicy())


def enqueue(declared: Task, *args: Any, run_after: datetime | None = None, **kwargs: Any) -> str:  # type: ignore[type-arg]
    """Store the job (in the caller's transaction: it exists only if the caller's work commits)."""
    target = declared.using(run_after=run_after) if run_after is not None else declared
    return str(target.enqueue(*args, **kwargs).id)


def ready_jobs(at: datetime) -> Any:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=at)
    )


def queue_depth(at: datetime | None = None) -> int:
    return int(ready_jobs(at or now()).count())


def failed_jobs() -> Any:
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")


def retry_failed(job_id: str) -> bool:
    """An administrator's retry: a fresh set of attempts, now."""
    updated = DBTaskResult.objects.filter(id=job_id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=now(), worker_ids=[], finished_at=None
    )
    return bool(updated)


def discard_failed(job_id: str) -> bool:
    deleted, _ = DBTaskResult.objects.filter(id=job_id, status=TaskResultStatus.FAILED).delete()
    return bool(deleted)


def error_class(exc: BaseException) -> str:
    """What may be stored of an error: its class, never its message (an SMTP refusal names the
    address, a database error may quote a value)."""
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def describe_error(exc: BaseException) -> tuple[str, str]:
    """(class path, traceback) to store: the frames and the class, without the message."""
    path = error_class(exc)
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return path, f"{frames}{path} (message not kept)\n"


# --- Periodic work -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    key: str
    job: Task  # type: ignore[type-arg]  # called with the due time (ISO) as its only argument
    every: timedelta
    order: int = 0

    def due_at(self, at: datetime) -> datetime:
        """The latest due time at or before ``at`` (due times are multiples of ``every`` since the epoch)."""
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        step = self.every.total_seconds()
        return epoch + timedelta(seconds=((at - epoch).total_seconds() // step) * step)


periodic_jobs: Registry[Periodic] = Registry("periodic job")


def periodic(name: str, every: timedelta) -> Callable[[Task], Task]:  # type: ignore[type-arg]
    """``@periodic("name", every=…)`` above ``@job()``: enqueued once per due time, missed ones not
    replayed (after a stop, only the latest due time runs)."""

    def register(declared: Task) -> Task:  # type: ignore[type-arg]
        periodic_jobs.register(Periodic(name, declared, every))
        return declared

    return register


def schedule_due(at: datetime) -> int:
    """Enqueue each periodic job's current due time unless some scheduler already did."""
    from entraide.core.models import ScheduledRun

    enqueued = 0
    for entry in periodic_jobs.ordered():
        due = entry.due_at(at)
        if ScheduledRun.objects.filter(name=entry.key, due_at=due).exists():
            continue  # the usual case: a cheap read, not a failing write every pass
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.key, due_at=due)
                enqueue(entry.job, due.isoformat())
            enqueued += 1
        except IntegrityError:
            pass  # another scheduler enqueued this due time first
    return enqueued


# --- Worker ------------------------------------------------------------------------------------


def lease() -> timedelta:
    return timedelta(seconds=settings.ENTRAIDE_JOB_LEASE_SECONDS)


class Worker:
    """One worker process: scheduler, lease recovery, then every ready job, in a loop."""

    # A write a minute, not one a pass: a Pi's SD card counts writes. The silence limit is 5 minutes.
    HEARTBEAT_EVERY = timedelta(seconds=60)

    def __init__(self, worker_id: str | None = None) -> None:
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}-{random.randrange(16**6):06x}"  # noqa: S311
        self.running = True
        self._last_heartbeat: datetime | None = None

    def run_once(self, *, schedule: bool = True) -> int:
        """One pass: heartbeat, schedule, recover, then run jobs until none is ready. Returns how many ran."""
        at = now()
        self.heartbeat()
        if schedule:
            schedule_due(at)
        # Leases are about processes, not the business clock: always real time.
        recover_expired_leases(timezone.now())
        ran = 0
        while self.running:
            claimed = self.claim(now())
            if claimed is None:
                break
            self.run(claimed)
            ran += 1
            self.heartbeat()
        return ran

    def heartbeat(self) -> None:
        """Real time, like leases: it says whether the process is alive."""
        from entraide.core.models import WorkerHeartbeat

        at = timezone.now()
        if self._last_heartbeat and at - self._last_heartbeat < self.HEARTBEAT_EVERY:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": at, "hostname": socket.gethostname(), "pid": os.getpid()},
        )
        self._last_heartbeat = at

    def claim(self, at: datetime) -> DBTaskResult[Any, Any] | None:
        if not ready_jobs(at).exists():
            return None  # most passes: no lock taken (on SQLite it would block writers)
        try:
            with exclusive_transaction():
                found: DBTaskResult[Any, Any] | None = (
                    ready_jobs(at).select_for_update(skip_locked=True).first()
                )
                if found is not None:
                    found.status = TaskResultStatus.RUNNING
                    found.started_at = timezone.now()
                    found.worker_ids = [*found.worker_ids, self.worker_id]
                    found.save(update_fields=["status", "started_at", "worker_ids"])
                return found
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None  # SQLite busy: the next pass tries again
            raise

    def run(self, claimed: DBTaskResult[Any, Any]) -> None:
        name = claimed.task_path.rsplit(".", 1)[-1]
        try:
            declared = claimed.task
            declared.call(*claimed.args_kwargs["args"], **claimed.args_kwargs["kwargs"])
        except Exception as exc:
            self.failed(claimed, exc)
            logger.warning("job %s (%s) failed: %s", name, claimed.id, type(exc).__name__)
        else:
            DBTaskResult.objects.filter(id=claimed.id).update(
                status=TaskResultStatus.SUCCESSFUL,
                finished_at=timezone.now(),
                exception_class_path="",
                traceback="",
            )

    def failed(self, claimed: DBTaskResult[Any, Any], exc: BaseException) -> None:
        path, trace = describe_error(exc)
        attempts = len(claimed.worker_ids)
        policy = policy_for(claimed.task_path)
        fields: dict[str, Any] = {"exception_class_path": path, "traceback": trace}
        if attempts < policy.max_attempts:
            fields.update(status=TaskResultStatus.READY, run_after=now() + policy.delay_after(attempts))
        else:
            fields.update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
        DBTaskResult.objects.filter(id=claimed.id).update(**fields)


def recover_expired_leases(at: datetime) -> int:
    """Jobs left running past the lease (their worker died): back to the queue, or failed when they
    have used all their attempts."""
    recovered = 0
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=at - lease())
    for stuck in stale.only("id", "task_path", "worker_ids"):
        attempts = len(stuck.worker_ids)
        fields: dict[str, Any] = {
            "exception_class_path": "entraide.core.jobs.LeaseExpired",
            "traceback": "The worker running this job stopped before finishing it.\n",
        }
        if attempts < policy_for(stuck.task_path).max_attempts:
            fields.update(status=TaskResultStatus.READY)  # its run_after had come: ready at once
        else:
            fields.update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
        # Guarded by status: if two workers recover the same job, only one update applies.
        recovered += DBTaskResult.objects.filter(
            id=stuck.id, status=TaskResultStatus.RUNNING, started_at__lt=at - lease()
        ).update(**fields)
    return recovered


def forget_worker(*, pid: int | None = None, worker_id: str | None = None) -> int:
    """Drop the heartbeat of a worker known to be gone: by ``worker_id``, or by ``pid`` on this
    host (its supervisor saw it die). Returns how many rows went."""
    from entraide.core.models import WorkerHeartbeat

    if worker_id is not None:
        rows = WorkerHeartbeat.objects.filter(worker_id=worker_id)
    elif pid is not None:
        rows = WorkerHeartbeat.objects.filter(pid=pid, hostname=socket.gethostname())
    else:
        raise ValueError("forget_worker needs a pid or a worker_id")
    deleted, _ = rows.delete()
    return deleted


def last_heartbeat() -> datetime | None:
    from entraide.core.models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return latest


SILENCE_LIMIT = timedelta(minutes=5)


def worker_is_silent(at: datetime | None = None) -> bool:
    seen = last_heartbeat()
    return seen is None or (at or timezone.now()) - seen > SILENCE_LIMIT
