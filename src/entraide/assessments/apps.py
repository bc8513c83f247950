from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "entraide.assessments"
    label = "assessments"
    verbose_name = pgettext_lazy("app name", "Questionnaires")

    def ready(self) -> None:
        from entraide.assessments import demo, overview, personal_data, reminders

        personal_data.register()
        demo.register()
        overview.register()
        reminders.register()
