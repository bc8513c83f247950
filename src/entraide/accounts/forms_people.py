"""Forms of the people and invitation pages: parsing and kind messages, no side effects."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.accounts.invitations import (
    ADULT_ROLES,
    DEFAULT_INVITATION_DAYS,
    MAX_INVITATION_DAYS,
    PROFESSION_MAX_LENGTH,
    VERIFICATION_NOTE_MAX_LENGTH,
)
from entraide.accounts.models import Role

ADULT_CHECK_ERROR = pgettext_lazy(
    "role form", "Peer helpers and professionals must be adults: tick the box once you have checked."
)


def _role_choices(roles: list[str]) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, str(labels[role])) for role in roles]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("people list", "Pseudonym"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=pgettext_lazy("role form", "Role to give"))
    adult_checked = forms.BooleanField(
        label=pgettext_lazy("role form", "I checked this person is an adult."),
        required=False,
        help_text=pgettext_lazy("role form", "Required for peer helpers and professionals."),
    )
    profession = forms.CharField(
        label=pgettext_lazy("role form", "Profession"),
        max_length=PROFESSION_MAX_LENGTH,
        required=False,
        help_text=pgettext_lazy("role form", "For professionals only, for example “psychologist”."),
    )
    verification_note = forms.CharField(
        label=pgettext_lazy("role form", "How you checked it"),
        max_length=VERIFICATION_NOTE_MAX_LENGTH,
        required=False,
        help_text=pgettext_lazy(
            "role form",
            "For professionals only: in a few words, how you checked their profession (for example a "
            "public register). Do not copy any identity document.",
        ),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A blank first choice: a form sent as it came gives no role by mistake.
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", pgettext_lazy("role form", "Choose a role")),
            *_role_choices(roles),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in ADULT_ROLES and not data.get("adult_checked"):
            self.add_error("adult_checked", ADULT_CHECK_ERROR)
        if role == Role.PROFESSIONAL:
            for name in ("profession", "verification_note"):
                if not (data.get(name) or "").strip() and not self.has_error(name):
                    self.add_error(
                        name,
                        pgettext_lazy(
                            "role form", "A professional needs their profession and how you checked it."
                        ),
                    )
        return data


class RoleRevokeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)


class InvitationForm(forms.Form):
    BY_EMAIL = "email"
    BY_LINK = "link"

    channel = forms.ChoiceField(
        label=pgettext_lazy("invitation form", "How to send it"),
        choices=[
            (BY_EMAIL, pgettext_lazy("invitation form", "By email: we send the link")),
            (
                BY_LINK,
                pgettext_lazy(
                    "invitation form", "As a link shown once here, to give by text message or in person"
                ),
            ),
        ],
        initial=BY_EMAIL,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=pgettext_lazy("invitation form", "Their email address"),
        required=False,
        help_text=pgettext_lazy("invitation form", "Only when sending by email."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("invitation form", "Role given on sign-up"),
        required=False,
        help_text=pgettext_lazy(
            "invitation form",
            "Optional. To make someone a professional, invite them without a role, then give it on "
            "their page once their profession is checked.",
        ),
    )
    adult_checked = forms.BooleanField(
        label=pgettext_lazy("invitation form", "I checked this person is an adult."),
        required=False,
        help_text=pgettext_lazy("invitation form", "Required to invite a peer helper."),
    )
    expires_in_days = forms.IntegerField(
        label=pgettext_lazy("invitation form", "Valid for (days)"),
        min_value=1,
        max_value=MAX_INVITATION_DAYS,
        initial=DEFAULT_INVITATION_DAYS,
        help_text=pgettext_lazy("invitation form", "From 1 to 30 days."),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", pgettext_lazy("invitation form", "No role")),
            *_role_choices(roles),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == self.BY_EMAIL and not data.get("email") and not self.has_error("email"):
            self.add_error(
                "email",
                pgettext_lazy("invitation form", "Write the email address to send the invitation to."),
            )
        if data.get("channel") == self.BY_LINK:
            data["email"] = ""
        if data.get("role") in ADULT_ROLES and not data.get("adult_checked"):
            self.add_error("adult_checked", ADULT_CHECK_ERROR)
        return data
