"""Forms for goals, coping strategies and the recovery self-assessment. They parse what the
browser sends; the rules (lengths, limits, dates) are the services', shared with the API, and come
back as messages on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import ServiceErrorsMixin
from entraide.goals import values as v
from entraide.goals.models import CopingStrategy, Goal, GoalStatus, RecoveryAssessment, StrategyUse
from entraide.journal.forms import scale_field

DATE_FORMAT = "%Y-%m-%d"


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return dates.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


# --- Goals --------------------------------------------------------------------------------------


class GoalForm(ServiceErrorsMixin, forms.Form):
    # No max_length: the browser would cut a long paste silently; the service says what to do.
    title = forms.CharField(label=pgettext_lazy("goal form", "Your goal"))
    why = forms.CharField(
        label=pgettext_lazy("goal form", "Why it matters to you"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy("goal form", "Optional. A few words to come back to when it gets hard."),
    )
    steps = forms.CharField(
        label=pgettext_lazy("goal form", "First steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy("goal form", "Optional. One small step per line; you can add others later."),
    )
    target_date = date_field(
        pgettext_lazy("goal form", "Target date"),
        required=False,
        help_text=pgettext_lazy("goal form", "Optional. A date to aim for, not a deadline."),
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("goal form", "Where you are with it"),
        choices=GoalStatus.choices,
        initial=GoalStatus.IN_PROGRESS,
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
    )

    def __init__(self, data: Any = None, *, goal: Goal | None = None, **kwargs: Any) -> None:
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": goal.title,
                    "why": goal.why,
                    "target_date": goal.target_date,
                    "status": goal.status,
                },
            )
        super().__init__(data, **kwargs)
        if goal is not None:
            del self.fields["steps"]  # the checklist is changed on the goal's page

    def values(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of ``create_goal``/``update_goal``."""
        data = self.cleaned_data
        values = {
            "title": data["title"],
            "why": data["why"],
            "target_date": data["target_date"],
            "status": data["status"],
        }
        if "steps" in self.fields:
            values["steps"] = [line for line in data["steps"].splitlines() if line.strip()]
        return values


class StepForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("goal", "A new step"),
        help_text=pgettext_lazy("goal", "Small is good: something you could do this week."),
    )


# --- Coping strategies --------------------------------------------------------------------------


class StrategyForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("strategy form", "What helps you"),
        help_text=pgettext_lazy("strategy form", "In your own words, like “a walk by the river”."),
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("strategy form", "Kind"),
        choices=list(v.CATEGORIES.items()),
        initial="other",
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
    )
    note = forms.CharField(
        label=pgettext_lazy("strategy form", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy("strategy form", "Optional. How you do it, what you need for it."),
    )

    def __init__(self, data: Any = None, *, strategy: CopingStrategy | None = None, **kwargs: Any) -> None:
        if strategy is not None:
            kwargs.setdefault(
                "initial", {"name": strategy.name, "category": strategy.category, "note": strategy.note}
            )
        super().__init__(data, **kwargs)

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("name", "category", "note")}


def help_field() -> forms.TypedChoiceField:
    field = scale_field(
        pgettext_lazy("strategy use form", "How much did it help?"),
        pgettext_lazy("strategy use form", "0: not at all"),
        pgettext_lazy("strategy use form", "4: a lot"),
        top=v.HELP_HIGH,
        bottom=v.HELP_LOW,
    )
    field.help_text = pgettext_lazy(
        "strategy use form", "Optional: if you are not sure yet, you can rate it later."
    )
    return field


class UseForm(ServiceErrorsMixin, forms.Form):
    day = date_field(pgettext_lazy("strategy use form", "When"))
    helped = help_field()
    no_rating = forms.BooleanField(
        label=pgettext_lazy("strategy use form", "Not rated"),
        label_suffix="",
        required=False,
    )
    note = forms.CharField(
        label=pgettext_lazy("strategy use form", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy("strategy use form", "Optional. What you noticed."),
    )

    def __init__(self, data: Any = None, *, use: StrategyUse | None = None, **kwargs: Any) -> None:
        if use is not None:
            kwargs.setdefault("initial", {"day": use.day, "helped": use.helped, "note": use.note})
        else:
            kwargs.setdefault("initial", {"day": timezone.localdate()})
        super().__init__(data, **kwargs)
        # Without JavaScript a chosen radio cannot be unchosen: a rated use offers a box.
        if use is None or use.helped is None:
            del self.fields["no_rating"]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "helped": None if data.get("no_rating") else data["helped"],
            "note": data["note"],
        }


# --- Recovery self-assessment -------------------------------------------------------------------


def words_field(dimension: v.Dimension) -> forms.CharField:
    return forms.CharField(
        # Five of these on one page: each label names its dimension.
        label=format_lazy(
            pgettext_lazy("recovery form", "{dimension}, in your own words"), dimension=dimension.name
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=pgettext_lazy("recovery form", "Optional."),
    )


class RecoveryForm(ServiceErrorsMixin, forms.Form):
    """The five dimensions, each a 0–10 scale with its explanation, and the person's words."""

    def __init__(
        self, data: Any = None, *, assessment: RecoveryAssessment | None = None, **kwargs: Any
    ) -> None:
        if assessment is not None:
            initial: dict[str, Any] = {}
            for key in v.DIMENSION_KEYS:
                initial[key] = assessment.score(key)
                initial[f"{key}_words"] = assessment.words(key)
            kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)
        for dimension in v.DIMENSIONS:
            scale = scale_field(
                dimension.name,
                pgettext_lazy("recovery form", "0: not at all"),
                pgettext_lazy("recovery form", "10: completely"),
            )
            scale.help_text = dimension.explanation  # type: ignore[assignment]  # a lazy string, as Django allows
            self.fields[dimension.key] = scale
            self.fields[f"{dimension.key}_words"] = words_field(dimension)

    def dimensions(self) -> list[dict[str, Any]]:
        """For the template: each dimension with its scale and words fields."""
        return [{"dimension": d, "scale": self[d.key], "words": self[f"{d.key}_words"]} for d in v.DIMENSIONS]

    def values(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            key: {"score": data.get(key), "words": data.get(f"{key}_words", "")} for key in v.DIMENSION_KEYS
        }
