"""Thought records in a person's export (schema-valid, every value found again) and erasure."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.core import personal_data
from entraide.thoughts import services
from entraide.thoughts import values as v
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())
KEY = "thoughts.records"


def validate(schema: dict, instance: object, definition: str) -> None:
    jsonschema.validate(
        instance, {**schema, "$ref": f"#/$defs/{definition}"}, format_checker=jsonschema.FormatChecker()
    )


def exported(person) -> tuple[list[dict], list[dict]]:
    """The part's records (each checked against the schema) and its CSV rows."""
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    manifest = json.loads(archive.read("manifest.json"))
    validate(CORE_SCHEMA, manifest, "manifest")
    entry = next(p for p in manifest["parts"] if p["key"] == KEY)
    part = json.loads(archive.read(entry["file"]))
    validate(CORE_SCHEMA, part, "part")
    for record in part["records"]:
        validate(SCHEMA, record, "record")
    rows = list(csv.DictReader(io.StringIO(archive.read(f"{KEY}.csv").decode())))
    return part["records"], rows


def test_schema_lists_the_emotions_and_distortions_of_the_code():
    defs = SCHEMA["$defs"]
    assert defs["emotion"]["properties"]["emotion"]["enum"] == list(v.EMOTIONS)
    assert defs["record"]["properties"]["distortions"]["items"]["enum"] == list(v.DISTORTIONS)
    assert set(defs["record"]["required"]) == {
        *v.PAYLOAD_KEYS,
        "id",
        "day",
        "follow_up_on",
        "created_at",
        "updated_at",
        "private",
    }


# Text as stored: NFC, trimmed, no NUL or CR (services normalise), so it compares as typed.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"), max_size=200
).map(lambda t: unicodedata.normalize("NFC", t).strip())
WORD = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda t: unicodedata.normalize("NFC", t) == t)
INTENSITY = st.none() | st.integers(0, 100)
LISTED = st.builds(
    lambda k, b, a: {"emotion": k, "before": b, "after": a},
    st.sampled_from(list(v.EMOTIONS)),
    INTENSITY,
    INTENSITY,
)
OWN = st.builds(lambda w, b, a: {"own": w, "before": b, "after": a}, WORD, INTENSITY, INTENSITY)
EMOTIONS = st.lists(
    LISTED | OWN,
    max_size=v.MAX_EMOTIONS,
    unique_by=lambda e: e.get("emotion") or "own:" + v.fold(e["own"]),
)
RECORD = st.fixed_dictionaries(
    {
        "situation": TEXT,
        "thought": TEXT.filter(bool),  # the situation may be empty: then the thought is needed
        "emotions": EMOTIONS,
        "distortions": st.lists(st.sampled_from(list(v.DISTORTIONS)), unique=True),
        "evidence_for": TEXT,
        "evidence_against": TEXT,
        "balanced_thought": TEXT,
        "time": st.none() | st.times().map(lambda t: t.strftime("%H:%M")),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=RECORD, days_ago=st.integers(0, 3000), follow_up=st.none() | st.tuples(TEXT, INTENSITY))
def test_export_round_trip_finds_every_value_again(owner, values, days_ago, follow_up):
    ThoughtRecord.objects.filter(owner=owner).delete()
    day = date(2026, 11, 20) - timedelta(days=days_ago)
    record = services.create_thought(owner, day=day, **values)
    if follow_up and (follow_up[0] or follow_up[1] is not None):
        services.record_follow_up(
            record, on=day + timedelta(days=1), note=follow_up[0], intensity=follow_up[1]
        )

    records, rows = exported(owner)
    assert len(records) == 1 and len(rows) == 1
    out = records[0]
    assert out["id"] == str(record.pk)
    assert out["day"] == day.isoformat()
    for key, value in values.items():
        if key == "distortions":
            assert out[key] == [k for k in v.DISTORTIONS if k in value]  # in the list's order
        elif key == "emotions":
            assert out[key] == [{**e, "own": " ".join(e["own"].split())} if "own" in e else e for e in value]
        else:
            assert out[key] == value, key
    if follow_up and (follow_up[0] or follow_up[1] is not None):
        assert out["follow_up_on"] == (day + timedelta(days=1)).isoformat()
        assert (out["follow_up_note"], out["follow_up_intensity"]) == follow_up
    else:
        assert (out["follow_up_on"], out["follow_up_note"], out["follow_up_intensity"]) == (None, "", None)
    # The same record reads back from the CSV: lists as JSON text.
    assert json.loads(rows[0]["emotions"]) == out["emotions"]
    assert rows[0]["thought"] == out["thought"]


def test_export_holds_only_the_persons_records_oldest_first(owner, stranger):
    services.create_thought(owner, day=date(2026, 5, 2), thought="Deuxième")
    services.create_thought(owner, day=date(2026, 5, 1), thought="Première")
    services.create_thought(stranger, day=date(2026, 5, 1), thought="pas à Camille")
    records, _rows = exported(owner)
    assert [r["thought"] for r in records] == ["Première", "Deuxième"]


def test_erasure_removes_the_records_and_only_the_persons(owner, stranger):
    services.create_thought(owner, day=date(2026, 5, 1), thought="à effacer")
    kept = services.create_thought(stranger, day=date(2026, 5, 1), thought="à garder")
    personal_data.erase_person(owner)
    assert not ThoughtRecord.objects.filter(owner_id=owner.pk).exists()
    assert ThoughtRecord.objects.get().pk == kept.pk
    assert ThoughtRecord.objects.get().payload["thought"] == "à garder"
