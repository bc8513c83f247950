"""Treatments, schedules, starts, doses and side-effect notes in a person's export (schema-valid,
every value found again), gone with their account with their reminders; the demo and overview."""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from entraide.core import jobs, personal_data
from entraide.notifications.models import Reminder
from entraide.treatments import demo, overview, services
from entraide.treatments.models import DoseRecord, OnDemandStart, Schedule, SideEffectNote, Treatment
from entraide.treatments.tests.factories import AT_PREP, SECRET_NAME, make_schedule, make_treatment

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())
PART_DEFINITION = {
    "treatments.treatments": "treatment",
    "treatments.schedules": "schedule",
    "treatments.starts": "start",
    "treatments.doses": "dose",
    "treatments.side_effects": "side_effect",
}


def validate(schema: dict, instance: object, definition: str) -> None:
    jsonschema.validate(
        instance, {**schema, "$ref": f"#/$defs/{definition}"}, format_checker=jsonschema.FormatChecker()
    )


def exported(person) -> dict[str, list[dict]]:
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
    return parts


def fill(person) -> dict:
    now = datetime.now(UTC)
    treatment = make_treatment(person, prescription_end=date(2099, 1, 1))
    daily = make_schedule(treatment, times=["00:00"], starts_on=services.today_of(person) - timedelta(days=1))
    on_demand = make_schedule(treatment, kind="on_demand", pattern=AT_PREP)
    start = services.start_on_demand(on_demand, at=now - timedelta(hours=2))
    due = services.doses_between(person, now - timedelta(days=1), now, treatment=treatment)[0]
    record = services.record_dose(due.schedule, due_at=due.due_at, status="late")
    note = services.add_side_effect(treatment, day=services.today_of(person), text="Bouche sèche")
    return {"treatment": treatment, "daily": daily, "start": start, "record": record, "note": note}


def test_export_finds_every_value_again(owner):
    rows = fill(owner)
    parts = exported(owner)
    [t] = parts["treatments.treatments"]
    assert (t["name"], t["prescription_end"], t["active"]) == (SECRET_NAME, "2099-01-01", True)
    assert [s["kind"] for s in parts["treatments.schedules"]] == ["daily", "on_demand"]
    assert parts["treatments.schedules"][1]["pattern"][1] == {"offset_minutes": 1440, "amount": "1 comprimé"}
    assert parts["treatments.starts"][0]["id"] == str(rows["start"].pk)
    assert parts["treatments.doses"][0]["status"] == "late"
    assert parts["treatments.side_effects"][0]["text"] == "Bouche sèche"


def test_erasure_removes_everything_and_only_the_persons(owner, stranger):
    for person in (owner, stranger):
        fill(person)
    personal_data.erase_person(owner)
    for model in (Treatment, Schedule, OnDemandStart, DoseRecord, SideEffectNote, Reminder):
        assert not model.objects.filter(owner_id=owner.pk).exists(), model
        assert model.objects.filter(owner_id=stranger.pk).exists(), model


def test_demo_data_and_overview(owner, stranger):
    with jobs.clock_at(datetime.now(UTC)):
        demo.populate(owner, random.Random(4), services.today_of(owner))  # noqa: S311 — a seed for the demo
    assert Treatment.objects.filter(owner=owner).count() == 2
    figures = services.adherence(owner, 90)
    assert figures.scheduled >= 89 and figures.taken + figures.late + figures.skipped >= 70
    section = overview.treatments_overview(owner)
    assert section is not None and section["month"].scheduled >= 29
    assert overview.treatments_overview(stranger) is None  # nothing to show: no section
