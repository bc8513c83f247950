"""The rules of a thought record, whoever writes it (pages, API, demo): limits, intensities,
emotions, distortions, days, the follow-up, and the search."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from entraide.core.errors import InvalidValuesError
from entraide.thoughts import services
from entraide.thoughts import values as v
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The messages compared below are the English ones, whatever an earlier test activated."""
    with override("en"):
        yield


DAY = date(2026, 3, 14)


def errors_of(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidValuesError) as caught:
        call(*args, **kwargs)
    return {key: str(message) for key, message in caught.value.errors.items()}


def test_create_thought_stores_every_value_in_one_payload(owner):
    record = services.create_thought(
        owner,
        day=DAY,
        time=time(18, 40),
        situation="  Réunion d'équipe\r\n, on m'a coupé la parole. ",
        thought="Ils ne me respectent pas.",
        emotions=[
            {"emotion": "anger", "before": 70, "after": "40"},
            {"own": "  honte   sourde ", "before": "55"},
            {"emotion": "", "own": "", "before": "", "after": ""},  # an empty row: dropped
        ],
        distortions=["labelling", "jumping_to_conclusions", "labelling"],
        evidence_for="Deux fois cette semaine.",
        evidence_against="Paul m'a demandé mon avis après.",
        balanced_thought="Ils étaient pressés; cela ne dit rien de moi.",
    )
    record = ThoughtRecord.objects.get(pk=record.pk)
    assert record.day == DAY and record.follow_up_on is None
    assert record.payload == {
        "time": "18:40",
        "situation": "Réunion d'équipe\n, on m'a coupé la parole.",
        "thought": "Ils ne me respectent pas.",
        "evidence_for": "Deux fois cette semaine.",
        "evidence_against": "Paul m'a demandé mon avis après.",
        "balanced_thought": "Ils étaient pressés; cela ne dit rien de moi.",
        "emotions": [
            {"emotion": "anger", "before": 70, "after": 40},
            {"own": "honte sourde", "before": 55, "after": None},
        ],
        "distortions": ["jumping_to_conclusions", "labelling"],  # the list's order, each once
        "follow_up_note": "",
        "follow_up_intensity": None,
    }
    assert set(record.payload) == set(v.PAYLOAD_KEYS)


def test_create_thought_needs_the_situation_or_the_thought(owner):
    errors = errors_of(services.create_thought, owner, day=DAY, situation="  ", balanced_thought="x")
    assert errors == {"situation": "Describe the situation or write the thought: at least one of the two."}
    assert services.create_thought(owner, day=DAY, thought="Seulement la pensée").payload["situation"] == ""
    assert (
        services.create_thought(owner, day=DAY, situation="Seulement la situation").payload["thought"] == ""
    )


@pytest.mark.parametrize(
    "key", ["situation", "thought", "evidence_for", "evidence_against", "balanced_thought"]
)
def test_create_thought_keeps_each_text_under_5000_characters(owner, key):
    values = {"situation": "Au travail", key: "a" * 5_000}
    assert services.create_thought(owner, day=DAY, **values).payload[key] == "a" * 5_000
    values[key] = "a" * 5_001
    errors = errors_of(services.create_thought, owner, day=DAY, **values)
    assert errors[key] == "Keep it under 5,000 characters: what matters most is enough."


def test_create_thought_refuses_text_that_is_not_text(owner):
    assert errors_of(services.create_thought, owner, day=DAY, situation=["liste"]) == {
        "situation": "Write some text here."
    }


def test_create_thought_takes_at_most_ten_emotions(owner):
    ten = [{"emotion": key, "before": 50} for key in list(v.EMOTIONS)[:10]]
    assert len(services.create_thought(owner, day=DAY, thought="x", emotions=ten).payload["emotions"]) == 10
    eleven = [*ten, {"own": "jalousie", "before": 20}]
    assert errors_of(services.create_thought, owner, day=DAY, thought="x", emotions=eleven) == {
        "emotions": "At most 10 emotions for one record."
    }


