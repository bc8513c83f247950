"""The community's section of the instance settings: what erasing an account does to its posts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.community import services
from entraide.core.models import InstanceSettings
from entraide.core.registries import SettingsSection, register_settings_section


class CommunitySettingsForm(forms.Form):
    erasure = forms.ChoiceField(
        label=pgettext_lazy("instance settings", "When a member erases their account, their messages"),
        choices=(
            (
                services.ERASE_BLANK,
                pgettext_lazy(
                    "instance settings",
                    "are emptied and shown as “message from a member who left” (replies keep their place)",
                ),
            ),
            (services.ERASE_DELETE, pgettext_lazy("instance settings", "are deleted")),
        ),
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_settings(cls, row: InstanceSettings, data: dict[str, Any] | None) -> CommunitySettingsForm:
        current = row.extra.get("community", {}).get("erasure", services.ERASE_BLANK)
        return cls(data, initial={"erasure": current})

    def apply(self, row: InstanceSettings) -> None:
        row.extra = {**row.extra, "community": {**row.extra.get("community", {}), **self.cleaned_data}}


def register() -> None:
    register_settings_section(
        SettingsSection(
            key="community",
            title=pgettext_lazy("instance settings", "Community"),
            build_form=CommunitySettingsForm.for_settings,
            order=60,
        )
    )
