from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommunityConfig(AppConfig):
    name = "entraide.community"
    label = "community"
    verbose_name = pgettext_lazy("app name", "Community")

    def ready(self) -> None:
        from entraide.community import (  # noqa: F401 — tasks: jobs
            hooks,
            notification_kinds,
            personal_data,
            reportables,
            settings_section,
            tasks,
        )

        personal_data.register()
        settings_section.register()
        reportables.register()
        notification_kinds.register()
        hooks.register()
