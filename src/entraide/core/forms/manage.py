from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import pgettext_lazy

from entraide.core.models import InstanceSettings, LegalDocument, SignupMode

MAX_CRISIS_NUMBERS = 12


class GeneralSettingsForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("instance settings", "Name of this instance"),
        max_length=80,
        help_text=pgettext_lazy(
            "instance settings", "Shown at the top of every page, for example your association's name."
        ),
    )
    contact_email = forms.EmailField(
        label=pgettext_lazy("instance settings", "Contact address"),
        help_text=pgettext_lazy(
            "instance settings", "Where people can write to the team that runs this instance."
        ),
    )
    default_language = forms.ChoiceField(
        label=pgettext_lazy("instance settings", "Default language"),
        choices=settings.LANGUAGES,
        help_text=pgettext_lazy(
            "instance settings",
            "Used when a visitor's browser asks for a language this site does not offer.",
        ),
    )
    signup_mode = forms.ChoiceField(
        label=pgettext_lazy("instance settings", "Who can create an account"),
        choices=SignupMode.choices,
        widget=forms.RadioSelect,
    )
    minimum_age = forms.IntegerField(
        label=pgettext_lazy("instance settings", "Minimum age"),
        min_value=13,
        max_value=21,
        help_text=pgettext_lazy(
            "instance settings",
            "People must declare they are at least this old to sign up. "
            "Peer helpers and professionals must always be adults.",
        ),
    )

    FIELDS = ("name", "contact_email", "default_language", "signup_mode", "minimum_age")

    @classmethod
    def for_settings(cls, row: InstanceSettings, data: dict[str, Any] | None) -> GeneralSettingsForm:
        return cls(data, initial={f: getattr(row, f) for f in cls.FIELDS})

    def apply(self, row: InstanceSettings) -> None:
        for f in self.FIELDS:
            setattr(row, f, self.cleaned_data[f])


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .-]{1,24}$",
    pgettext_lazy("instance settings", "Write the number with digits and spaces only, like 09 72 39 40 50."),
)


class CrisisNumberForm(forms.Form):
    label = forms.CharField(label=pgettext_lazy("crisis numbers", "Name"), max_length=80, required=False)
    number = forms.CharField(
        label=pgettext_lazy("crisis numbers", "Number"),
        max_length=25,
        validators=[phone_validator],
        required=False,
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("crisis numbers", "How to reach it"),
        choices=[
            ("tel", pgettext_lazy("crisis numbers", "Phone call")),
            ("sms", pgettext_lazy("crisis numbers", "Text message")),
        ],
        initial="tel",  # so that a blank extra row, posted with its preselected kind, is skipped
    )
    description = forms.CharField(
        label=pgettext_lazy("crisis numbers", "In a few words"), max_length=160, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        label, number = data.get("label", "").strip(), data.get("number", "").strip()
        if bool(label) != bool(number) and not self.has_error("number"):
            missing = "number" if label else "label"
            self.add_error(
                missing,
                pgettext_lazy(
                    "crisis numbers", "Give both a name and a number, or leave both empty to remove this row."
                ),
            )
        data["empty"] = not label and not number
        return data


class BaseCrisisNumberFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.numbers():
            raise forms.ValidationError(
                pgettext_lazy(
                    "crisis numbers", "Keep at least one number: the help page must never be empty."
                )
            )

    def numbers(self) -> list[dict[str, str]]:
        return [
            {k: f.cleaned_data[k].strip() for k in ("label", "number", "kind", "description")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data["empty"] and not f.cleaned_data.get("DELETE")
        ]

    def apply(self, row: InstanceSettings) -> None:
        row.crisis_numbers = self.numbers()


CrisisNumberFormSet = forms.formset_factory(
    CrisisNumberForm,
    formset=BaseCrisisNumberFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_CRISIS_NUMBERS,
    validate_max=True,
)


def crisis_numbers_form(row: InstanceSettings, data: dict[str, Any] | None) -> BaseCrisisNumberFormSet:
    formset = CrisisNumberFormSet(data, initial=row.crisis_numbers, prefix="crisis")
    return cast(BaseCrisisNumberFormSet, formset)  # formset_factory's stubs lose the class


class LegalDocumentForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("legal editor", "Text"),
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=100_000,
        help_text=pgettext_lazy(
            "legal editor",
            "Plain text with simple formatting: a blank line between paragraphs, "
            "## for a heading, - for a list item, **bold**, [link](https://…).",
        ),
    )
    change_summary = forms.CharField(
        label=pgettext_lazy("legal editor", "What changed, in a few words"),
        max_length=200,
        required=False,
    )
    requires_new_consent = forms.BooleanField(
        label=pgettext_lazy(
            "legal editor", "This change matters: ask every member to agree again at their next visit."
        ),
        required=False,
        help_text=pgettext_lazy(
            "legal editor",
            "Only for the terms of use and the community charter. Leave unticked for a typo or a link.",
        ),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


CONSENTED_KINDS = {"terms", "charter"}


def legal_document_form(
    data: dict[str, Any] | None, *, current: LegalDocument | None, body: str, kind: str = ""
) -> LegalDocumentForm:
    form = LegalDocumentForm(data, initial={"body": body, "base_version": current.version if current else 0})
    if kind not in CONSENTED_KINDS:
        del form.fields["requires_new_consent"]
    return form
