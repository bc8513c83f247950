from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ThoughtsConfig(AppConfig):
    name = "entraide.thoughts"
    label = "thoughts"
    verbose_name = pgettext_lazy("app name", "Thought records")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area

        register_api_area(
            ApiArea(
                key="thoughts",
                label=pgettext_lazy("api area", "Thought records"),
                description=pgettext_lazy("api area", "Your thought records and their follow-ups."),
                order=30,
            )
        )
        from entraide.thoughts import demo, personal_data

        personal_data.register()
        demo.register()
