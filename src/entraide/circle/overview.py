"""The circle's part of the person's overview page (core.registries.overview_sections): shown to
supporters (a way to the people who share with them) and to people with proposals to answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from entraide.circle.access import filter_links_supported_by
from entraide.circle.models import Link
from entraide.core.registries import OverviewSection, register_overview_section


def circle_overview(person: Any) -> dict[str, Any] | None:
    from entraide.circle.services import proposals_for

    supporting = filter_links_supported_by(person, Link.objects.open()).exists()
    proposals = proposals_for(person).count()
    if not supporting and not proposals:
        return None
    return {"supporting": supporting, "proposals": proposals}


def register() -> None:
    register_overview_section(
        OverviewSection(
            key="circle.people",
            title=pgettext_lazy("overview", "My circle"),
            template="circle/overview/section.html",
            context=circle_overview,
            order=50,
        )
    )
