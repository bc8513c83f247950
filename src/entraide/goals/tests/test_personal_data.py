"""Goals, strategies, uses and self-assessments in a person's export (schema-valid, every value
found again) and gone with their account."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.core import personal_data
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.models import CopingStrategy, Goal, GoalStatus, RecoveryAssessment, StrategyUse
from entraide.goals.tests.factories import make_goal, make_strategy, make_use, scores

pytestmark = pytest.mark.django_db

CORE_SCHEMA = json.loads(
    (Path(personal_data.__file__).parent / "schemas" / "export-v1.schema.json").read_text()
)
GOALS_SCHEMA = json.loads((Path(services.__file__).parent / "schemas" / "export.schema.json").read_text())
PART_DEFINITION = {
    "goals.goals": "goal",
    "goals.strategies": "strategy",
    "goals.strategy_uses": "strategy_use",
    "goals.recovery": "recovery",
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
            validate(GOALS_SCHEMA, record, PART_DEFINITION[entry["key"]])
        parts[entry["key"]] = part["records"]
    return parts


# Text as stored: one line (inner spaces collapsed) or a trimmed text, NFC.
LINE = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(lambda t: " ".join(unicodedata.normalize("NFC", t).split()))
    .filter(bool)
)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"), max_size=300
).map(lambda t: unicodedata.normalize("NFC", t).strip())
SCORE = st.none() | st.integers(0, 10)
RECOVERY = st.fixed_dictionaries(
    {key: st.fixed_dictionaries({"score": SCORE, "words": TEXT}) for key in v.DIMENSION_KEYS}
).filter(lambda d: any(x["score"] is not None or x["words"] for x in d.values()))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=LINE,
    why=TEXT,
    steps=st.lists(LINE, max_size=5),
    status=st.sampled_from(GoalStatus.values),
    target=st.none() | st.dates(date(1900, 1, 1), date(2200, 12, 31)),
    strategy=st.tuples(LINE, st.sampled_from(list(v.CATEGORIES)), TEXT),
    use=st.tuples(st.dates(date(1900, 1, 1), date(2026, 1, 1)), st.none() | st.integers(0, 4), TEXT),
    recovery=RECOVERY,
    month=st.dates(date(1900, 1, 1), date(2026, 1, 1)),
)
def test_export_round_trip_finds_every_value_again(
    owner, title, why, steps, status, target, strategy, use, recovery, month
):
    for model in (Goal, CopingStrategy, RecoveryAssessment):
        model.objects.filter(owner=owner).delete()
    goal = services.create_goal(owner, title=title, why=why, steps=steps, status=status, target_date=target)
    if steps:
        services.update_step(goal, goal.steps[0]["id"], done=True)
    name, category, note = strategy
    row = services.create_strategy(owner, name=name, category=category, note=note)
    used = services.record_use(row, day=use[0], helped=use[1], note=use[2])
    services.rate_recovery(owner, month=month, values=recovery)

    parts = exported(owner)
    [g] = parts["goals.goals"]
    assert (g["id"], g["title"], g["why"], g["status"]) == (str(goal.pk), title, why, status)
    assert g["target_date"] == (target.isoformat() if target else None)
    assert [s["text"] for s in g["steps"]] == steps
    assert [bool(s["done_at"]) for s in g["steps"]] == [n == 0 for n in range(len(steps))]
    assert (g["reached_at"] is not None) == (status == GoalStatus.REACHED)
    [s] = parts["goals.strategies"]
    assert (s["id"], s["name"], s["category"], s["note"], s["starter"]) == (
        str(row.pk),
        name,
        category,
        note,
        None,
    )
    [u] = parts["goals.strategy_uses"]
    assert (u["id"], u["strategy_id"], u["day"], u["helped"], u["note"]) == (
        str(used.pk),
        str(row.pk),
        use[0].isoformat(),
        use[1],
        use[2],
    )
    [r] = parts["goals.recovery"]
    assert r["month"] == month.strftime("%Y-%m")
    assert {key: r[key] for key in v.DIMENSION_KEYS} == recovery


def test_export_holds_ideas_picked_and_csv_files(owner):
    services.adopt_starter(owner, "walk")
    make_goal(owner)
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(owner)))
    names = set(archive.namelist())
    assert {
        "goals.goals.csv",
        "goals.strategies.csv",
        "goals.strategy_uses.csv",
        "goals.recovery.csv",
    } <= names
    assert exported(owner)["goals.strategies"][0]["starter"] == "walk"


def test_erasure_removes_everything_and_only_the_persons(owner, stranger):
    for person in (owner, stranger):
        make_goal(person)
        make_use(make_strategy(person))
        services.rate_recovery(person, month=date(2026, 1, 1), values=scores(hope=4))
    personal_data.erase_person(owner)
    for model in (Goal, CopingStrategy, StrategyUse, RecoveryAssessment):
        assert not model.objects.filter(owner_id=owner.pk).exists(), model
        assert model.objects.filter(owner_id=stranger.pk).count() == 1, model
