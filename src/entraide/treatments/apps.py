from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TreatmentsConfig(AppConfig):
    name = "entraide.treatments"
    label = "treatments"
    verbose_name = pgettext_lazy("app name", "Treatments")

    def ready(self) -> None:
        from entraide.treatments import demo, overview, personal_data, reminders

        reminders.register()
        personal_data.register()
        demo.register()
        overview.register()
