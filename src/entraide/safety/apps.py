from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SafetyConfig(AppConfig):
    name = "entraide.safety"
    label = "safety"
    verbose_name = pgettext_lazy("app name", "Safety plan")

    def ready(self) -> None:
        from entraide.core.registries import ApiArea, register_api_area

        register_api_area(
            ApiArea(
                key="safety",
                label=pgettext_lazy("api area", "Safety plan"),
                description=pgettext_lazy("api area", "Your safety plan."),
                order=50,
            )
        )
        from entraide.safety import demo, overview, personal_data, receivers  # noqa: F401  # receivers: connects

        personal_data.register()
        demo.register()
        overview.register()
