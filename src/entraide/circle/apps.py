from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CircleConfig(AppConfig):
    name = "entraide.circle"
    label = "circle"
    verbose_name = pgettext_lazy("app name", "Circle")

    def ready(self) -> None:
        from entraide.circle import hooks, overview, personal_data, tasks  # noqa: F401  # tasks: periodic jobs

        hooks.register()
        overview.register()
        personal_data.register()
        personal_data.register_proposals()
