"""The plan's rules (every problem at once, on the row it concerns), saving and reading again, and
crisis moments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from entraide.core.errors import InvalidValuesError
from entraide.safety import services
from entraide.safety import values as v
from entraide.safety.access import find_plan_of
from entraide.safety.models import CrisisMoment, SafetyPlan
from entraide.safety.tests.factories import FULL_PLAN, make_plan

pytestmark = pytest.mark.django_db

T1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)


def test_clean_plan_drops_empty_rows_and_collapses_spaces():
    plan = v.clean_plan(
        {
            "coping": ["  Marcher \n au  parc ", "", "   "],
            "help_people": [{"name": " Léa ", "phone": " 06 12 34 56 78 "}, {"name": "", "phone": ""}],
        }
    )
    assert plan["coping"] == ["Marcher au parc"]
    assert plan["help_people"] == [{"name": "Léa", "phone": "06 12 34 56 78"}]
    assert plan["warning_signs"] == [] and set(plan) == set(v.STEP_KEYS)


def test_clean_plan_keeps_a_contact_without_a_phone():
    assert v.clean_plan({"help_people": [{"name": "Ma voisine", "phone": ""}]})["help_people"] == [
        {"name": "Ma voisine", "phone": ""}
    ]


def test_clean_plan_lists_every_problem_on_its_row():
    with pytest.raises(InvalidValuesError) as exc:
        v.clean_plan(
            {
                "coping": ["ok", "", "x" * 301],
                "help_people": [{"name": "", "phone": "06 12 34 56 78"}],
                "professionals": [{"name": "Dr Martin", "phone": "appelle-moi"}, {"name": "y" * 101}],
                "reasons": ["un"] * 21,
                "favourite_colour": ["bleu"],
            }
        )
    assert set(exc.value.errors) == {
        "coping.2",
        "help_people.0.name",
        "professionals.0.phone",
        "professionals.1.name",
        "reasons",
        "favourite_colour",
    }


@pytest.mark.parametrize("phone", ["3114", "15", "+33 6 12 34 56 78", "01.23.45.67.89", "(01) 23-45"])
def test_phone_numbers_people_write_are_accepted(phone):
    assert (
        v.clean_plan({"professionals": [{"name": "X", "phone": phone}]})["professionals"][0]["phone"] == phone
    )


@pytest.mark.parametrize("phone", ["1", "call me", "06 12 34 56 78 ext 4", "+", "0" * 31])
def test_phone_numbers_that_cannot_be_dialled_are_refused(phone):
    with pytest.raises(InvalidValuesError) as exc:
        v.clean_plan({"professionals": [{"name": "X", "phone": phone}]})
    assert set(exc.value.errors) == {"professionals.0.phone"}


def test_limits_are_exact():
    v.clean_plan({"coping": ["x" * v.MAX_ITEM] * v.MAX_ITEMS})
    v.clean_plan({"help_people": [{"name": "n" * v.MAX_NAME, "phone": "1" * v.MAX_PHONE}]})
    with pytest.raises(InvalidValuesError):
        v.clean_plan({"coping": ["x"] * (v.MAX_ITEMS + 1)})


def test_save_creates_then_replaces_the_one_plan_and_marks_it_read(owner):
    plan = services.save_safety_plan(owner, steps=FULL_PLAN, now=T1)
    assert (plan.created_at, plan.updated_at, plan.reviewed_at) == (T1, T1, T1)
    again = services.save_safety_plan(owner, steps={"reasons": ["Pixel"]}, now=T2)
    assert again.pk == plan.pk and SafetyPlan.objects.filter(owner=owner).count() == 1
    stored = find_plan_of(owner)
    assert stored.items("reasons") == ["Pixel"] and stored.items("coping") == []
    assert (stored.created_at, stored.updated_at, stored.reviewed_at) == (T1, T2, T2)


def test_a_refused_plan_changes_nothing(owner):
    make_plan(owner)
    with pytest.raises(InvalidValuesError):
        services.save_safety_plan(owner, steps={"coping": ["x" * 400]})
    assert find_plan_of(owner).items("coping") == FULL_PLAN["coping"]


def test_review_moves_only_the_review_date(owner):
    plan = services.save_safety_plan(owner, steps=FULL_PLAN, now=T1)
    services.review_safety_plan(plan, now=T2)
    stored = find_plan_of(owner)
    assert (stored.updated_at, stored.reviewed_at) == (T1, T2)


def test_the_plan_is_encrypted_at_rest(owner):
    make_plan(owner)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM safety_safetyplan")
        (raw,) = cursor.fetchone()
    assert b"Pixel" not in bytes(raw) and "Léa".encode() not in bytes(raw)


def test_record_and_delete_crisis_moments(owner, stranger):
    moment = services.record_crisis_moment(owner, source="phq9", now=T1)
    services.record_crisis_moment(stranger, source="button")
    assert (moment.created_at, moment.source) == (T1, "phq9")
    services.delete_crisis_moment(moment)
    assert not CrisisMoment.objects.filter(owner=owner).exists()
    assert CrisisMoment.objects.filter(owner=stranger).count() == 1


@pytest.mark.parametrize("source", ["", "Button", "a b", "x" * 41, None, 3])
def test_a_source_that_is_not_a_short_key_is_kept_as_other(owner, source):
    assert services.record_crisis_moment(owner, source=source).source == "other"
