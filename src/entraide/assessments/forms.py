"""Forms of the questionnaires. A questionnaire's form is built from its data: one group of radio
buttons per item, the wording and the answers verbatim from the instrument file, in the language
the file gives for the person. Every field is optional here: which answers are required (every
scored item; PHQ-9's difficulty item when a scored one is above 0) is the engine's rule, shared
with the API, and its messages come back on the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.assessments import engine
from entraide.assessments import values as v
from entraide.core.errors import ServiceErrorsMixin
from entraide.core.forms.widgets import AnswerRadios


def _choices(options: tuple[engine.Option, ...], language: str) -> list[tuple[str, str]]:
    return [(str(o.value), engine.text(o.wording, language)) for o in options]


def item_field(label: str, options: tuple[engine.Option, ...], language: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=_choices(options, language),
        required=False,
        widget=AnswerRadios,
        error_messages={
            "invalid_choice": pgettext_lazy("questionnaire values", "Choose one of the answers offered.")
        },
    )


def _item_fields(instrument: engine.Instrument, language: str) -> dict[str, forms.Field]:
    """A questionnaire's fields in one language."""
    fields: dict[str, forms.Field] = {
        f"item_{item.n}": item_field(engine.text(item.wording, language), instrument.options, language)
        for item in instrument.items
    }
    if instrument.difficulty is not None:
        fields["difficulty"] = item_field(
            engine.text(instrument.difficulty.wording, language), instrument.difficulty.options, language
        )
    return fields


class QuestionnaireForm(ServiceErrorsMixin, forms.Form):
    private = forms.BooleanField(
        label=pgettext_lazy("private record", "Keep it private"),
        required=False,
        help_text=pgettext_lazy(
            "private record", "Nobody in your circle will see it, whatever you share with them."
        ),
    )

    def __init__(self, data: Any = None, *, instrument: engine.Instrument, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.instrument = instrument
        self.language = engine.wording_language(instrument.stem)
        self.fields.update(_item_fields(instrument, self.language))

    def items(self) -> list[dict[str, Any]]:
        """For the template: each item's number and field."""
        return [{"n": item.n, "field": self[f"item_{item.n}"]} for item in self.instrument.items]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "questionnaire": self.instrument.key,
            "answers": {str(i.n): data.get(f"item_{i.n}") or None for i in self.instrument.items},
            "difficulty": data.get("difficulty") or None,
            "language": self.language,
        }

    def field_for(self, key: str) -> str | None:
        """``answers.<n>`` is item n's field."""
        return super().field_for(
            f"item_{key.removeprefix('answers.')}" if key.startswith("answers.") else key
        )


class ScheduleForm(ServiceErrorsMixin, forms.Form):
    """A rhythm per questionnaire, and the one reminder for all of them."""

    remind = forms.BooleanField(
        label=pgettext_lazy("questionnaire schedule", "Send me a reminder when a questionnaire comes back"),
        label_suffix="",
        required=False,
        help_text=pgettext_lazy(
            "questionnaire schedule",
            "On the day it comes back, and once more a week later if you have not answered it. The reminder never names the questionnaire.",
        ),
    )
    at = forms.TimeField(
        label=pgettext_lazy("questionnaire schedule", "At what time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": pgettext_lazy("questionnaire schedule", "Give a time like 18:00.")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = [(str(days), label) for days, label in v.FREQUENCIES.items()]
        for instrument in engine.all_instruments():
            self.fields[f"every_{instrument.key}"] = forms.TypedChoiceField(
                label=engine.text(instrument.name),
                choices=choices,
                coerce=int,
                initial=str(v.DEFAULT_EVERY_DAYS),
                widget=AnswerRadios,
                error_messages={
                    "required": pgettext_lazy("questionnaire schedule", "Choose a rhythm."),
                    "invalid_choice": pgettext_lazy("questionnaire schedule", "Choose a rhythm."),
                },
            )
        self.order_fields([*(f"every_{k}" for k in engine.KEYS), "remind", "at"])

    def rhythms(self) -> list[forms.BoundField]:
        return [self[f"every_{k}"] for k in engine.KEYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remind") and data.get("at") is None and "at" not in self.errors:
            self.add_error("at", pgettext_lazy("questionnaire schedule", "Give a time like 18:00."))
        return data
