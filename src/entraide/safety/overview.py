"""The safety app's part of the person's overview page (core.registries.overview_sections): always
shown, since a plan not written yet is worth an invitation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from entraide.core.registries import OverviewSection, register_overview_section
from entraide.safety import values as v
from entraide.safety.access import find_plan_of


def safety_overview(person: Any) -> dict[str, Any]:
    plan = find_plan_of(person)
    items = sum(len(plan.items(key)) for key in v.STEP_KEYS) if plan is not None else 0
    return {"plan": plan, "items": items}


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="safety.plan",
            title=pgettext_lazy("overview", "My safety plan"),
            template="safety/overview/section.html",
            context=safety_overview,
            order=40,
        )
    )
