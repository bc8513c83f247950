"""Tokens in the person's export (never a secret nor its hash); gone with the account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from entraide.api import services
from entraide.api.models import PersonalToken
from entraide.core import personal_data

pytestmark = pytest.mark.django_db


def test_export_lists_tokens_without_any_secret(owner, stranger):
    token, secret = services.create_token(owner, name="Mon tableur", areas={"journal": "read"}, days=90)
    services.create_token(stranger, name="Pas à Camille", scope="read", days=90)
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(owner, instance_name="entraide")))
    part = json.loads(archive.read("api.tokens.json"))
    assert [(r["name"], r["prefix"], r["areas"]) for r in part["records"]] == [
        ("Mon tableur", token.prefix, ["journal:read"])
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert secret not in everything
    assert token.secret_hash not in everything
    assert "Pas à Camille" not in everything


def test_erasure_removes_the_persons_tokens_only(owner, stranger):
    services.create_token(owner, name="Mon tableur", scope="read", days=90)
    services.create_token(stranger, name="Le sien", scope="read", days=90)
    personal_data.erase_person(owner)
    assert list(PersonalToken.objects.values_list("name", flat=True)) == ["Le sien"]
