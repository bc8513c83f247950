from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.utils.translation import get_language, pgettext, pgettext_lazy

from entraide.accounts import services
from entraide.accounts.forms_profile import validate_pseudonym
from entraide.accounts.models import User
from entraide.core.forms.manage import GeneralSettingsForm
from entraide.core.instance import load_settings


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
    # Unticked, as at sign-up: the first administrator is a member too. The health-data consent is
    # asked when they first open their own personal space (a consent never seen is no consent).
    accept_terms = forms.BooleanField(
        label=pgettext_lazy("signup form", "I accept the terms of use and the community charter."),
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "setup form", "To create your instance, accept the terms of use and the community charter."
            )
        },
    )
    token = forms.CharField(widget=forms.HiddenInput)

    ACCOUNT_FIELDS = ("admin_email", "admin_pseudonym", "password1", "password2", "accept_terms")

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


class SignupExtraForm(forms.Form):
    """What allauth's sign-up form adds for us (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    pseudonym = forms.CharField(
        label=pgettext_lazy("signup form", "Pseudonym"),
        max_length=40,
        help_text=pgettext_lazy(
            "signup form", "The only name others will see. Not your real name, if you prefer."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    age_declaration = forms.BooleanField(label="", required=True)
    accept_terms = forms.BooleanField(
        label=pgettext_lazy("signup form", "I accept the terms of use and the community charter."),
        required=True,
    )
    health_consent = forms.BooleanField(
        label=pgettext_lazy(
            "signup form",
            "I agree that this site keeps the health information I choose to write (mood, sleep, "
            "questionnaires…) to show it to me and to the people I choose. I can withdraw this "
            "consent at any time by deleting my account.",
        ),
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "signup form",
                "Your private space holds health information: without this consent we cannot keep it for you.",
            )
        },
    )

    field_order = (
        "email",
        "pseudonym",
        "password1",
        "password2",
        "age_declaration",
        "accept_terms",
        "health_consent",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facts = load_settings()
        self.minimum_age = facts.minimum_age
        self.instance_name = facts.name
        self.fields["age_declaration"].label = pgettext("signup form", "I am at least %(age)s years old.") % {
            "age": self.minimum_age
        }
        self.fields["age_declaration"].error_messages["required"] = pgettext(
            "signup form", "This site is open from the age of %(age)s."
        ) % {"age": self.minimum_age}

    def clean_pseudonym(self) -> str:
        pseudonym: str = self.cleaned_data["pseudonym"].strip()
        validate_pseudonym(pseudonym, instance_name=self.instance_name)
        return pseudonym

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth once the account exists: record what the person agreed to."""
        services.record_signup_consents(user, language=get_language())
