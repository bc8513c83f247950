"""Forms of the personal journal. They parse what the browser sends and show kind messages; the
rules themselves are in ``journal.values`` and the services, shared with the API."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import pgettext, pgettext_lazy

from entraide.core import dates
from entraide.core.errors import InvalidValuesError, ServiceErrorsMixin
from entraide.core.forms.widgets import ChipsWidget, InlineRadios, ScaleWidget
from entraide.journal import values as v
from entraide.journal.models import Indicator, IndicatorKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
BLANK = ""
YES_NO = [
    ("yes", pgettext_lazy("yes or no", "Yes")),
    ("no", pgettext_lazy("yes or no", "No")),
]


def scale_field(label: Any, low: Any, high: Any, top: int = 10, bottom: int = 0) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(n), str(n)) for n in range(bottom, top + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=ScaleWidget(low=str(low), high=str(high)),
    )


def minutes_field(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=v.MINUTES_A_DAY,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )


def yes_no_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[*YES_NO, (BLANK, pgettext_lazy("yes or no", "Not noted"))],
        required=False,
        widget=InlineRadios,
    )


DURATION = re.compile(r"^\s*(?:(\d{1,3})\s*(?:h|:|H)\s*(\d{1,2})?\s*(?:min)?|(\d{1,5})\s*(?:min)?)\s*$")


def parse_duration(text: str) -> int | None:
    """ "1:30", "1 h 30", "1h", "90" or "90 min" → minutes; ``None`` if unreadable."""
    match = DURATION.match(text or "")
    if not match:
        return None
    hours, minutes, only_minutes = match.groups()
    if only_minutes is not None:
        return int(only_minutes)
    if minutes is not None and int(minutes) >= 60:
        return None
    return int(hours) * 60 + int(minutes or 0)


def format_duration(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


class DurationField(forms.CharField):
    """Hours and minutes as text in the form, minutes once cleaned. The text's length is checked
    before it becomes a number (a length validator on the minutes would fail on an int)."""

    MAX_TEXT = 20

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(self.MAX_TEXT))

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]  # minutes, not text
        text = super().to_python(value)
        if not text:
            return None
        minutes = parse_duration(text) if len(text) <= self.MAX_TEXT else None
        if minutes is None:
            raise forms.ValidationError(
                pgettext("indicator value", "Write hours and minutes like 1:30, or minutes like 90.")
            )
        return minutes

    def prepare_value(self, value: Any) -> Any:
        return format_duration(value) if isinstance(value, int) else value


def _name(indicator: Indicator) -> str:
    return indicator.name


def _name_and_unit(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name


# Made once: each call of ``lazy`` builds a class.
lazy_name = lazy(_name, str)
lazy_name_and_unit = lazy(_name_and_unit, str)


def _indicator_field_of_kind(kind: str) -> forms.Field:
    """An unlabelled field for indicators of ``kind`` (not a choice list)."""
    if kind == IndicatorKind.SCALE:
        return scale_field("", "0", "10")
    if kind == IndicatorKind.NUMBER:
        return forms.CharField(
            required=False,
            max_length=30,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
        )
    if kind == IndicatorKind.YES_NO:
        return yes_no_field("")
    if kind == IndicatorKind.DURATION:
        return DurationField(
            required=False,
            help_text=pgettext_lazy("check-in form", "Hours and minutes, like 1:30."),
            widget=forms.TextInput(attrs={"class": "input--short"}),
        )
    return forms.CharField(required=False, max_length=v.MAX_SHORT_TEXT)


def indicator_field(indicator: Indicator) -> forms.Field:
    """The indicator's field. Its name and choices are decrypted only when the form is shown or
    a choice is posted: a saved check-in does not pay for twenty names it never displays."""
    if indicator.kind == IndicatorKind.CHOICE:
        return forms.ChoiceField(
            label=lazy_name(indicator),
            choices=lambda: [
                *((c, c) for c in indicator.choices),
                (BLANK, pgettext_lazy("yes or no", "Not noted")),
            ],
            required=False,
            widget=InlineRadios,
        )
    field = _indicator_field_of_kind(indicator.kind)
    field.label = (lazy_name_and_unit if indicator.kind == IndicatorKind.NUMBER else lazy_name)(indicator)
    return field


class CheckinForm(ServiceErrorsMixin, forms.Form):
    """A check-in. Built for one person: their indicators (in their order), their own emotions,
    substances only if they switched them on."""

    moment = dates.DateTimeField(
        label=pgettext_lazy("check-in form", "When"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=pgettext_lazy("check-in form", "Now, or another moment to fill in a past day."),
    )
    private = forms.BooleanField(
        label=pgettext_lazy("private record", "Keep it private"),
        required=False,
        help_text=pgettext_lazy(
            "private record", "Nobody in your circle will see it, whatever you share with them."
        ),
    )
    mood = scale_field(
        pgettext_lazy("check-in form", "Mood"),
        pgettext_lazy("check-in form", "0: very low"),
        pgettext_lazy("check-in form", "10: very good"),
    )
    emotions = forms.MultipleChoiceField(
        label=pgettext_lazy("check-in form", "Emotions"),
        choices=list(v.EMOTIONS.items()),
        required=False,
        widget=ChipsWidget,
    )
    own_emotions = forms.MultipleChoiceField(
        label=pgettext_lazy("check-in form", "Your own emotions"), required=False, widget=ChipsWidget
    )
    new_emotions = forms.CharField(
        label=pgettext_lazy("check-in form", "Another emotion?"),
        required=False,
        max_length=300,
        help_text=pgettext_lazy("check-in form", "In your own words; separate several with commas."),
    )
    anxiety = scale_field(
        pgettext_lazy("check-in form", "Anxiety"),
        pgettext_lazy("check-in form", "0: none"),
        pgettext_lazy("check-in form", "10: extreme"),
    )
    energy = scale_field(
        pgettext_lazy("check-in form", "Energy"),
        pgettext_lazy("check-in form", "0: exhausted"),
        pgettext_lazy("check-in form", "10: full of energy"),
    )
    sleep_bed = forms.TimeField(
        label=pgettext_lazy("check-in form", "Went to bed at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    sleep_wake = forms.TimeField(
        label=pgettext_lazy("check-in form", "Woke up at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    sleep_quality = scale_field(
        pgettext_lazy("check-in form", "Sleep quality"),
        pgettext_lazy("check-in form", "1: very poor"),
        pgettext_lazy("check-in form", "5: very good"),
        top=5,
        bottom=1,
    )
    activity_minutes = minutes_field(pgettext_lazy("check-in form", "Physical activity (minutes)"))
    outdoors_minutes = minutes_field(pgettext_lazy("check-in form", "Time outdoors (minutes)"))
    regular_meals = yes_no_field(pgettext_lazy("check-in form", "Regular meals"))
    social_contact = yes_no_field(pgettext_lazy("check-in form", "Contact with someone"))
    alcohol_drinks = forms.IntegerField(
        label=pgettext_lazy("check-in form", "Alcohol (drinks)"),
        required=False,
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )
    tobacco = forms.IntegerField(
        label=pgettext_lazy("check-in form", "Tobacco (cigarettes)"),
        required=False,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )
    other_substances = forms.CharField(
        label=pgettext_lazy("check-in form", "Other substances"),
        required=False,
        max_length=v.MAX_SHORT_TEXT,
    )
    note = forms.CharField(
        label=pgettext_lazy("check-in form", "Note"),
        required=False,
        max_length=v.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=pgettext_lazy("check-in form", "Tags"),
        required=False,
        max_length=1000,
        help_text=pgettext_lazy("check-in form", "Separate them with commas, like: work, family."),
    )

    HABITS = ("activity_minutes", "outdoors_minutes", "regular_meals", "social_contact")
    SLEEP = ("sleep_bed", "sleep_wake", "sleep_quality")
    SUBSTANCES = ("alcohol_drinks", "tobacco", "other_substances")
    MORE = ("anxiety", "energy")
    WRITING = ("note", "tags")

    def __init__(
        self,
        data: Any = None,
        *,
        indicators: list[Indicator],
        all_indicators: dict[str, Indicator],
        own_emotions: list[str],
        track_substances: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.all_indicators = all_indicators
        self.indicators = list(indicators)
        # An archived indicator stays editable on a check-in that already has a value for it.
        shown = {str(i.pk) for i in self.indicators}
        for key in (initial or {}).get("indicator_values", {}):
            if key not in shown and key in all_indicators:
                self.indicators.append(all_indicators[key])
        for indicator in self.indicators:
            self.fields[f"ind_{indicator.pk}"] = indicator_field(indicator)
        own = list(own_emotions)
        for word in (initial or {}).get("own_emotions", []):
            if word not in own:
                own.append(word)
        self.fields["own_emotions"].choices = [(w, w) for w in own]  # type: ignore[attr-defined]
        if not own:
            del self.fields["own_emotions"]
        self.track_substances = track_substances or any(
            (initial or {}).get(k) not in (None, "") for k in self.SUBSTANCES
        )
        if not self.track_substances:
            for key in self.SUBSTANCES:
                del self.fields[key]

    @classmethod
    def initial_from(cls, checkin: Any) -> dict[str, Any]:
        payload = dict(checkin.payload)
        initial: dict[str, Any] = {k: payload[k] for k in payload if k in cls.base_fields}
        initial["moment"] = timezone.localtime(checkin.moment).replace(tzinfo=None)
        initial["tags"] = ", ".join(payload.get("tags", []))
        for key in ("regular_meals", "social_contact"):
            if key in payload:
                initial[key] = "yes" if payload[key] else "no"
        for key in ("sleep_bed", "sleep_wake"):
            if key in payload:
                initial[key] = time.fromisoformat(payload[key])
        values = payload.get("indicators", {})
        initial["indicator_values"] = values
        for indicator_id, value in values.items():
            initial[f"ind_{indicator_id}"] = ("yes" if value else "no") if isinstance(value, bool) else value
        return initial

    # Groups shown in the template, by section.
    def group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def sleep_fields(self) -> list[forms.BoundField]:
        return self.group(self.SLEEP)

    def habit_fields(self) -> list[forms.BoundField]:
        return self.group(self.HABITS)

    def substance_fields(self) -> list[forms.BoundField]:
        return self.group(self.SUBSTANCES)

    def more_fields(self) -> list[forms.BoundField]:
        return self.group(self.MORE)

    def writing_fields(self) -> list[forms.BoundField]:
        return self.group(self.WRITING)

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"ind_{i.pk}"] for i in self.indicators]

    def section_has(self, names: tuple[str, ...]) -> bool:
        """Whether a folded section holds a value or an error (then it is shown open)."""
        if names == ("indicators",):
            names = tuple(f"ind_{i.pk}" for i in self.indicators)
        if not self.is_bound:
            return any(self.initial.get(n) not in (None, "", []) for n in names)
        return any(self.data.get(n) or n in self.errors for n in names)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.values = self.to_values(data)
        try:
            v.clean_checkin(self.values, indicators=self.all_indicators)
        except InvalidValuesError as exc:
            self.add_service_errors(exc)
        return data

    def field_for(self, key: str) -> str | None:
        """An indicator's key names its field ``ind_<id>``; own emotions typed anew go to the
        text field when the person has none yet."""
        field = key.replace("indicator_", "ind_", 1)
        if field == "own_emotions" and "own_emotions" not in self.fields:
            field = "new_emotions"
        return super().field_for(field)

    def to_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The cleaned form as the service's values."""
        values: dict[str, Any] = {}
        for key in (
            "mood",
            "anxiety",
            "energy",
            "sleep_quality",
            "activity_minutes",
            "outdoors_minutes",
            "alcohol_drinks",
            "tobacco",
        ):
            if data.get(key) is not None:
                values[key] = data[key]
        values["emotions"] = data.get("emotions") or []
        own = list(data.get("own_emotions") or [])
        own += [w for w in (data.get("new_emotions") or "").split(",") if w.strip()]
        values["own_emotions"] = own
        for key in ("sleep_bed", "sleep_wake"):
            if data.get(key) is not None:
                values[key] = data[key].strftime("%H:%M")
        for key in ("regular_meals", "social_contact"):
            if data.get(key):
                values[key] = data[key] == "yes"
        for key in ("other_substances", "note", "tags"):
            if data.get(key):
                values[key] = data[key]
        indicator_values = {}
        for indicator in self.indicators:
            raw = data.get(f"ind_{indicator.pk}")
            if raw in (None, ""):
                continue
            if indicator.kind == IndicatorKind.YES_NO:
                raw = raw == "yes"
            indicator_values[str(indicator.pk)] = raw
        values["indicators"] = indicator_values
        return values

    def moment_value(self) -> datetime:
        moment: datetime = self.cleaned_data["moment"]
        return moment


