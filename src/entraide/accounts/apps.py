from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "entraide.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("app name", "Accounts")

    def ready(self) -> None:
        from entraide.accounts import invitations, signals, tasks  # noqa: F401 — receivers, jobs
        from entraide.accounts.personal_data import register

        register()
