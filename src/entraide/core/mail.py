"""All mail leaves through ``send_mail``: rendered in the recipient's language, plain text first,
a discreet subject. #5 turns it into a queued job without changing its callers."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from entraide.core import instance

logger = logging.getLogger(__name__)


def send_mail(*, to: str, template_prefix: str, context: dict[str, Any], language: str | None = None) -> None:
    """Render ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and, if present, ``.html``; send.

    Never put health details in a template rendered here: subjects and bodies stay discreet.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        facts = instance.public_facts()
        ctx = {"instance": facts, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
        text = render_to_string(f"{template_prefix}_message.txt", ctx).strip()
        try:
            html: str | None = render_to_string(f"{template_prefix}_message.html", ctx).strip()
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(f"[{facts.name}] {subject}", text, settings.DEFAULT_FROM_EMAIL, [to])
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # The address is personal data: log the template only.
        logger.exception("could not send the %s email", template_prefix)
        raise
