from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JournalConfig(AppConfig):
    name = "entraide.journal"
    label = "journal"
    verbose_name = pgettext_lazy("app name", "Journal")

    def ready(self) -> None:
        from entraide.journal import demo, overview, personal_data, reminders

        personal_data.register()
        reminders.register()
        demo.register()
        overview.register()
