from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ApiConfig(AppConfig):
    name = "entraide.api"
    label = "api"
    verbose_name = pgettext_lazy("app name", "API")

    def ready(self) -> None:
        from entraide.api import receivers, tasks  # noqa: F401 — connects, registers the job
        from entraide.api.personal_data import register

        register()
