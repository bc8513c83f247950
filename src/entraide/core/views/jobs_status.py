"""The administrators' view of background work: is the worker alive, what waits, what failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from entraide.core import jobs
from entraide.core.models import OutgoingMail, WorkerHeartbeat
from entraide.core.web.permissions import check_administer_instance_permission
from entraide.core.web.routes import audience

FAILED_SHOWN = 50


@audience("role")
@login_required
@require_safe
def jobs_status(request: HttpRequest) -> HttpResponse:
    check_administer_instance_permission(request.user)
    failed = list(jobs.failed_jobs()[: FAILED_SHOWN + 1])
    context = {
        "workers": WorkerHeartbeat.objects.order_by("-seen_at")[:10],
        "silent": jobs.worker_is_silent(),
        "queue_depth": jobs.queue_depth(),
        "failed": [
            {
                "id": row.id,
                "name": row.task_path.rsplit(".", 1)[-1],
                "error": row.exception_class_path.rsplit(".", 1)[-1],
                "attempts": len(row.worker_ids),
                "finished_at": row.finished_at,
            }
            for row in failed[:FAILED_SHOWN]
        ],
        "more_failed": len(failed) > FAILED_SHOWN,
        "mail_error": OutgoingMail.objects.exclude(last_error="").order_by("-last_error_at").first(),
        "mail_waiting": OutgoingMail.objects.filter(sent_at__isnull=True).count(),
    }
    return render(request, "core/jobs_status/index.html", context)


@audience("role")
@login_required
@require_POST
def failed_job_action(request: HttpRequest, job_id: str) -> HttpResponse:
    check_administer_instance_permission(request.user)
    action = request.POST.get("action")
    if action == "retry" and jobs.retry_failed(job_id):
        messages.success(request, pgettext("jobs status", "The job will run again in a moment."))
    elif action == "discard" and jobs.discard_failed(job_id):
        messages.success(request, pgettext("jobs status", "The job was discarded."))
    else:
        # Another administrator was quicker, or the job ran meanwhile: nothing is lost.
        messages.info(request, pgettext("jobs status", "This job is no longer in the failed list."))
    return redirect("core:jobs-status")
