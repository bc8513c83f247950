"""The demo plan goes through the services (so it obeys the rules) and the same seed gives the same
data."""

from __future__ import annotations

import random
from datetime import date

import pytest

from entraide.core.registries import demo_providers, overview_sections
from entraide.safety import demo
from entraide.safety.access import filter_moments_of, find_plan_of
from entraide.safety.overview import safety_overview

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 1)


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  # made-up demo data, reproducible from a seed: no secret


def test_demo_writes_a_full_plan_read_again_and_some_moments(owner, stranger):
    assert demo_providers.get("safety") is not None
    demo.populate(owner, seeded(7), DAY)
    demo.populate(stranger, seeded(7), DAY)
    plan = find_plan_of(owner)
    assert plan.items("help_people")[0] == {"name": "Léa (ma sœur)", "phone": "06 12 34 56 78"}
    assert plan.reviewed_at > plan.updated_at
    moments = list(filter_moments_of(owner).order_by("created_at"))
    assert 1 <= len(moments) <= 2 and all(m.source == "button" for m in moments)
    other = list(filter_moments_of(stranger).order_by("created_at"))
    assert [m.created_at for m in moments] == [m.created_at for m in other]  # same seed, same data


def test_overview_section_invites_then_links_to_the_plan(owner):
    section = overview_sections.get("safety.plan")
    assert section is not None and section.context is safety_overview
    assert safety_overview(owner) == {"plan": None, "items": 0}
    demo.populate(owner, seeded(1), DAY)
    assert safety_overview(owner)["items"] == sum(len(v) for v in demo.PLAN.values())
