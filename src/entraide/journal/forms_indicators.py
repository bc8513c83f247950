"""Forms for the person's own indicators. The rules (name, unit, options, the limit of 50) are the
services'; their messages come back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core.errors import ServiceErrorsMixin
from entraide.journal.models import Indicator, IndicatorKind

# One line for each kind, shown under its name in the list of kinds.
KIND_EXPLANATIONS: dict[str, Promise] = {
    IndicatorKind.SCALE: pgettext_lazy("indicator form", "A value from 0 to 10, like pain or motivation."),
    IndicatorKind.NUMBER: pgettext_lazy(
        "indicator form", "Any number, with a unit if you like: glasses of water, steps, mg."
    ),
    IndicatorKind.YES_NO: pgettext_lazy(
        "indicator form", "Did it happen or not: took a walk, called someone."
    ),
    IndicatorKind.DURATION: pgettext_lazy("indicator form", "Hours and minutes, like time spent reading."),
    IndicatorKind.CHOICE: pgettext_lazy(
        "indicator form", "One option among those you write, like a place or the weather."
    ),
    IndicatorKind.TEXT: pgettext_lazy("indicator form", "A few words, up to 200 characters."),
}


class KindWidget(forms.RadioSelect):
    """The kinds as a list of radio buttons, each with its one-line explanation."""

    option_template_name = "journal/widgets/kind_option.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["explanation"] = KIND_EXPLANATIONS.get(str(option["value"]), "")
        return option


class IndicatorForm(ServiceErrorsMixin, forms.Form):
    """Create an indicator, or (``indicator`` given) change one: its kind is then fixed and only
    the fields that mean something for that kind are shown."""

    name = forms.CharField(
        label=pgettext_lazy("indicator form", "Name"),
        help_text=pgettext_lazy("indicator form", "Short and clear to you, like “Pain” or “Walk”."),
        error_messages={"required": pgettext_lazy("indicator form", "Give it a name.")},
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("indicator form", "Kind"),
        choices=IndicatorKind.choices,
        widget=KindWidget,
        error_messages={"required": pgettext_lazy("indicator form", "Choose a kind from the list.")},
    )
    unit = forms.CharField(
        label=pgettext_lazy("indicator form", "Unit (optional)"),
        required=False,
        help_text=pgettext_lazy(
            "indicator form", "Only for a number, like km, glasses or mg. Other kinds ignore it."
        ),
        widget=forms.TextInput(attrs={"class": "input--short"}),
    )
    choices = forms.CharField(
        label=pgettext_lazy("indicator form", "Options of the list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=pgettext_lazy(
            "indicator form", "Only for “one choice from a list”: write one option per line, at least two."
        ),
    )

    def __init__(self, data: Any = None, *, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {"name": indicator.name, "unit": indicator.unit, "choices": "\n".join(indicator.choices)},
            )
        super().__init__(data, **kwargs)
        self.indicator = indicator
        if indicator is not None:
            del self.fields["kind"]
            if indicator.kind != IndicatorKind.NUMBER:
                del self.fields["unit"]
            else:
                self.fields["unit"].help_text = pgettext_lazy("indicator form", "Like km, glasses or mg.")
            if indicator.kind != IndicatorKind.CHOICE:
                del self.fields["choices"]
            else:
                self.fields["choices"].help_text = pgettext_lazy(
                    "indicator form",
                    "One option per line, at least two. An option you remove stays in the check-ins "
                    "that used it.",
                )

    def clean_choices(self) -> list[str]:
        return [line for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def values(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of ``create_indicator``/``update_indicator``."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "name": data["name"],
            "unit": data.get("unit", ""),
            "choices": data.get("choices", []),
        }
        if "kind" in self.fields:
            values["kind"] = data["kind"]
        return values
