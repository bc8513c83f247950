from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "entraide.assessments"
    label = "assessments"
    verbose_name = pgettext_lazy("app name", "Questionnaires")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area

        register_api_area(
            ApiArea(
                key="assessments",
                label=pgettext_lazy("api area", "Questionnaires"),
                description=pgettext_lazy("api area", "Your questionnaire answers and scores."),
                order=40,
            )
        )
        from entraide.assessments import demo, overview, personal_data, reminders

        personal_data.register()
        demo.register()
        overview.register()
        reminders.register()
