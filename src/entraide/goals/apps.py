from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class GoalsConfig(AppConfig):
    name = "entraide.goals"
    label = "goals"
    verbose_name = pgettext_lazy("app name", "Goals and what helps")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area

        register_api_area(
            ApiArea(
                key="goals",
                label=pgettext_lazy("api area", "Goals and what helps"),
                description=pgettext_lazy(
                    "api area", "Goals, their steps, what helps you, recovery self-assessments."
                ),
                order=20,
            )
        )
        from entraide.goals import demo, overview, personal_data

        personal_data.register()
        demo.register()
        overview.register()
