"""All mail leaves through ``send_mail``: rendered now, in the recipient's language and time zone, then
queued; the worker delivers it (``core.tasks.deliver_mail``), retrying when the server fails.

Never put health details in a template rendered here: subjects and bodies stay discreet.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from entraide.core import instance, jobs
from entraide.core.models import OutgoingMail

logger = logging.getLogger(__name__)

# Without SMTP, Django's file backend writes each delivery to a file here, in clear: addresses,
# links that log in or reset a password. Kept a week (housekeeping), and a person's removed when
# the person is erased.
KEEP_MAIL_FILES = timedelta(days=7)
MAIL_FILE_PATTERN = "*.log"  # what django.core.mail.backends.filebased names its files


def mail_files_dir() -> Path:
    """Where the file backend writes: even with SMTP configured now, files from before stay there."""
    return Path(getattr(settings, "EMAIL_FILE_PATH", None) or Path(settings.DATA_DIR) / "mail")


def remove_mail_files_to(addresses: Iterable[str]) -> int:
    """Remove every mail file naming one of ``addresses`` (an erased person's); how many went."""
    needles = [address.strip().lower().encode() for address in addresses if address.strip()]
    folder = mail_files_dir()
    if not needles or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob(MAIL_FILE_PATTERN):
        try:
            content = path.read_bytes().lower()
        except OSError:  # removed meanwhile
            continue
        if any(needle in content for needle in needles):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def prune_mail_files(now: datetime | None = None) -> int:
    """Remove the mail files older than KEEP_MAIL_FILES; how many went."""
    folder = mail_files_dir()
    if not folder.is_dir():
        return 0
    limit = ((now or timezone.now()) - KEEP_MAIL_FILES).timestamp()
    removed = 0
    for path in folder.glob(MAIL_FILE_PATTERN):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def send_mail(
    *,
    to: str,
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
    time_zone: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Render ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and, if present, ``.html``; queue.

    Queued in the caller's transaction: if the caller's work is rolled back, no mail leaves.
    """
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(time_zone or settings.TIME_ZONE),
    ):
        facts = instance.public_facts()
        ctx = {"instance": facts, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
        text = render_to_string(f"{template_prefix}_message.txt", ctx).strip()
        try:
            html: str | None = render_to_string(f"{template_prefix}_message.html", ctx).strip()
        except TemplateDoesNotExist:
            html = None
    message = {
        "to": to,
        "from": sender(facts.name),
        "subject": f"[{facts.name}] {subject}",
        "text": text,
        "html": html,
        "headers": headers or {},
    }
    mail = OutgoingMail.objects.create(
        template=template_prefix, message=message, suppressed=is_demo_address(to)
    )
    from entraide.core.tasks import deliver_mail

    jobs.enqueue(deliver_mail, str(mail.id))
    return mail


def sender(instance_name: str) -> str:
    """The instance's name before the configured address (unless the address names itself)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((settings.ENTRAIDE_MAIL_SENDER_NAME or name or instance_name, address))


def is_demo_address(address: str) -> bool:
    """Demo accounts never receive real email."""
    return bool(get_user_model().objects.filter(email__iexact=address, is_demo=True).exists())


def deliver(mail: OutgoingMail) -> None:
    """Send one queued mail through the configured backend (SMTP with EMAIL_TIMEOUT)."""
    content: dict[str, Any] = mail.message
    email = EmailMultiAlternatives(
        content["subject"], content["text"], content["from"], [content["to"]], headers=content["headers"]
    )
    if content.get("html"):
        email.attach_alternative(content["html"], "text/html")
    email.send()
