"""The treatments app's part of the person's overview page (core.registries.overview_sections):
today's doses and the last 30 days in plain words."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils.translation import pgettext_lazy

from entraide.core.localtime import occurrence
from entraide.core.registries import OverviewSection, register_overview_section
from entraide.treatments import services
from entraide.treatments.access import filter_treatments_of


def treatments_overview(person: Any) -> dict[str, Any] | None:
    if not filter_treatments_of(person).filter(active=True).exists():
        return None
    zone = services.zone_of(person)
    today = services.today_of(person)
    doses = services.doses_between(
        person, occurrence(today, time(0, 0), zone), occurrence(today + timedelta(days=1), time(0, 0), zone)
    )
    return {
        "today": len(doses),
        "noted": sum(1 for d in doses if d.status),
        "month": services.adherence(person, 30),
    }


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="treatments.today",
            title=pgettext_lazy("overview", "My treatments"),
            template="treatments/overview/section.html",
            context=treatments_overview,
            order=40,
        )
    )
