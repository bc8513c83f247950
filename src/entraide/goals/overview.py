"""The goals app's part of the person's overview page (core.registries.overview_sections)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from entraide.core.owned_rows import owned_rows
from entraide.core.registries import OverviewSection, register_overview_section
from entraide.goals import services
from entraide.goals.models import Goal, GoalStatus


def goals_overview(person: Any) -> dict[str, Any] | None:
    goals = owned_rows(
        Goal, person, status=GoalStatus.IN_PROGRESS, order="target_date, created_at DESC", limit=5
    )
    helps = [s for s in services.strategies_in_order(person) if s.mean_help is not None][:3]
    if not goals and not helps:
        return None
    return {"goals": goals, "helps": helps}


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="goals.progress",
            title=pgettext_lazy("overview", "My goals and what helps me"),
            template="goals/overview/section.html",
            context=goals_overview,
            order=30,
        )
    )
