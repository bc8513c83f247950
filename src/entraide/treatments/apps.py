from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TreatmentsConfig(AppConfig):
    name = "entraide.treatments"
    label = "treatments"
    verbose_name = pgettext_lazy("app name", "Treatments")
