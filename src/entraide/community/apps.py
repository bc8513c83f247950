from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommunityConfig(AppConfig):
    name = "entraide.community"
    label = "community"
    verbose_name = pgettext_lazy("app name", "Community")

    def ready(self) -> None:
        from entraide.community import hooks, personal_data, settings_section, tasks  # noqa: F401 — tasks: jobs

        personal_data.register()
        settings_section.register()
        hooks.register()
