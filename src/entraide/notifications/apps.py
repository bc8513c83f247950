from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "entraide.notifications"
    label = "notifications"
    verbose_name = pgettext_lazy("app name", "Notifications")

    def ready(self) -> None:
        from entraide.notifications import reminders, tasks  # noqa: F401 — register their jobs
        from entraide.notifications.personal_data import register

        register()
