"""Writes of core: instance settings and legal documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from entraide.core import instance
from entraide.core.encryption import crypto, keyring
from entraide.core.models import DataKey, InstanceSettings, LegalDocument
from entraide.core.registries import SectionForm


@dataclass(frozen=True)
class RotationResult:
    active_key_id: str
    resumed: bool
    rewrapped: int
    left: int


def rotate_instance_key(*, dry_run: bool = False, limit: int | None = None) -> RotationResult:
    """A new active instance key, then every data key rewrapped with it.

    The key ring is saved *before* any data key is rewrapped, so an interruption leaves keys
    wrapped by either key, both in the ring. If data keys still wait for the active key, this
    resumes that rotation instead of starting another. ``limit`` stops early (tests).
    """
    ring = keyring.load_keyring()
    waiting = DataKey.objects.exclude(key_id=ring.active).count()
    resumed = waiting > 0
    if dry_run:
        total = waiting if resumed else DataKey.objects.count()
        return RotationResult(ring.active, resumed, total, total)
    if not resumed:
        ring = ring.with_new_active_key()
        keyring.save_keyring(ring)
    done, left = crypto.rewrap_data_keys(limit=limit)
    return RotationResult(ring.active, resumed, done, left)


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


def legal_revision(row: InstanceSettings, kind: str) -> int:
    """How many times a legal text changed enough to ask everyone's agreement again."""
    return int(row.extra.get("legal_revisions", {}).get(kind, 0))


def publish_legal_document(
    *,
    kind: str,
    language: str,
    body: str,
    change_summary: str,
    base_version: int,
    by: Any,
    requires_new_consent: bool = False,
) -> LegalDocument:
    """Publish a new version; refuse if ``base_version`` is no longer the latest.

    ``requires_new_consent`` bumps the text's revision: everyone who agreed to an earlier one is
    asked again at their next visit (accounts' consent middleware).
    """
    try:
        with transaction.atomic():
            if requires_new_consent:
                row = (
                    InstanceSettings.objects.select_for_update()
                    .filter(pk=InstanceSettings.SINGLETON_ID)
                    .first()
                )
                row = row or instance.load_settings()
                revisions = row.extra.setdefault("legal_revisions", {})
                revisions[kind] = legal_revision(row, kind) + 1
                save_instance_settings(row)
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
