"""Core's jobs: delivering queued mail, and the housekeeping that keeps tables small."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db.models import F
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from entraide.core import jobs, mail
from entraide.core.models import FormSubmission, OutgoingMail, ScheduledRun, StashedForm, WorkerHeartbeat

KEEP_FINISHED = timedelta(days=7)  # job results, mail rows and scheduler marks (ARCHITECTURE: 7 days)


@jobs.job(max_attempts=8, first_delay=60)
def deliver_mail(mail_id: str) -> None:
    """Send a queued mail once: a mail already sent (by an earlier attempt) is not sent again. A mail
    sent but not yet recorded when the worker died goes out twice: delivery is at least once."""
    queued = OutgoingMail.objects.filter(id=mail_id, sent_at__isnull=True).first()
    if queued is None:
        return
    if not queued.suppressed:
        try:
            mail.deliver(queued)
        except Exception as exc:
            # Recorded for the status page (class only: SMTP errors quote the address), then retried.
            OutgoingMail.objects.filter(id=mail_id).update(
                attempts=F("attempts") + 1,
                last_error=jobs.error_class(exc)[:200],
                last_error_at=timezone.now(),
            )
            raise
    # Sent: the content (address included) is wiped; the row stays a week for the status page.
    OutgoingMail.objects.filter(id=mail_id).update(
        sent_at=timezone.now(), message=None, attempts=F("attempts") + 1
    )


@jobs.periodic("core.housekeeping", every=timedelta(hours=1))
@jobs.job(max_attempts=3)
def housekeeping(due: str) -> None:
    """Forget what is no longer needed: finished jobs, sent mail, scheduler marks, old heartbeats,
    expired sessions, used form tokens after a day, forms kept after an expired session, mail
    files (no SMTP) after a week."""
    limit = timezone.now() - KEEP_FINISHED
    DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=limit).delete()
    OutgoingMail.objects.filter(sent_at__lt=limit).delete()
    ScheduledRun.objects.filter(due_at__lt=limit).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    FormSubmission.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    StashedForm.objects.filter(expires_at__lt=timezone.now()).delete()
    mail.prune_mail_files()
