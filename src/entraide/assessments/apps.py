from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "entraide.assessments"
    label = "assessments"
    verbose_name = pgettext_lazy("app name", "Questionnaires")
