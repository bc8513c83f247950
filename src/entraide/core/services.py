"""Writes of core: instance settings and legal documents."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from entraide.core import instance
from entraide.core.models import InstanceSettings, LegalDocument
from entraide.core.registries import SectionForm


class StaleVersionError(Exception):
    """Someone published another version while this one was being written."""


def save_instance_settings(row: InstanceSettings, *, form: SectionForm | None = None) -> InstanceSettings:
    """Apply a validated section form (if any), save, and refresh the offline snapshot."""
    if form is not None:
        form.apply(row)
    row.save()
    instance.write_snapshot(instance.PublicFacts.of(row))
    return row


def complete_setup(row: InstanceSettings) -> InstanceSettings:
    row.setup_completed_at = timezone.now()
    return save_instance_settings(row)


def publish_legal_document(
    *, kind: str, language: str, body: str, change_summary: str, base_version: int, by: Any
) -> LegalDocument:
    """Publish a new version; refuse if ``base_version`` is no longer the latest."""
    try:
        with transaction.atomic():
            latest = (
                LegalDocument.objects.filter(kind=kind, language=language).aggregate(v=Max("version"))["v"]
                or 0
            )
            if latest != base_version:
                raise StaleVersionError
            return LegalDocument.objects.create(
                kind=kind,
                language=language,
                version=latest + 1,
                body=body.replace("\r\n", "\n"),
                change_summary=change_summary,
                published_by=by,
            )
    except IntegrityError as exc:  # a concurrent publish won the race for this version number
        raise StaleVersionError from exc
