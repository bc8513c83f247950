from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TreatmentsConfig(AppConfig):
    name = "entraide.treatments"
    label = "treatments"
    verbose_name = pgettext_lazy("app name", "Treatments")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area

        register_api_area(
            ApiArea(
                key="treatments",
                label=pgettext_lazy("api area", "Treatments"),
                description=pgettext_lazy("api area", "Treatments, schedules, doses taken and side effects."),
                order=60,
            )
        )
        from entraide.treatments import demo, overview, personal_data, reminders

        reminders.register()
        personal_data.register()
        demo.register()
        overview.register()
