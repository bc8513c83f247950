from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SafetyConfig(AppConfig):
    name = "entraide.safety"
    label = "safety"
    verbose_name = pgettext_lazy("app name", "Safety plan")
