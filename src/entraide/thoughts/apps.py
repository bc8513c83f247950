from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ThoughtsConfig(AppConfig):
    name = "entraide.thoughts"
    label = "thoughts"
    verbose_name = pgettext_lazy("app name", "Thought records")

    def ready(self) -> None:
        from entraide.thoughts import demo, personal_data

        personal_data.register()
        demo.register()
