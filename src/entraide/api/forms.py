"""The form that creates a personal access token."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.api import services
from entraide.api.models import TokenScope

DURATION_CHOICES = [
    ("30", pgettext_lazy("api token form", "30 days")),
    ("90", pgettext_lazy("api token form", "90 days")),
    ("365", pgettext_lazy("api token form", "1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("api token form", "Name"),
        max_length=services.MAX_NAME,
        help_text=pgettext_lazy(
            "api token form", "To recognise it in the list, for example the program that will use it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=pgettext_lazy("api token form", "What it allows"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=pgettext_lazy(
            "api token form",
            "Read only is enough to copy your data elsewhere. Choose read and write only for a "
            "program that records check-ins or entries for you.",
        ),
    )
    days = forms.TypedChoiceField(
        label=pgettext_lazy("api token form", "Valid for"),
        choices=DURATION_CHOICES,
        coerce=int,
        initial="90",
        widget=forms.RadioSelect,
        help_text=pgettext_lazy("api token form", "After that it stops working; you can create another."),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(pgettext_lazy("api token form", "Give it a name."), code="required")
        return name
