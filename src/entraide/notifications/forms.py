"""The preferences form: one choice of channel per kind that can be changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.core.registries import NotificationKind, notification_kinds
from entraide.notifications.models import Channel


class PreferencesForm(forms.Form):
    """A field per non-security kind, named by its key; security kinds are shown as fixed."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds: list[NotificationKind] = [k for k in notification_kinds.ordered() if not k.security]
        self.fixed: list[NotificationKind] = [k for k in notification_kinds.ordered() if k.security]
        for kind in self.kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=str(kind.label),  # built per request, in its language
                help_text=str(kind.description),
                choices=Channel.choices,
                initial=current.get(kind.key, kind.default_channel),
                widget=forms.RadioSelect,
                error_messages={
                    "required": pgettext_lazy(
                        "notification preferences", "Choose how you want to receive it."
                    ),
                    "invalid_choice": pgettext_lazy(
                        "notification preferences", "Choose one of the options in the list."
                    ),
                },
            )
