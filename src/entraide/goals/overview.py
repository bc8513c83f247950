"""The goals app's part of the person's overview page (core.registries.overview_sections)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import pgettext_lazy

from entraide.core.registries import OverviewSection, register_overview_section
from entraide.goals import services
from entraide.goals.access import filter_goals_of
from entraide.goals.models import GoalStatus


def goals_overview(person: Any) -> dict[str, Any] | None:
    # As the goals page orders them: the nearest target date first, goals without one after.
    goals = list(
        filter_goals_of(person)
        .filter(status=GoalStatus.IN_PROGRESS)
        .order_by(F("target_date").asc(nulls_last=True), "-created_at")[:5]
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
