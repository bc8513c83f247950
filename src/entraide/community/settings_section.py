"""The community's section of the instance settings: what erasing an account does to its posts,
the trust levels' numbers, moderation hours and who reads the moderation figures."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import pgettext_lazy

from entraide.community import services
from entraide.community.rules import FIGURES_MEMBERS, FIGURES_PUBLIC, Rules
from entraide.core.models import InstanceSettings
from entraide.core.registries import SettingsSection, register_settings_section


def _number(label: Any, *, help_text: Any = "", max_value: int = 365) -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, min_value=0, max_value=max_value)


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
    approvals = _number(
        pgettext_lazy(
            "instance settings", "A new member's messages wait for approval until this many are published"
        ),
        help_text=pgettext_lazy("instance settings", "0: nobody's messages wait."),
        max_value=100,
    )
    member_days = _number(pgettext_lazy("instance settings", "Days before a new member becomes a member"))
    trusted_days = _number(pgettext_lazy("instance settings", "Days before a member can become trusted"))
    trusted_posts = _number(
        pgettext_lazy("instance settings", "Published messages before a member can become trusted"),
        max_value=10000,
    )
    trusted_clean_days = _number(
        pgettext_lazy("instance settings", "Days without an upheld report against them to stay trusted")
    )
    off_hours_flags = forms.IntegerField(
        label=pgettext_lazy(
            "instance settings",
            "Reports of harassment by trusted members that hide a message outside moderation hours",
        ),
        min_value=2,
        max_value=50,
    )
    hours_start = forms.TimeField(
        label=pgettext_lazy("instance settings", "Moderation hours: from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    hours_end = forms.TimeField(
        label=pgettext_lazy("instance settings", "Moderation hours: until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    hours_days = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("instance settings", "Moderation days"),
        choices=[(str(day), name) for day, name in WEEKDAYS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    figures = forms.ChoiceField(
        label=pgettext_lazy("instance settings", "Who reads the moderation figures"),
        choices=(
            (FIGURES_PUBLIC, pgettext_lazy("instance settings", "Everyone, logged in or not")),
            (FIGURES_MEMBERS, pgettext_lazy("instance settings", "Members only")),
        ),
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_settings(cls, row: InstanceSettings, data: dict[str, Any] | None) -> CommunitySettingsForm:
        current = row.extra.get("community", {}).get("erasure", services.ERASE_BLANK)
        rules = asdict(Rules.of(row))
        rules["hours_days"] = [str(d) for d in rules["hours_days"]]
        return cls(data, initial={"erasure": current, **rules})

    def apply(self, row: InstanceSettings) -> None:
        values = dict(self.cleaned_data)
        values["hours_start"] = values["hours_start"].strftime("%H:%M")
        values["hours_end"] = values["hours_end"].strftime("%H:%M")
        values["hours_days"] = sorted(values["hours_days"])
        row.extra = {**row.extra, "community": {**row.extra.get("community", {}), **values}}


def register() -> None:
    register_settings_section(
        SettingsSection(
            key="community",
            title=pgettext_lazy("instance settings", "Community"),
            build_form=CommunitySettingsForm.for_settings,
            order=60,
        )
    )
