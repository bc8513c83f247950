"""The journal in a person's export (schema-valid, every value found again) and erasure."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.core import personal_data
from entraide.journal import services
from entraide.journal import values as v
from entraide.journal.models import Checkin, Indicator, JournalEntry, JournalSettings

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
JOURNAL_SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())
PART_DEFINITION = {
    "journal.checkins": "checkin",
    "journal.indicators": "indicator",
    "journal.entries": "entry",
    "journal.settings": "settings",
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
        part = json.loads(archive.read(entry["file"]))
        validate(CORE_SCHEMA, part, "part")
        if entry["key"] in PART_DEFINITION:
            for record in part["records"]:
                validate(JOURNAL_SCHEMA, record, PART_DEFINITION[entry["key"]])
            parts[entry["key"]] = part["records"]
    return parts


# Text as stored: NFC (values.py normalises), so that what comes back can be compared as typed.
WORD = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda t: unicodedata.normalize("NFC", t) == t)
SCALE = st.integers(0, 10)
CHECKIN_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "mood": SCALE,
        "anxiety": SCALE,
        "energy": SCALE,
        "emotions": st.lists(st.sampled_from(list(v.EMOTIONS)), unique=True, max_size=5),
        "own_emotions": st.lists(WORD, max_size=3, unique_by=v._fold),
        "sleep_bed": st.times().map(lambda t: t.strftime("%H:%M")),
        "sleep_quality": st.integers(1, 5),
        "activity_minutes": st.integers(0, 1440),
        "outdoors_minutes": st.integers(0, 1440),
        "regular_meals": st.booleans(),
        "social_contact": st.booleans(),
        "alcohol_drinks": st.integers(0, 99),
        "tobacco": st.integers(0, 999),
        "other_substances": WORD,
        "note": st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"),
            max_size=300,
        )
        .map(lambda t: unicodedata.normalize("NFC", t).strip())
        .filter(bool),
        "tags": st.lists(WORD, max_size=5, unique_by=v._fold),
    },
)
INDICATOR_VALUES = st.fixed_dictionaries(
    {
        "scale": SCALE,
        "number": st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
        "yes_no": st.booleans(),
        "duration": st.integers(0, v.MAX_DURATION),
        "choice": st.sampled_from(["peu", "moyen", "beaucoup"]),
        "text": WORD,
    }
)


@pytest.fixture
def indicators(owner):
    return {
        kind: services.create_indicator(
            owner,
            name=f"Mon {kind}",
            kind=kind,
            unit="mg" if kind == "number" else "",
            choices=["peu", "moyen", "beaucoup"] if kind == "choice" else (),
        )
        for kind in ("scale", "number", "yes_no", "duration", "choice", "text")
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=CHECKIN_VALUES, indicator_values=INDICATOR_VALUES, days_ago=st.integers(0, 2000))
def test_export_round_trip_finds_every_value_again(owner, indicators, values, indicator_values, days_ago):
    Checkin.objects.filter(owner=owner).delete()
    if "sleep_bed" in values:
        values = {**values, "sleep_wake": "07:15"}
    values = {**values, "indicators": {str(indicators[k].pk): val for k, val in indicator_values.items()}}
    moment = datetime(2026, 11, 20, 21, 5, tzinfo=ZoneInfo("Europe/Paris")) - timedelta(days=days_ago)
    checkin = services.record_checkin(owner, moment=moment, values=values)

    records = exported(owner)["journal.checkins"]
    assert len(records) == 1
    record = records[0]
    assert record["id"] == str(checkin.pk)
    assert datetime.fromisoformat(record["moment"]) == moment
    assert record["local_date"] == moment.date().isoformat()
    for key, value in values.items():
        if value in ([], {}):
            assert key not in record  # empty: not recorded
        elif key == "emotions":
            assert record[key] == [e for e in v.EMOTIONS if e in value]  # in the list's order
        elif key == "indicators":
            assert record["indicators"] == value
        elif key in ("own_emotions", "tags"):
            assert record[key] == [" ".join(w.split()) for w in value]
        else:
            assert record[key] == value, key


def test_export_holds_indicators_entries_and_settings(owner, indicators):
    services.archive_indicator(indicators["text"])
    services.create_entry(
        owner, day=date(2026, 11, 1), title="Un titre", body="**Du texte**", mood=6, tags=["calme"]
    )
    services.update_journal_settings(owner, track_substances=True, own_emotions=["émerveillement"])
    parts = exported(owner)
    assert [i["name"] for i in parts["journal.indicators"]] == [
        f"Mon {k}" for k in ("scale", "number", "yes_no", "duration", "choice", "text")
    ]
    assert parts["journal.indicators"][-1]["archived_at"] is not None
    assert parts["journal.entries"][0] | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "created_at": None,
        "updated_at": None,
        "day": "2026-11-01",
        "private": False,
        "title": "Un titre",
        "body": "**Du texte**",
        "mood": 6,
        "tags": ["calme"],
    }
    assert parts["journal.settings"][0]["own_emotions"] == ["émerveillement"]


def test_erasure_removes_the_journal_and_only_the_persons(owner, stranger, indicators):
    services.record_checkin(
        owner, moment=datetime(2026, 11, 1, 9, tzinfo=ZoneInfo("UTC")), values={"mood": 3}
    )
    services.record_checkin(
        stranger, moment=datetime(2026, 11, 1, 9, tzinfo=ZoneInfo("UTC")), values={"mood": 8}
    )
    services.create_entry(owner, day=date(2026, 11, 1), body="à effacer")
    services.update_journal_settings(owner, track_substances=True)
    personal_data.erase_person(owner)
    for model in (Checkin, Indicator, JournalEntry, JournalSettings):
        assert not model.objects.filter(owner_id=owner.pk).exists()
    assert Checkin.objects.get(owner=stranger).payload == {"mood": 8}
