from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JournalConfig(AppConfig):
    name = "entraide.journal"
    label = "journal"
    verbose_name = pgettext_lazy("app name", "Journal")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area
        from entraide.journal import demo, overview, personal_data, reminders

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
        overview.register()
