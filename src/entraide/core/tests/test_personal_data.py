"""Export and erasure of one person's data, across apps, through the registries."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from entraide.core import personal_data
from entraide.core.encryption import crypto
from entraide.core.models import DataKey
from entraide.core.registries import erasures, exports
from tests.testapp.models import Note

User = get_user_model()
SCHEMA = json.loads((Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text())


def validate(instance: object, definition: str) -> None:
    jsonschema.validate(
        instance, {**SCHEMA, "$ref": f"#/$defs/{definition}"}, format_checker=jsonschema.FormatChecker()
    )


# A person's rows name them by one of these fields: ``owner`` for personal records, ``author``
# for what they publish (community posts), ``member`` for their place in a closed group.
OWNER_FIELDS = ("owner", "author", "member")


def owned_models():
    return [
        m
        for m in apps.get_models()
        if any(f.name in OWNER_FIELDS and f.is_relation for f in m._meta.get_fields())
    ]


def test_every_model_with_an_owner_is_exported_or_erased():
    covered = {m for r in [*exports.ordered(), *erasures.ordered()] for m in r.models}
    owned = owned_models()
    assert owned, "the check must see at least the data keys"
    missing = [m._meta.label for m in owned if m not in covered]
    assert not missing, f"register these models for export or erasure (core.registries): {missing}"


def test_the_registry_check_sees_models_whose_owner_is_an_author():
    labels = {m._meta.label for m in owned_models()}
    assert {"core.DataKey", "community.Post", "community.Topic", "community.SpaceMember"} <= labels


@pytest.fixture
def person_with_data(owner, stranger):
    Note.objects.create(owner=owner, payload={"text": "Une journée calme", "mood": 6}, attachment=b"%PDF")
    Note.objects.create(owner=owner, payload={"text": "Plus dur\naujourd'hui", "tags": ["sommeil"]})
    Note.objects.create(owner=stranger, payload={"text": "pas à Camille"})
    return owner


def test_export_is_a_documented_zip_with_the_account_first(person_with_data):
    archive = zipfile.ZipFile(
        io.BytesIO(personal_data.build_export(person_with_data, instance_name="Entraide Lyon"))
    )
    manifest = json.loads(archive.read("manifest.json"))
    validate(manifest, "manifest")
    assert manifest["parts"][0]["key"] == "account.profile"
    assert manifest["person"]["id"] == str(person_with_data.pk)

    parts = {p["key"]: json.loads(archive.read(p["file"])) for p in manifest["parts"]}
    for part in parts.values():
        validate(part, "part")
    assert parts["account.profile"]["records"][0]["email"] == "camille@example.org"
    assert {"account.consents", "account.security_events", "account.roles"} <= set(parts)
    texts = sorted(r["text"] for r in parts["testapp.notes"]["records"])
    assert texts == ["Plus dur\naujourd'hui", "Une journée calme"]  # decrypted, and only hers

    rows = list(csv.DictReader(io.StringIO(archive.read("testapp.notes.csv").decode())))
    assert sorted(r["text"] for r in rows) == texts
    assert any(r.get("tags") == '["sommeil"]' for r in rows)


def test_erasure_removes_the_person_in_every_app_and_keeps_the_others(person_with_data, stranger):
    person_id = personal_data.erase_person(person_with_data)
    assert not User.objects.filter(pk=person_id).exists()
    assert not Note.objects.filter(owner_id=person_id).exists()
    assert not DataKey.objects.filter(owner_id=person_id).exists()
    crypto.clear_key_cache()
    assert [n.payload["text"] for n in Note.objects.all()] == ["pas à Camille"]
    assert personal_data.read_erasure_journal(personal_data.erasure_journal_path()) == [person_id]
    assert personal_data.erasure_journal_path().stat().st_mode & 0o077 == 0


def test_erasure_journal_holds_ids_only(person_with_data):
    personal_data.erase_person(person_with_data)
    journal = personal_data.erasure_journal_path().read_text()
    assert "camille" not in journal.lower()
    assert len(journal.split()) == 2  # a time and an id
