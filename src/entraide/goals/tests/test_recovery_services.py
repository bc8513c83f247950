"""The monthly recovery self-assessment through the services: one per month (again replaces),
the five dimensions 0–10 with words, and the months allowed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from entraide.core.errors import InvalidValuesError
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_assessments_of
from entraide.goals.models import RecoveryAssessment
from entraide.goals.tests.factories import scores

pytestmark = pytest.mark.django_db


def test_rate_recovery_stores_every_dimension_for_the_month(owner):
    values = {**scores(hope=7, meaning=0), "identity": {"score": None, "words": "  Je me retrouve  "}}
    row, replaced = services.rate_recovery(owner, month=date(2026, 3, 17), values=values)
    assert not replaced
    row = filter_assessments_of(owner).get()
    assert row.month == date(2026, 3, 1)
    assert row.payload == {
        "connectedness": {"score": None, "words": ""},
        "hope": {"score": 7, "words": ""},
        "identity": {"score": None, "words": "Je me retrouve"},
        "meaning": {"score": 0, "words": ""},
        "empowerment": {"score": None, "words": ""},
    }
    raw = RecoveryAssessment.objects.values_list("payload", flat=True).get()
    assert b"retrouve" not in bytes(raw)


def test_rating_a_month_again_replaces_it(owner, stranger):
    first, _ = services.rate_recovery(owner, month=date(2026, 3, 1), values=scores(hope=3))
    services.rate_recovery(stranger, month=date(2026, 3, 1), values=scores(hope=9))
    second, replaced = services.rate_recovery(owner, month=date(2026, 3, 28), values=scores(connectedness=6))
    assert replaced and second.pk == first.pk
    row = filter_assessments_of(owner).get()
    assert row.score("hope") is None and row.score("connectedness") == 6
    assert filter_assessments_of(stranger).get().score("hope") == 9


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "scores"),
        (scores(hope=None), "scores"),
        (scores(hope=11), "hope"),
        (scores(hope=-1), "hope"),
        ({"hope": {"score": "six"}}, "hope"),
        ({"hope": "6"}, "hope"),
        ({"hope": {"score": 5, "words": "x" * 1001}}, "hope_words"),
        ({"courage": {"score": 5}}, "courage"),
    ],
)
def test_rate_recovery_refuses_what_breaks_a_rule(owner, values, field):
    with pytest.raises(InvalidValuesError) as caught:
        services.rate_recovery(owner, month=date(2026, 3, 1), values=values)
    assert field in caught.value.errors
    assert not RecoveryAssessment.objects.exists()


def test_rate_recovery_takes_this_month_or_a_past_one(owner):
    with time_machine.travel("2026-03-31 12:00Z", tick=False):
        services.rate_recovery(owner, month=timezone.localdate(), values=scores(hope=5))
        with pytest.raises(InvalidValuesError) as caught:
            services.rate_recovery(owner, month=date(2026, 4, 1), values=scores(hope=5))
        assert "month" in caught.value.errors
        with pytest.raises(InvalidValuesError):
            services.rate_recovery(owner, month=date(1899, 12, 1), values=scores(hope=5))


def test_update_and_delete_an_assessment(owner):
    row, _ = services.rate_recovery(owner, month=date(2026, 2, 1), values=scores(hope=5))
    services.update_assessment(row, values=scores(empowerment=8))
    assert filter_assessments_of(owner).get().score("empowerment") == 8
    services.delete_assessment(row)
    assert not RecoveryAssessment.objects.exists()


def test_dimensions_are_the_five_of_chime():
    assert v.DIMENSION_KEYS == ("connectedness", "hope", "identity", "meaning", "empowerment")
