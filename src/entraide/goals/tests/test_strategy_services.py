"""Coping strategies and their uses through the services: the rules, the starter ideas copied in
one click, the figures (uses and mean help) kept in step with the uses, and the order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from entraide.core.errors import InvalidValuesError
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_uses_of, get_strategy_of
from entraide.goals.models import CopingStrategy, StrategyUse
from entraide.goals.tests.factories import make_strategy, make_use
from entraide.goals.values import LimitError

pytestmark = pytest.mark.django_db


def test_create_strategy_cleans_and_encrypts(owner):
    strategy = services.create_strategy(
        owner, name="  Marcher  au bord de l'eau ", category="body", note=" Sans téléphone "
    )
    strategy = get_strategy_of(owner, strategy.pk)
    assert (strategy.name, strategy.category, strategy.note) == (
        "Marcher au bord de l'eau",
        "body",
        "Sans téléphone",
    )
    assert strategy.uses == 0 and strategy.mean_help is None
    raw = CopingStrategy.objects.filter(pk=strategy.pk).values_list("payload", flat=True).get()
    assert b"Marcher" not in bytes(raw)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"category": "sport"}, "category"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_create_strategy_refuses_what_breaks_a_rule(owner, values, field):
    with pytest.raises(InvalidValuesError) as caught:
        services.create_strategy(owner, **{"name": "Musique", "category": "rest", **values})
    assert field in caught.value.errors


def test_create_strategy_stops_at_200(owner):
    CopingStrategy.objects.bulk_create(
        [
            CopingStrategy(owner=owner, payload={"name": f"S{n}", "category": "other"})
            for n in range(v.MAX_STRATEGIES)
        ]
    )
    with pytest.raises(LimitError):
        make_strategy(owner)
    with pytest.raises(LimitError):
        services.adopt_starter(owner, "walk")


def test_starters_are_about_twenty_with_known_categories_and_both_languages():
    assert 18 <= len(v.STARTERS) <= 25
    assert len(v.STARTERS_BY_KEY) == len(v.STARTERS)
    assert {s.category for s in v.STARTERS} <= set(v.CATEGORIES)
    with translation.override("fr"):
        french = [str(s.name) for s in v.STARTERS]
    with translation.override("en"):
        english = [str(s.name) for s in v.STARTERS]
    assert "Breathe slowly" in english and "Grounding 5-4-3-2-1" in english
    assert len(set(english)) == len(english) and len(set(french)) == len(french)
    assert all(len(name) <= v.MAX_STRATEGY_NAME for name in french + english)


def test_adopt_starter_copies_it_once_in_the_language_of_the_moment(owner):
    with translation.override("en"):
        strategy, created = services.adopt_starter(owner, "grounding")
    assert created
    assert strategy.name == "Grounding 5-4-3-2-1" and strategy.category == "mind"
    assert strategy.note.startswith("Name 5 things you see")
    services.update_strategy(strategy, name="Mon ancrage", category="mind", note="")
    again, created = services.adopt_starter(owner, "grounding")
    assert not created and again.pk == strategy.pk and again.name == "Mon ancrage"
    assert services.adopted_starters(owner) == {"grounding"}
    with pytest.raises(InvalidValuesError):
        services.adopt_starter(owner, "not-an-idea")


def test_uses_keep_the_strategy_figures_in_step(owner):
    strategy = make_strategy(owner)
    first = make_use(strategy, day=date(2026, 3, 1), helped=4)
    make_use(strategy, day=date(2026, 3, 5), helped=1, note="Pas cette fois")
    unrated = make_use(strategy, day=date(2026, 3, 9), helped=None)
    row = get_strategy_of(owner, strategy.pk)
    assert (row.uses, row.mean_help) == (3, 2.5)
    assert row.stats["last_used"] == "2026-03-09"

    services.update_use(unrated, day=date(2026, 3, 9), helped="3", note="")
    assert get_strategy_of(owner, strategy.pk).mean_help == pytest.approx(8 / 3)
    services.delete_use(first)
    row = get_strategy_of(owner, strategy.pk)
    assert (row.uses, row.mean_help) == (2, 2.0)
    assert filter_uses_of(owner).count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"helped": 5}, "helped"),
        ({"helped": -1}, "helped"),
        ({"helped": "beaucoup"}, "helped"),
        ({"helped": True}, "helped"),
        ({"note": "x" * 1001}, "note"),
        ({"day": date(1899, 12, 31)}, "day"),
    ],
)
def test_record_use_refuses_what_breaks_a_rule(owner, values, field):
    strategy = make_strategy(owner)
    with pytest.raises(InvalidValuesError) as caught:
        make_use(strategy, **values)
    assert field in caught.value.errors
    assert not StrategyUse.objects.exists()


def test_record_use_refuses_a_day_after_tomorrow(owner):
    strategy = make_strategy(owner)
    with pytest.raises(InvalidValuesError):
        make_use(strategy, day=timezone.localdate() + timedelta(days=2))
    make_use(strategy, day=timezone.localdate())


def test_strategies_in_order_most_helpful_first_or_by_name(owner):
    walk = make_strategy(owner, name="marche")
    music = make_strategy(owner, name="Écouter de la musique")
    never = make_strategy(owner, name="Appeler Léa")
    unrated = make_strategy(owner, name="Bain")
    make_use(walk, helped=2)
    make_use(music, helped=4)
    make_use(music, helped=3)
    make_use(unrated, helped=None)
    make_use(unrated, helped=None)
    assert [s.name for s in services.strategies_in_order(owner)] == [
        "Écouter de la musique",  # 3.5
        "marche",  # 2
        "Bain",  # never rated, used twice
        "Appeler Léa",  # never used
    ]
    assert [s.pk for s in services.strategies_in_order(owner, by="name")] == [
        never.pk,
        unrated.pk,
        music.pk,
        walk.pk,
    ]


def test_delete_strategy_removes_its_uses(owner):
    strategy = make_strategy(owner)
    make_use(strategy)
    services.delete_strategy(strategy)
    assert not StrategyUse.objects.exists()