@pytest.mark.parametrize("good", [0, 100, "0", " 100 ", 42.0, None, ""])
def test_intensity_is_a_whole_number_from_0_to_100(owner, good):
    record = services.create_thought(
        owner, day=DAY, thought="x", emotions=[{"emotion": "fear", "before": good, "after": good}]
    )
    item = record.payload["emotions"][0]
    expected = None if good in (None, "") else int(float(good))
    assert item["before"] == item["after"] == expected


@pytest.mark.parametrize("bad", [-1, 101, "101", "abc", 12.5, True, [50], "1e2"])
def test_intensity_outside_0_to_100_is_refused(owner, bad):
    errors = errors_of(
        services.create_thought, owner, day=DAY, thought="x", emotions=[{"emotion": "fear", "after": bad}]
    )
    assert errors == {"emotions.0.after": "Give a whole number from 0 to 100."}


@pytest.mark.parametrize(
    ("emotion", "key", "message"),
    [
        ({"emotion": "boredom", "before": 10}, "emotions.0.emotion", "Choose an emotion from the list."),
        (
            {"emotion": "fear", "own": "trac"},
            "emotions.0.own",
            "Choose an emotion from the list or write your own word, not both.",
        ),
        ({"own": "x" * 41}, "emotions.0.own", "Keep the word under 40 characters."),
        ({"before": 30}, "emotions.0.emotion", "Say which emotion these numbers are for."),
        ({"emotion": "fear", "mood": 3}, "emotions.0", "This emotion is not readable."),
        ("fear", "emotions.0", "This emotion is not readable."),
    ],
)
def test_each_emotion_says_what_is_wrong(owner, emotion, key, message):
    errors = errors_of(services.create_thought, owner, day=DAY, thought="x", emotions=[emotion])
    assert errors == {key: message}


def test_an_emotion_comes_once_case_and_accents_aside(owner):
    emotions = [{"own": "Écœurement"}, {"emotion": "fear"}, {"own": "ecœurement"}, {"emotion": "fear"}]
    errors = errors_of(services.create_thought, owner, day=DAY, thought="x", emotions=emotions)
    assert errors == {
        "emotions.2.own": "This emotion is already in the record.",
        "emotions.3.emotion": "This emotion is already in the record.",
    }


def test_emotions_and_distortions_must_be_lists(owner):
    errors = errors_of(
        services.create_thought, owner, day=DAY, thought="x", emotions="peur", distortions="labelling"
    )
    assert errors == {"emotions": "The emotions are not readable.", "distortions": "Choose from the list."}
    errors = errors_of(services.create_thought, owner, day=DAY, thought="x", distortions=["fortune_telling"])
    assert errors == {"distortions": "Choose from the list."}


def test_every_problem_is_reported_at_once(owner):
    errors = errors_of(
        services.create_thought,
        owner,
        day=date(1850, 1, 1),
        time="25:00",
        situation="s" * 5_001,
        emotions=[{"emotion": "fear", "before": 200}],
    )
    assert set(errors) == {"day", "time", "situation", "emotions.0.before"}


def test_day_is_today_or_a_past_day(owner):
    today = timezone.localdate()
    assert services.create_thought(owner, day=today, thought="x").day == today
    assert errors_of(services.create_thought, owner, day=today + timedelta(days=2), thought="x") == {
        "day": "Choose today or a past day."
    }
    assert errors_of(services.create_thought, owner, day=date(1899, 12, 31), thought="x") == {
        "day": "Choose a date after 1900."
    }
    assert errors_of(services.create_thought, owner, day="2026-03-14", thought="x") == {"day": "Give a date."}


def test_time_is_optional_and_written_hh_mm(owner):
    assert services.create_thought(owner, day=DAY, thought="x", time="07:05").payload["time"] == "07:05"
    assert services.create_thought(owner, day=DAY, thought="x", time="").payload["time"] is None
    assert errors_of(services.create_thought, owner, day=DAY, thought="x", time="7h") == {
        "time": "Give a time like 14:30, or leave it empty."
    }


