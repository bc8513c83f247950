"""A person's data as a whole: the export archive and the erasure (crypto-shredding first).

Both walk the registries that each app fills (``registries.register_export`` /
``register_erasure``); a project test fails if a model with an ``owner`` is in neither.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from entraide.core import datadir, mail
from entraide.core.encryption import crypto
from entraide.core.models import DataKey
from entraide.core.registries import erasures, exports

logger = logging.getLogger(__name__)

EXPORT_SCHEMA_VERSION = 1


def _json(data: object) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def _csv(records: list[dict[str, Any]]) -> str:
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                k: json.dumps(v, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
                if isinstance(v, dict | list)
                else v
                for k, v in record.items()
            }
        )
    return out.getvalue()


def build_export(person: Any, *, instance_name: str = "") -> bytes:
    """A zip: ``manifest.json`` then one JSON file per part (and a CSV when tabular).

    The archive holds decrypted health data: callers must say so to the person.
    """
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {
        "schema": "entraide-export",
        "version": EXPORT_SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "instance": instance_name,
        "person": {"id": str(person.pk)},
        "parts": [],
    }
    with crypto.fresh_key_cache(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for registration in exports.ordered():
            part = registration.export(person)
            file_name = f"{registration.key}.json"
            entry: dict[str, Any] = {"key": registration.key, "file": file_name, "records": len(part.records)}
            archive.writestr(
                file_name,
                _json(
                    {
                        "schema": "entraide-export-part",
                        "version": EXPORT_SCHEMA_VERSION,
                        "key": registration.key,
                        "description": part.description,
                        "records": part.records,
                    }
                ),
            )
            if part.tabular:
                entry["csv"] = f"{registration.key}.csv"
                archive.writestr(f"{registration.key}.csv", _csv(part.records))
            manifest["parts"].append(entry)
        archive.writestr("manifest.json", _json(manifest))
    return buffer.getvalue()


def erasure_journal_path() -> Path:
    return Path(settings.DATA_DIR) / datadir.ERASURE_JOURNAL_FILE


def append_to_erasure_journal(person_id: str) -> None:
    """Append-only, ids only: a restore re-applies it so that erased people stay erased."""
    fd = os.open(erasure_journal_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as journal:
        journal.write(f"{timezone.now().isoformat()} {person_id}\n")
        journal.flush()
        os.fsync(journal.fileno())


def read_erasure_journal(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.split()[1] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def checkpoint_database() -> None:
    """Fold the WAL into the database and truncate it, so erased pages leave the WAL too."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Inside a transaction SQLite cannot checkpoint; callers erase outside one.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _other_addresses(person: Any) -> list[str]:
    """Every address of the person besides the account's (allauth's, when it keeps several)."""
    related = getattr(person, "emailaddress_set", None)
    return list(related.values_list("email", flat=True)) if related is not None else []


def erase_person(person: Any) -> str:
    """Crypto-shred the person's data key, delete their rows and account, checkpoint, journal,
    and remove the mail files (no SMTP) written to the person's addresses."""
    person_id = str(person.pk)
    addresses = {person.email, *_other_addresses(person)}
    with transaction.atomic():
        DataKey.objects.filter(owner_id=person.pk).delete()
    crypto.forget_data_key(person.pk)
    with transaction.atomic():
        for registration in erasures.ordered():
            registration.erase(person)
        type(person).objects.filter(pk=person.pk).delete()
    append_to_erasure_journal(person_id)
    checkpoint_database()
    mail.remove_mail_files_to(addresses)
    logger.info("erased one account (id in the erasure journal)")
    return person_id
