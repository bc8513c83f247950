"""Forms of a person's own account pages: profile, account deletion."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import pgettext_lazy

from entraide.accounts.models import DEFAULT_TIME_ZONE, User, validate_time_zone
from entraide.accounts.pseudonyms import canonical, is_reserved

REAL_NAME_MAX_LENGTH = 100


@cache
def time_zone_choices() -> list[tuple[str, Any]]:
    """IANA zones grouped by region ("Europe" → "Paris"), the loose ones (UTC…) last."""
    groups: dict[str, list[tuple[str, str]]] = {}
    loose: list[tuple[str, str]] = []
    for name in sorted(zoneinfo.available_timezones()):
        region, _, city = name.partition("/")
        if city:
            groups.setdefault(region, []).append((name, city.replace("_", " ").replace("/", " / ")))
        else:
            loose.append((name, name.replace("_", " ")))
    other = pgettext_lazy("profile form", "Other")
    return [*groups.items(), (other, loose)]  # type: ignore[list-item]  # a lazy group label is fine


def validate_pseudonym(pseudonym: str, *, instance_name: str, user: User | None = None) -> None:
    """The sign-up rules: at least one letter or digit, not reserved, not too close to another's."""
    if not canonical(pseudonym):
        raise forms.ValidationError(
            pgettext_lazy("profile form", "Use at least one letter or digit."), code="empty"
        )
    if is_reserved(pseudonym, instance_name=instance_name):
        raise forms.ValidationError(
            pgettext_lazy("profile form", "This pseudonym is reserved. Choose another one."), code="reserved"
        )
    others = User.objects.filter(pseudonym_key=canonical(pseudonym))
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise forms.ValidationError(
            pgettext_lazy(
                "profile form", "This pseudonym, or one too close to it, is taken. Choose another one."
            ),
            code="taken",
        )


class ProfileForm(forms.Form):
    pseudonym = forms.CharField(
        label=pgettext_lazy("profile form", "Pseudonym"),
        max_length=40,
        help_text=pgettext_lazy(
            "profile form",
            "The only name others see. If you change it, moderators can still see your former pseudonyms.",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    real_name = forms.CharField(
        label=pgettext_lazy("profile form", "Real name (optional)"),
        max_length=REAL_NAME_MAX_LENGTH,
        required=False,
        help_text=pgettext_lazy(
            "profile form",
            "Private: only you can see it. Nobody else on this site, not even the team or the people "
            "you share your data with. It is stored encrypted.",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_language = forms.ChoiceField(
        label=pgettext_lazy("profile form", "Language"),
        choices=settings.LANGUAGES,
        help_text=pgettext_lazy("profile form", "For the pages and the emails you receive."),
    )
    time_zone = forms.ChoiceField(
        label=pgettext_lazy("profile form", "Time zone"),
        choices=time_zone_choices,
        initial=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=pgettext_lazy(
            "profile form", "Dates, times and reminders follow it. In France: Europe, Paris."
        ),
    )

    def __init__(self, *args: Any, user: User, instance_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance_name = instance_name

    def clean_pseudonym(self) -> str:
        pseudonym: str = self.cleaned_data["pseudonym"].strip()
        if pseudonym == self.user.pseudonym:
            return pseudonym  # unchanged: not a change, even if the rules became stricter since
        validate_pseudonym(pseudonym, instance_name=self.instance_name, user=self.user)
        return pseudonym

    def clean_real_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("real_name", "")).split())


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=pgettext_lazy(
            "account deletion",
            "I understand that my account and everything in it will be deleted now, and that this cannot be undone.",
        ),
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "account deletion", "Tick the box to confirm that you want to delete your account."
            )
        },
    )
