"""Questionnaire responses and rhythms in a person's export (schema-valid, every value found again),
erasure, and the demo data."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from entraide.assessments import engine, services
from entraide.assessments.demo import populate
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.assessments.tests.factories import make_response
from entraide.core import personal_data
from entraide.safety.models import CrisisMoment

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())


def validate(schema: dict, instance: object, definition: str) -> None:
    jsonschema.validate(
        instance, {**schema, "$ref": f"#/$defs/{definition}"}, format_checker=jsonschema.FormatChecker()
    )


def exported(person, key: str, definition: str) -> tuple[list[dict], list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    manifest = json.loads(archive.read("manifest.json"))
    validate(CORE_SCHEMA, manifest, "manifest")
    entry = next(p for p in manifest["parts"] if p["key"] == key)
    part = json.loads(archive.read(entry["file"]))
    validate(CORE_SCHEMA, part, "part")
    for record in part["records"]:
        validate(SCHEMA, record, definition)
    rows = list(csv.DictReader(io.StringIO(archive.read(f"{key}.csv").decode())))
    return part["records"], rows


def test_schema_names_every_band_and_cutoff_of_the_instruments():
    bands = set(SCHEMA["$defs"]["response"]["properties"]["band"]["enum"])
    expected = {b.key for i in engine.all_instruments() for b in i.bands}
    expected |= {c.key for i in engine.all_instruments() for c in i.cutoffs} | {engine.NO_CUTOFF}
    assert bands == expected
    assert SCHEMA["$defs"]["questionnaire"]["enum"] == list(engine.KEYS)


def test_export_holds_every_answer_and_what_was_computed(owner, stranger):
    phq9 = services.record_response(
        owner, questionnaire="phq9", answers=[0, 1, 2, 3, 0, 1, 2, 3, 0], difficulty=2, language="fr"
    )
    who5 = services.record_response(owner, questionnaire="who5", answers=[5, 4, 3, 2, 1], language="en")
    make_response(stranger, "gad7")
    services.set_schedule(owner, questionnaire="gad7", every_days=28)

    records, rows = exported(owner, "assessments.responses", "response")
    assert [r["id"] for r in records] == [str(phq9.pk), str(who5.pk)]
    first, second = records
    assert first["questionnaire"] == "phq9" and first["answers"] == [0, 1, 2, 3, 0, 1, 2, 3, 0]
    assert (first["difficulty"], first["raw"], first["percentage"], first["band"]) == (
        2,
        12,
        None,
        "moderate",
    )
    assert (second["raw"], second["percentage"], second["band"], second["language"]) == (
        15,
        60,
        "above_cutoffs",
        "en",
    )
    assert json.loads(rows[0]["answers"]) == first["answers"]

    schedules, _ = exported(owner, "assessments.schedules", "schedule")
    assert [(s["questionnaire"], s["every_days"]) for s in schedules] == [("gad7", 28)]


def test_erasure_removes_responses_and_rhythms_of_the_person_only(owner, stranger):
    make_response(owner, "phq9")
    services.set_schedule(owner, questionnaire="phq9", every_days=7)
    kept = make_response(stranger, "who5")
    personal_data.erase_person(owner)
    assert not QuestionnaireResponse.objects.filter(owner_id=owner.pk).exists()
    assert not QuestionnaireSchedule.objects.filter(owner_id=owner.pk).exists()
    assert QuestionnaireResponse.objects.get().pk == kept.pk


def test_demo_gives_months_of_fortnightly_responses_without_a_crisis(owner):
    populate(owner, random.Random(3), date(2026, 11, 20))  # noqa: S311 — demo data, not security
    counts = {
        key: QuestionnaireResponse.objects.filter(owner=owner, instrument=key).count() for key in engine.KEYS
    }
    assert all(count >= 8 for count in counts.values()), counts
    assert len(set(counts.values())) == 1
    days = sorted(
        QuestionnaireResponse.objects.filter(owner=owner, instrument="phq9").values_list(
            "local_date", flat=True
        )
    )
    assert {(b - a).days for a, b in itertools.pairwise(days)} == {14}
    assert not any(r.crisis for r in QuestionnaireResponse.objects.filter(owner=owner))
    assert not CrisisMoment.objects.filter(owner=owner).exists()
    assert all(r.result().raw == r.raw for r in QuestionnaireResponse.objects.filter(owner=owner))
