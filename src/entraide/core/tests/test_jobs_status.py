"""The administrators' status page for background work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from entraide.core import jobs
from entraide.core.models import OutgoingMail, WorkerHeartbeat
from tests import jobs_for_tests

pytestmark = pytest.mark.django_db
URL = "/gestion/travaux/"


def failed_job(tmp_path) -> str:
    job_id = jobs.enqueue(jobs_for_tests.always_fail, str(tmp_path / "runs"), "someone@example.org")
    DBTaskResult.objects.filter(id=job_id).update(
        status=TaskResultStatus.FAILED,
        exception_class_path="smtplib.SMTPRecipientsRefused",
        finished_at=datetime.now(UTC),
        worker_ids=["a", "b", "c"],
    )
    return job_id


def test_only_administrators(owner_client, client):
    assert owner_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_a_silent_worker_and_failed_jobs_are_shown(admin_client, tmp_path):
    job_id = failed_job(tmp_path)
    OutgoingMail.objects.create(
        template="t",
        message={"to": "x@example.org"},
        last_error="socket.timeout",
        last_error_at=datetime.now(UTC),
    )
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client.get(URL).content.decode()
    assert "No worker has been heard from" in page
    assert "always_fail" in page and "SMTPRecipientsRefused" in page
    assert "someone@example.org" not in page and "x@example.org" not in page
    assert "Last sending error: socket.timeout" in page
    assert "1 email is waiting to be sent." in page

    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, seen_at=datetime.now(UTC))
    assert "The worker is running." in admin_client.get(URL).content.decode()
    WorkerHeartbeat.objects.update(seen_at=datetime.now(UTC) - timedelta(minutes=6))
    assert "No worker has been heard from" in admin_client.get(URL).content.decode()
    assert job_id


def test_retry_and_discard(admin_client, tmp_path):
    job_id = failed_job(tmp_path)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(f"{URL}{job_id}/", {"action": "retry"})
    assert response.status_code == 302
    row = DBTaskResult.objects.get(id=job_id)
    assert row.status == TaskResultStatus.READY and row.worker_ids == []
    # A second click (or another administrator) finds nothing to do, kindly.
    response = admin_client.post(
        f"{URL}{job_id}/", {"action": "retry"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "no longer in the failed list" in response.content.decode()

    other = failed_job(tmp_path)
    admin_client.post(f"{URL}{other}/", {"action": "discard"})
    assert not DBTaskResult.objects.filter(id=other).exists()


def test_get_changes_nothing(admin_client, tmp_path):
    job_id = failed_job(tmp_path)
    assert admin_client.get(f"{URL}{job_id}/", {"action": "discard"}).status_code == 405
    assert DBTaskResult.objects.filter(id=job_id, status=TaskResultStatus.FAILED).exists()
