"""The instance's public facts (name, contact, crisis numbers), readable even without a database.

Every save of the settings rewrites a snapshot file in the data directory; a process that finds
the database newer than its snapshot rewrites it too (several app servers each keep their own).
``/aide/`` and the error pages fall back to the snapshot, then to built-in defaults, so the
crisis numbers are shown when the database is down.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import pgettext

from entraide.core import datadir
from entraide.core.models import InstanceSettings

logger = logging.getLogger(__name__)


def default_crisis_numbers() -> list[dict[str, str]]:
    """France's numbers, worded in the active language."""
    return [
        {
            "label": pgettext("crisis number", "Suicide prevention line"),
            "number": "3114",
            "kind": "tel",
            "description": pgettext(
                "crisis number", "Free, day and night, for you or someone you worry about."
            ),
        },
        {
            "label": pgettext("crisis number", "Medical emergency (SAMU)"),
            "number": "15",
            "kind": "tel",
            "description": pgettext("crisis number", "If a life is in danger now."),
        },
        {
            "label": pgettext("crisis number", "European emergency number"),
            "number": "112",
            "kind": "tel",
            "description": pgettext("crisis number", "From any phone, anywhere in Europe."),
        },
        {
            "label": pgettext("crisis number", "Emergency by text message"),
            "number": "114",
            "kind": "sms",
            "description": pgettext(
                "crisis number", "For deaf and hard-of-hearing people: send a text message."
            ),
        },
        {
            "label": "SOS Amitié",
            "number": "09 72 39 40 50",
            "kind": "tel",
            "description": pgettext("crisis number", "Someone to listen, day and night, anonymously."),
        },
    ]


@dataclass(frozen=True)
class PublicFacts:
    name: str
    contact_email: str
    default_language: str = settings.LANGUAGE_CODE
    crisis_numbers: list[dict[str, str]] = field(default_factory=list)
    updated_at: str = ""

    @classmethod
    def of(cls, row: InstanceSettings) -> PublicFacts:
        return cls(
            name=row.name,
            contact_email=row.contact_email,
            default_language=row.default_language,
            crisis_numbers=row.crisis_numbers or default_crisis_numbers(),
            updated_at=row.updated_at.isoformat() if row.updated_at else "",
        )

    @classmethod
    def defaults(cls) -> PublicFacts:
        return cls(name="entraide", contact_email="", crisis_numbers=default_crisis_numbers())


def load_settings() -> InstanceSettings:
    """The settings row, or an unsaved row of defaults before set-up."""
    row = InstanceSettings.objects.filter(pk=InstanceSettings.SINGLETON_ID).first()
    if row is None:
        with translation.override(settings.LANGUAGE_CODE):
            row = InstanceSettings(crisis_numbers=default_crisis_numbers())
    return row


def snapshot_path() -> Path:
    return Path(settings.DATA_DIR) / datadir.CRISIS_SNAPSHOT_FILE


def write_snapshot(facts: PublicFacts) -> None:
    try:
        datadir.write_private(snapshot_path(), json.dumps(asdict(facts), ensure_ascii=False))
    except OSError:
        logger.exception("could not write the crisis snapshot")


_snapshot_cache: dict[str, Any] = {"key": None, "facts": None}


def read_snapshot() -> PublicFacts | None:
    """The facts last written to the data directory, re-read only when the file changes."""
    path = snapshot_path()
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if _snapshot_cache["key"] != key:
            data = json.loads(path.read_text(encoding="utf-8"))
            _snapshot_cache.update(key=key, facts=PublicFacts(**data))
    except (OSError, ValueError, TypeError):
        return None
    facts: PublicFacts = _snapshot_cache["facts"]
    return facts


def offline_facts() -> PublicFacts:
    """What to show with no database at all: the snapshot, else the built-in defaults."""
    return read_snapshot() or PublicFacts.defaults()


def public_facts(request: HttpRequest | None = None) -> PublicFacts:
    """One query; falls back to the snapshot when the database cannot be read."""
    try:
        row = settings_for(request) if request is not None else load_settings()
    except DatabaseError:
        logger.warning("database unreachable: serving the instance snapshot")
        return offline_facts()
    facts = PublicFacts.of(row)
    if row.pk and row.updated_at:
        snapshot = read_snapshot()
        if snapshot is None or snapshot.updated_at != facts.updated_at:
            write_snapshot(facts)
    return facts


# The settings row, reused by this process's requests while its `updated_at` stays the same: reading
# that one column costs less than loading and decoding the row (which was a sixth of a logged-in
# page). Every save changes the stamp (auto_now), so no request ever sees a stale row, whichever
# process made the change.
_process_row: dict[str, Any] = {"row": None, "stamp": None}


def forget_cached_settings() -> None:
    _process_row.update(row=None, stamp=None)


def _current_settings() -> InstanceSettings:
    # Raw SQL on every request (docs/performance.md, "Exceptions"); the ORM's equivalent:
    # InstanceSettings.objects.filter(pk=…).values_list("updated_at", flat=True).first().
    # The stamp is read before the row: if a save lands in between, the stamp kept is older than
    # the row, and the next request merely reloads it.
    stamp = (
        InstanceSettings.objects.filter(pk=InstanceSettings.SINGLETON_ID)
        .values_list("updated_at", flat=True)
        .first()
    )
    cached: InstanceSettings | None = _process_row["row"]
    # No stamp is no row yet (before set-up): the defaults are kept too, until a row appears.
    if cached is not None and stamp == _process_row["stamp"] and (stamp is not None or cached._state.adding):
        return cached
    row = load_settings()
    _process_row.update(row=row, stamp=stamp)
    return row


def settings_for(request: HttpRequest) -> InstanceSettings:
    """The settings row for this request, however many places ask. Read only: services that change
    the settings load their own row with ``load_settings()``."""
    row: InstanceSettings | None = getattr(request, "_entraide_settings", None)
    if row is None:
        row = _current_settings()
        request._entraide_settings = row  # type: ignore[attr-defined]  # per-request memo
    return row


def facts_for(request: HttpRequest) -> PublicFacts:
    """``public_facts()`` once per request, however many places ask."""
    facts: PublicFacts | None = getattr(request, "_entraide_facts", None)
    if facts is None:
        facts = public_facts(request)
        request._entraide_facts = facts  # type: ignore[attr-defined]  # per-request memo
    return facts