def test_update_thought_replaces_the_record_and_keeps_its_follow_up(owner):
    record = services.create_thought(owner, day=DAY, thought="Avant", emotions=[{"emotion": "fear"}])
    services.record_follow_up(record, on=DAY + timedelta(days=3), note="Mieux.", intensity=20)
    services.update_thought(record, day=DAY - timedelta(days=1), situation="Après")
    record.refresh_from_db()
    assert record.day == DAY - timedelta(days=1)
    assert record.payload["thought"] == "" and record.payload["situation"] == "Après"
    assert record.payload["emotions"] == []
    assert record.payload["follow_up_note"] == "Mieux." and record.payload["follow_up_intensity"] == 20
    assert record.follow_up_on == DAY + timedelta(days=3)


def test_update_thought_with_errors_changes_nothing(owner):
    record = services.create_thought(owner, day=DAY, thought="Avant")
    errors_of(services.update_thought, record, day=DAY, thought="t" * 5_001)
    record = ThoughtRecord.objects.get(pk=record.pk)
    assert record.payload["thought"] == "Avant"


def test_record_follow_up_and_clear_it(owner):
    record = services.create_thought(owner, day=DAY, thought="x")
    services.record_follow_up(record, on=DAY, note="  Ça s'est bien passé. ", intensity="15")
    record.refresh_from_db()
    assert record.follow_up_on == DAY
    assert record.payload["follow_up_note"] == "Ça s'est bien passé."
    assert record.payload["follow_up_intensity"] == 15
    assert record.payload["thought"] == "x"
    services.clear_follow_up(record)
    record.refresh_from_db()
    assert record.follow_up_on is None
    assert record.payload["follow_up_note"] == "" and record.payload["follow_up_intensity"] is None


def test_record_follow_up_says_what_is_wrong(owner):
    record = services.create_thought(owner, day=DAY, thought="x")
    assert errors_of(services.record_follow_up, record, on=DAY, note=" ", intensity="") == {
        "note": "Write how it went, or give the intensity now (or both)."
    }
    assert errors_of(services.record_follow_up, record, on=DAY - timedelta(days=1), intensity=10) == {
        "on": "Choose a day between the day of the record and today."
    }
    future = timezone.localdate() + timedelta(days=3)
    assert errors_of(services.record_follow_up, record, on=future, intensity=10) == {
        "on": "Choose today or a past day."
    }
    errors = errors_of(services.record_follow_up, record, on=DAY, note="n" * 5_001, intensity=101)
    assert set(errors) == {"note", "intensity"}
    assert services.record_follow_up(record, on=DAY, intensity=0).payload["follow_up_intensity"] == 0


def test_search_thoughts_finds_every_word_case_and_accents_aside(owner, stranger):
    first = services.create_thought(owner, day=DAY, situation="Dîner chez ma sœur", thought="Je l'ennuie.")
    second = services.create_thought(
        owner,
        day=DAY + timedelta(days=1),
        thought="Je vais échouer à l'EXAMEN",
        emotions=[{"emotion": "worry", "before": 80}, {"own": "Découragement"}],
        distortions=["magnification"],
    )
    services.create_thought(stranger, day=DAY, thought="examen de Léa")
    assert services.search_thoughts(owner, "examen ECHOUER") == [second]
    assert services.search_thoughts(owner, "soeur DINER") == [first]  # "œ" typed as "oe"
    assert services.search_thoughts(owner, "SŒUR dîner") == [first]
    assert services.search_thoughts(owner, "decouragement") == [second]
    with override("en"):
        assert services.search_thoughts(owner, "worry catastrophising") == [second]
    with override("fr"):
        assert services.search_thoughts(owner, "inquiétude") == [second]
    assert services.search_thoughts(owner, "  ") == [second, first]  # newest first
    assert services.search_thoughts(owner, "examen nowhere") == []
