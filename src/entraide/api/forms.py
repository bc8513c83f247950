"""The form that creates a personal access token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.api import services
from entraide.api.models import TokenScope
from entraide.core.registries import api_areas

NONE = "none"
AREA_PREFIX = "area_"

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
    days = forms.TypedChoiceField(
        label=pgettext_lazy("api token form", "Valid for"),
        choices=DURATION_CHOICES,
        coerce=int,
        initial="90",
        widget=forms.RadioSelect,
        help_text=pgettext_lazy("api token form", "After that it stops working; you can create another."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One choice per area the apps registered, after the name and before the duration.
        days = self.fields.pop("days")
        for area in api_areas.ordered():
            self.fields[AREA_PREFIX + area.key] = forms.ChoiceField(
                label=str(area.label),
                help_text=str(area.description),
                choices=[
                    (NONE, pgettext_lazy("api token form", "No access")),
                    (TokenScope.READ, TokenScope.READ.label),
                    # What others share with the person is read only (ApiArea.others).
                    *([] if area.others else [(TokenScope.READ_WRITE, TokenScope.READ_WRITE.label)]),
                ],
                initial=NONE,
                required=False,  # left out: no access
                widget=forms.RadioSelect,
            )
        self.fields["days"] = days

    def areas(self) -> dict[str, str]:
        """``{area: scope}`` of the areas ticked (after ``is_valid``)."""
        return {
            name.removeprefix(AREA_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(AREA_PREFIX) and value not in (NONE, "")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.areas():
            raise forms.ValidationError(
                pgettext_lazy(
                    "api token form",
                    "Choose at least one area the token may read. Read only is enough to copy your "
                    "data elsewhere; choose read and write only for a program that records for you.",
                ),
                code="no_area",
            )
        return cleaned

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(pgettext_lazy("api token form", "Give it a name."), code="required")
        return name
