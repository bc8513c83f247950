"""Mail written to files (no SMTP configured) does not outlive its use, nor the person."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress

from entraide.core import jobs, mail, personal_data
from entraide.core.tasks import housekeeping

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_to_files(settings, data_dir):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = data_dir / "mail"
    return data_dir / "mail"


def send_to(address: str) -> None:
    mail.send_mail(
        to=address,
        template_prefix="account/email/password_reset_key",
        context={"password_reset_url": f"https://example.org/compte/reset/{address}/"},
    )
    jobs.Worker("test").run_once(schedule=False)


def files_naming(folder, address: str) -> list[str]:
    return [p.name for p in folder.glob("*.log") if address.encode() in p.read_bytes().lower()]


def test_erasure_removes_the_person_mail_files_and_only_theirs(mail_to_files, owner, stranger):
    second = "camille.autre@example.org"
    EmailAddress.objects.create(user=owner, email=second, verified=True, primary=False)
    for address in (owner.email, second, stranger.email):
        send_to(address)
    assert files_naming(mail_to_files, owner.email) and files_naming(mail_to_files, second)

    personal_data.erase_person(owner)

    assert files_naming(mail_to_files, owner.email) == []
    assert files_naming(mail_to_files, second) == []
    assert len(files_naming(mail_to_files, stranger.email)) == 1


def test_housekeeping_prunes_mail_files_after_a_week(mail_to_files, stranger):
    send_to(stranger.email)
    (recent,) = mail_to_files.glob("*.log")
    old = mail_to_files / "20260101-000000-1.log"
    old.write_text("To: someone@example.org\n")
    eight_days_ago = time.time() - timedelta(days=8).total_seconds()
    os.utime(old, (eight_days_ago, eight_days_ago))
    notes = mail_to_files / "README.txt"  # not a mail file: left alone
    notes.write_text("admin notes")
    os.utime(notes, (eight_days_ago, eight_days_ago))

    housekeeping.call(due="2026-05-04T10:00:00+00:00")

    assert sorted(p.name for p in mail_to_files.iterdir()) == sorted([recent.name, "README.txt"])
