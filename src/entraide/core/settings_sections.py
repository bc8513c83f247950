"""The instance-settings sections core itself provides."""

from django.utils.translation import pgettext_lazy

from entraide.core.forms.manage import GeneralSettingsForm, crisis_numbers_form
from entraide.core.registries import SettingsSection, register_settings_section

register_settings_section(
    SettingsSection(
        key="general",
        title=pgettext_lazy("instance settings", "General"),
        build_form=GeneralSettingsForm.for_settings,
        order=10,
    )
)
register_settings_section(
    SettingsSection(
        key="crisis",
        title=pgettext_lazy("instance settings", "Crisis numbers"),
        build_form=crisis_numbers_form,
        order=20,
        template="core/instance_settings/crisis_section.html",
    )
)
