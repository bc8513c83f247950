"""The safety plan and crisis moments in a person's export (schema-valid, every value found again)
and gone with their account, the other person's left alone."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from entraide.core import personal_data
from entraide.safety import services
from entraide.safety.models import CrisisMoment, SafetyPlan
from entraide.safety.tests.factories import FULL_PLAN, make_moment, make_plan

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())
PART_DEFINITION = {"safety.plan": "plan", "safety.crisis_moments": "crisis_moment"}


def validate(schema: dict, instance: object, definition: str) -> None:
    jsonschema.validate(
        instance, {**schema, "$ref": f"#/$defs/{definition}"}, format_checker=jsonschema.FormatChecker()
    )


def exported(person) -> tuple[dict[str, list[dict]], set[str]]:
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    manifest = json.loads(archive.read("manifest.json"))
    validate(CORE_SCHEMA, manifest, "manifest")
    parts = {}
    for entry in manifest["parts"]:
        if entry["key"] not in PART_DEFINITION:
            continue
        part = json.loads(archive.read(entry["file"]))
        validate(CORE_SCHEMA, part, "part")
        for record in part["records"]:
            validate(SCHEMA, record, PART_DEFINITION[entry["key"]])
        parts[entry["key"]] = part["records"]
    return parts, set(archive.namelist())


def test_export_finds_every_value_again(owner, stranger):
    plan = make_plan(owner)
    first = make_moment(owner, source="phq9")
    second = make_moment(owner)
    make_plan(stranger, reasons=["Pas à Camille"])
    parts, names = exported(owner)
    [record] = parts["safety.plan"]
    assert record["id"] == str(plan.pk)
    assert {key: record[key] for key in FULL_PLAN} == FULL_PLAN
    assert record["reviewed_at"] is not None
    assert [(m["id"], m["source"]) for m in parts["safety.crisis_moments"]] == [
        (str(first.pk), "phq9"),
        (str(second.pk), "button"),
    ]
    assert "safety.crisis_moments.csv" in names


def test_export_without_a_plan_has_empty_parts(owner):
    parts, _ = exported(owner)
    assert parts == {"safety.plan": [], "safety.crisis_moments": []}


def test_erasure_removes_everything_and_only_the_persons(owner, stranger):
    for person in (owner, stranger):
        make_plan(person)
        make_moment(person)
    personal_data.erase_person(owner)
    for model in (SafetyPlan, CrisisMoment):
        assert not model.objects.filter(owner_id=owner.pk).exists(), model
        assert model.objects.filter(owner_id=stranger.pk).count() == 1, model
