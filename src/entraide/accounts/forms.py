from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import pgettext_lazy

from entraide.accounts.models import User
from entraide.core.forms import GeneralSettingsForm


class SetupForm(GeneralSettingsForm):
    """The first visit: the instance's settings and its first administrator, in one form."""

    admin_email = forms.EmailField(
        label=pgettext_lazy("setup form", "Your email address"),
        help_text=pgettext_lazy("setup form", "You will log in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    admin_pseudonym = forms.CharField(
        label=pgettext_lazy("setup form", "Your pseudonym"),
        max_length=40,
        help_text=pgettext_lazy("setup form", "The name others will see."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label=pgettext_lazy("setup form", "Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=pgettext_lazy(
            "setup form",
            "At least 10 characters. A few unrelated words are easy to remember and hard to guess.",
        ),
    )
    password2 = forms.CharField(
        label=pgettext_lazy("setup form", "The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    ACCOUNT_FIELDS = ("admin_email", "admin_pseudonym", "password1", "password2")

    def instance_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FIELDS]

    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def clean_admin_email(self) -> str:
        email: str = self.cleaned_data["admin_email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                pgettext_lazy("setup form", "An account already uses this address. Log in with it instead.")
            )
        return email

    def clean_admin_pseudonym(self) -> str:
        pseudonym: str = self.cleaned_data["admin_pseudonym"].strip()
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(
                pgettext_lazy("setup form", "This pseudonym is taken. Choose another one.")
            )
        return pseudonym

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error(
                "password2", pgettext_lazy("setup form", "The two passwords are different. Type them again.")
            )
        elif p1:
            probe = User(email=data.get("admin_email", ""), pseudonym=data.get("admin_pseudonym", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
