from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "entraide.core"
    label = "core"
    verbose_name = pgettext_lazy("app name", "Core")

    def ready(self) -> None:
        from entraide.core import checks, settings_sections, signals  # noqa: F401 — registers
