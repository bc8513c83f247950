from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JournalConfig(AppConfig):
    name = "entraide.journal"
    label = "journal"
    verbose_name = pgettext_lazy("app name", "Journal")

    def ready(self) -> None:
        from entraide.core.registries import (
            ApiArea,
            OverviewSection,
            register_api_area,
            register_overview_section,
        )
        from entraide.journal import demo, personal_data, reminders
        from entraide.journal.views.insights import mood_overview

        register_api_area(
            ApiArea(
                key="journal",
                label=pgettext_lazy("api area", "Journal"),
                description=pgettext_lazy(
                    "api area", "Check-ins, your indicators, journal entries and their summaries."
                ),
                order=10,
            )
        )
        personal_data.register()
        reminders.register()
        demo.register()
        register_overview_section(
            OverviewSection(
                key="journal.mood",
                title=pgettext_lazy("overview", "My mood, the last 30 days"),
                template="journal/overview/mood.html",
                context=mood_overview,
                order=10,
            )
        )
