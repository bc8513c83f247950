"""The questionnaires' part of the person's overview page (core.registries.overview_sections):
the latest result of each, and whether it is back."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.assessments import display, services
from entraide.assessments.access import latest_responses_of
from entraide.core.registries import OverviewSection, register_overview_section


def assessments_overview(person: Any) -> dict[str, Any] | None:
    today = timezone.localdate()
    latest = latest_responses_of(person)
    dues = services.due_of(person, latest)
    rows = [{"result": display.result_of(r), "is_due": dues[key].is_due(today)} for key, r in latest.items()]
    return {"rows": rows} if rows else None


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="assessments.latest",
            title=pgettext_lazy("overview", "My questionnaires"),
            template="assessments/overview/section.html",
            context=assessments_overview,
            order=35,
        )
    )
