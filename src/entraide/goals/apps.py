from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class GoalsConfig(AppConfig):
    name = "entraide.goals"
    label = "goals"
    verbose_name = pgettext_lazy("app name", "Goals and what helps")

    def ready(self) -> None:
        from entraide.goals import demo, overview, personal_data

        personal_data.register()
        demo.register()
        overview.register()