class JournalSettingsForm(forms.Form):
    reminder_enabled = forms.BooleanField(
        label=pgettext_lazy("journal settings", "Remind me to fill in my check-in"),
        required=False,
        help_text=pgettext_lazy(
            "journal settings",
            "Once a day at the time you choose, only if you have not filled it in yet. You can "
            'always say "not today".',
        ),
    )
    reminder_time = forms.TimeField(
        label=pgettext_lazy("journal settings", "At what time"),
        initial=time(20, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekly_email = forms.BooleanField(
        label=pgettext_lazy("journal settings", "Send me a link to the summary of my week every Monday"),
        required=False,
        help_text=pgettext_lazy(
            "journal settings",
            "An email at 9:00 with a link only: nothing about your health is written in it.",
        ),
    )
    track_substances = forms.BooleanField(
        label=pgettext_lazy("journal settings", "Note alcohol, tobacco and other substances"),
        required=False,
        help_text=pgettext_lazy(
            "journal settings",
            "Adds these questions to your check-in. Only you see them unless you share them one day.",
        ),
    )
    own_emotions = forms.CharField(
        label=pgettext_lazy("journal settings", "Your own emotions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy(
            "journal settings",
            "Offered in every check-in. Separate them with commas; remove one to stop seeing it.",
        ),
    )

    def clean_own_emotions(self) -> list[str]:
        words, problem = v.clean_words(
            self.cleaned_data["own_emotions"],
            limit=v.MAX_OWN_EMOTIONS,
            length=v.MAX_OWN_EMOTION,
            what="emotions",
        )
        if problem:
            raise forms.ValidationError(str(problem))
        return words
