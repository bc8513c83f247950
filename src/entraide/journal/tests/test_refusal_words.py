"""Issue 19, item 10: every refusal names what is wrong with this field, in plain words (it used to
answer an indicator's 21st option with the own-emotions message, and a day in year 1 with "choose today
or a past day")."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from entraide.core.errors import InvalidValuesError
from entraide.goals import services as goal_services
from entraide.journal import services
from entraide.journal.values import clean_words
from entraide.thoughts import services as thought_services


def refusal(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidValuesError) as refused, translation.override("fr"):
        call(*args, **kwargs)
        return {}
    with translation.override("fr"):
        return {key: str(message) for key, message in refused.value.errors.items()}


def test_an_indicator_with_too_many_options_is_told_about_its_options(owner):
    choices = [f"Option {n}" for n in range(21)]
    errors = refusal(services.create_indicator, owner, name="Lieu", kind="choice", choices=choices)
    assert errors == {"choices": "Un indicateur a 20 options au plus."}
    errors = refusal(services.create_indicator, owner, name="Lieu", kind="choice", choices=["a" * 41, "b"])
    assert errors == {"choices": "Gardez chaque option sous 40 caractères."}


def test_own_emotions_and_tags_keep_their_own_words():
    words = [f"mot {n}" for n in range(31)]
    with translation.override("fr"):
        assert (
            str(clean_words(words, limit=30, length=40, what="emotions")[1]) == "30 émotions à vous au plus."
        )
        assert str(clean_words(words, limit=20, length=40, what="tags")[1]) == "20 étiquettes au plus."


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31)])
def test_a_day_before_1900_is_named_as_such(owner, day):
    too_old = "Choisissez une date après 1900."
    assert refusal(services.create_entry, owner, day=day, body="Un texte")["day"] == too_old
    assert refusal(thought_services.create_thought, owner, day=day, thought="Une pensée")["day"] == too_old
    strategy = goal_services.create_strategy(owner, name="Marcher")
    assert refusal(goal_services.record_use, strategy, day=day, helped=2)["day"] == too_old


def test_a_day_in_the_future_is_still_told_to_be_today_or_before(owner):
    errors = refusal(services.create_entry, owner, day=date(2199, 1, 1), body="Un texte")
    assert errors["day"] == "Choisissez aujourd'hui ou un jour passé."
