from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "entraide.core"
    label = "core"
    verbose_name = pgettext_lazy("app name", "Core")

    def ready(self) -> None:
        from entraide.core import checks, settings_sections, signals, tasks  # noqa: F401 — registers
        from entraide.core.models import DataKey
        from entraide.core.registries import ErasureRegistration, register_erasure

        register_erasure(
            ErasureRegistration(
                key="core.data_key",
                models=(DataKey,),
                # Already shredded first by erase_person; kept here so the rule stays visible.
                erase=lambda person: DataKey.objects.filter(owner_id=person.pk).delete(),
                order=0,
            )
        )
