"""The questionnaire engine against hand-written known answers: every band boundary and cut-off of
each instrument, the required items, the crisis item, and the files themselves (verbatim copies of
../shared/instruments, refused when a rule is one the engine does not know)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from entraide.assessments import engine
from entraide.core.errors import InvalidValuesError

SHARED = Path(__file__).resolve().parents[5] / "shared" / "instruments"
PACKAGED = Path(engine.__file__).parent / "instruments"


def answers_for(key: str, total: int) -> list[int]:
    """Answers adding up to ``total`` (as high as possible on the first items), the crisis item of
    the PHQ-9 left at 0 whenever the total allows it."""
    instrument = engine.get(key)
    top = max(instrument.values)
    count = len(instrument.items)
    values = [0] * count
    order = list(range(count))
    if key == "phq9":
        order = [*range(count - 1), count - 1]  # item 9 last: filled only when nothing else can
    left = total
    for index in order:
        values[index] = min(top, left)
        left -= values[index]
    assert left == 0, "the total is beyond the range"
    return values


# --- The files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", engine.KEYS)
def test_packaged_files_are_byte_identical_to_the_shared_ones(key):
    if not SHARED.is_dir():
        # CI has ../shared beside the project (../shared/README.md): there, a missing copy fails.
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/instruments is not beside this checkout")
        pytest.skip("../shared/instruments is not beside this checkout")
    assert (PACKAGED / f"{key}.json").read_bytes() == (SHARED / f"{key}.json").read_bytes()


def test_the_engine_reads_the_packaged_files_through_the_package():
    assert engine.read_file("phq9") == (PACKAGED / "phq9.json").read_bytes()
    assert [i.key for i in engine.all_instruments()] == ["phq9", "gad7", "who5"]
    with pytest.raises(KeyError):
        engine.get("../phq9")


def test_wording_is_the_files_verbatim_in_french_and_in_english():
    phq9 = engine.get("phq9")
    item9 = phq9.items[8]
    assert item9.wording["fr"] == (
        "Penser qu'il vaudrait mieux mourir ou envisager de vous faire du mal d'une manière ou d'une autre"
    )
    assert (
        item9.wording["en"] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert engine.text(phq9.stem, "fr") == (
        "Au cours des 2 dernières semaines, selon quelle fréquence avez-vous été gêné(e) par les problèmes suivants ?"
    )
    assert [engine.text(o.wording, "fr") for o in phq9.options] == [
        "Jamais",
        "Plusieurs jours",
        "Plus de la moitié du temps",
        "Presque tous les jours",
    ]
    who5 = engine.get("who5")
    assert [o.value for o in who5.options] == [5, 4, 3, 2, 1, 0]  # the file's order, kept
    assert engine.text(who5.items[0].wording, "en") == "I have felt cheerful and in good spirits"


def test_a_language_the_file_lacks_falls_back_to_french_never_a_translation():
    phq9 = engine.get("phq9")
    assert engine.wording_language(phq9.stem, "de") == "fr"
    assert engine.wording_language(phq9.stem, "en-gb") == "en"


# --- Known answers: every band boundary and cut-off ---------------------------------------------

PHQ9_BANDS = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately_severe"),
    (19, "moderately_severe"),
    (20, "severe"),
    (27, "severe"),
]
GAD7_BANDS = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]
# raw, percentage, band (the strictest cut-off met), every cut-off met
WHO5_CUTOFFS = [
    (0, 0, "likely_depression", ("poor_wellbeing", "likely_depression")),
    (7, 28, "likely_depression", ("poor_wellbeing", "likely_depression")),
    (8, 32, "poor_wellbeing", ("poor_wellbeing",)),
    (12, 48, "poor_wellbeing", ("poor_wellbeing",)),
    (13, 52, "above_cutoffs", ()),
    (25, 100, "above_cutoffs", ()),
]


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_band_boundaries(total, band):
    result = engine.score(engine.get("phq9"), answers_for("phq9", total))
    assert (result.raw, result.score, result.percentage, result.band) == (total, total, None, band)


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_band_boundaries(total, band):
    result = engine.score(engine.get("gad7"), answers_for("gad7", total))
    assert (result.raw, result.score, result.percentage, result.band) == (total, total, None, band)
    assert result.crisis is False


@pytest.mark.parametrize(("raw", "percentage", "band", "cutoffs"), WHO5_CUTOFFS)
def test_who5_percentage_and_cutoffs(raw, percentage, band, cutoffs):
    result = engine.score(engine.get("who5"), answers_for("who5", raw))
    assert (result.raw, result.percentage, result.score) == (raw, percentage, percentage)
    assert result.band == band
    assert set(result.cutoffs) == set(cutoffs)
    assert result.crisis is False


def test_ranges_are_the_published_ones():
    assert engine.get("phq9").score_range == (0, 27)
    assert engine.get("gad7").score_range == (0, 21)
    assert engine.get("who5").raw_range == (0, 25)
    assert engine.get("who5").score_range == (0, 100)


# --- The crisis item ----------------------------------------------------------------------------


@pytest.mark.parametrize(("item9", "crisis"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item_9_above_0_is_a_crisis_whatever_the_total(item9, crisis):
    answers = [0] * 8 + [item9]
    assert engine.score(engine.get("phq9"), answers).crisis is crisis


def test_phq9_high_scores_without_item_9_are_no_crisis():
    result = engine.score(engine.get("phq9"), [3] * 8 + [0])
    assert (result.raw, result.band, result.crisis) == (24, "severe", False)


# --- Required answers ---------------------------------------------------------------------------


def test_every_scored_item_is_required_each_named():
    with pytest.raises(InvalidValuesError) as caught:
        engine.clean(engine.get("phq9"), {"1": 1, "2": 0, "5": "", "9": None})
    missing = {f"answers.{n}" for n in (3, 4, 5, 6, 7, 8, 9)}
    assert set(caught.value.errors) == {*missing, "difficulty"}  # item 1 is above 0


@pytest.mark.parametrize("key", engine.KEYS)
def test_a_short_list_is_missing_its_last_item(key):
    count = len(engine.get(key).items)
    with pytest.raises(InvalidValuesError) as caught:
        engine.clean(engine.get(key), [0] * (count - 1))
    assert set(caught.value.errors) == {f"answers.{count}"}


def test_phq9_difficulty_is_required_only_when_a_scored_item_is_above_0():
    phq9 = engine.get("phq9")
    assert engine.clean(phq9, [0] * 9) == ([0] * 9, None)
    assert engine.clean(phq9, [0] * 9, 2) == ([0] * 9, 2)  # given anyway: kept
    with pytest.raises(InvalidValuesError) as caught:
        engine.clean(phq9, [0] * 8 + [1])
    assert set(caught.value.errors) == {"difficulty"}
    assert engine.clean(phq9, [1] + [0] * 8, "3") == ([1] + [0] * 8, 3)


def test_difficulty_is_not_scored():
    phq9 = engine.get("phq9")
    values, _ = engine.clean(phq9, [1] * 9, 3)
    assert engine.score(phq9, values).raw == 9


@pytest.mark.parametrize(
    ("key", "answers", "bad"),
    [
        ("phq9", [4] + [0] * 8, "answers.1"),
        ("phq9", [True] + [0] * 8, "answers.1"),
        ("phq9", [0] * 8 + [-1], "answers.9"),
        ("gad7", [0] * 6 + [1.5], "answers.7"),
        ("who5", [6, 0, 0, 0, 0], "answers.1"),
    ],
)
def test_values_outside_the_options_are_refused(key, answers, bad):
    with pytest.raises(InvalidValuesError) as caught:
        engine.clean(engine.get(key), answers)
    assert bad in caught.value.errors


def test_extra_answers_and_a_difficulty_where_there_is_none_are_refused():
    with pytest.raises(InvalidValuesError) as caught:
        engine.clean(engine.get("gad7"), [0] * 8, difficulty=1)
    assert set(caught.value.errors) == {"answers", "difficulty"}
    with pytest.raises(InvalidValuesError):
        engine.clean(engine.get("gad7"), "0000000")


def test_score_refuses_an_incomplete_list():
    with pytest.raises(ValueError, match="clean"):
        engine.score(engine.get("gad7"), [0] * 6)


# --- Files the engine would misread are refused -------------------------------------------------


def raw_file(key: str) -> dict:
    return copy.deepcopy(json.loads(engine.read_file(key)))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["scoring"].update(rule="mean of items 1-9"),
        lambda d: d["scoring"].update(rule="sum of items 1-8"),
        lambda d: d["scoring"]["bands"][1].update(min=6),
        lambda d: d["scoring"].update(range=[0, 30]),
        lambda d: d["difficulty_item"].update(required_if="always"),
        lambda d: d["items"][2].update(n=7),
        lambda d: d["items"][0].pop("fr") and d["items"][0].pop("en"),
    ],
)
def test_an_unknown_or_inconsistent_phq9_file_is_refused(change):
    data = raw_file("phq9")
    change(data)
    with pytest.raises(engine.InstrumentError):
        engine.parse(data)


def test_an_unknown_cutoff_rule_is_refused():
    data = raw_file("who5")
    data["scoring"]["cutoffs"][0]["rule"] = "raw is low"
    with pytest.raises(engine.InstrumentError):
        engine.parse(data)
