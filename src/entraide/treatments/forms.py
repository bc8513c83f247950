"""Forms for treatments, schedules, on-demand starts and side-effect notes. They parse what the
browser sends; the rules are the services', shared with the API, and come back as messages on the
fields. Everything works without JavaScript: an on-demand pattern has a fixed number of rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import ServiceErrorsMixin
from entraide.treatments import values as v
from entraide.treatments.models import Schedule, ScheduleKind, Treatment

DATE_FORMAT = "%Y-%m-%d"
PATTERN_ROWS = 6
WEEKDAYS = [
    (0, pgettext_lazy("weekday", "Monday")),
    (1, pgettext_lazy("weekday", "Tuesday")),
    (2, pgettext_lazy("weekday", "Wednesday")),
    (3, pgettext_lazy("weekday", "Thursday")),
    (4, pgettext_lazy("weekday", "Friday")),
    (5, pgettext_lazy("weekday", "Saturday")),
    (6, pgettext_lazy("weekday", "Sunday")),
]


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return dates.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


class TreatmentForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("treatment form", "Name"),
        help_text=pgettext_lazy("treatment form", "As written on your prescription or the box."),
    )
    dose = forms.CharField(
        label=pgettext_lazy("treatment form", "Dose"),
        required=False,
        help_text=pgettext_lazy("treatment form", "Optional. For example “50 mg”."),
    )
    form = forms.CharField(
        label=pgettext_lazy("treatment form", "Form"),
        required=False,
        help_text=pgettext_lazy("treatment form", "Optional. Tablet, drops, injection…"),
    )
    prescriber = forms.CharField(
        label=pgettext_lazy("treatment form", "Prescriber"),
        required=False,
        help_text=pgettext_lazy("treatment form", "Optional."),
    )
    prescription_end = date_field(
        pgettext_lazy("treatment form", "End of the prescription"),
        required=False,
        help_text=pgettext_lazy(
            "treatment form", "Optional. If you give it, you get a reminder to renew it some days before."
        ),
    )
    renewal_days = forms.IntegerField(
        label=pgettext_lazy("treatment form", "Days before the end for the renewal reminder"),
        initial=v.DEFAULT_RENEWAL_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=pgettext_lazy("treatment form", "Notes"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy("treatment form", "Optional. Only you see them."),
    )

    def __init__(self, data: Any = None, *, treatment: Treatment | None = None, **kwargs: Any) -> None:
        if treatment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": treatment.name,
                    "dose": treatment.dose,
                    "form": treatment.form,
                    "prescriber": treatment.prescriber,
                    "prescription_end": treatment.prescription_end,
                    "renewal_days": treatment.renewal_days,
                    "notes": treatment.notes,
                    "active": treatment.active,
                },
            )
        super().__init__(data, **kwargs)
        if treatment is not None:
            self.fields["active"] = forms.BooleanField(
                label=pgettext_lazy("treatment form", "I am taking it now"),
                required=False,
                help_text=pgettext_lazy(
                    "treatment form", "Untick it when you stop: its history stays, its reminders stop."
                ),
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {key: data[key] for key in ("name", "dose", "form", "prescriber", "prescription_end", "notes")}
        out["renewal_days"] = data["renewal_days"]
        if "active" in self.fields:
            out["active"] = data["active"]
        return out


class ScheduleForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("schedule form", "When do you take it?"),
        choices=ScheduleKind.choices,
        initial=ScheduleKind.DAILY,
        widget=forms.RadioSelect,
    )
    starts_on = date_field(
        pgettext_lazy("schedule form", "From"),
        required=False,
        help_text=pgettext_lazy(
            "schedule form", "Optional: today if empty. A cycle starts with its days on."
        ),
    )
    times = forms.CharField(
        label=pgettext_lazy("schedule form", "Times"),
        required=False,
        help_text=pgettext_lazy("schedule form", "Your local times, separated by commas: 08:00, 20:00."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("schedule form", "Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cycle_on = forms.IntegerField(
        label=pgettext_lazy("schedule form", "Days on"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    cycle_off = forms.IntegerField(
        label=pgettext_lazy("schedule form", "Days off"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def field_for(self, key: str) -> str | None:
        """A pattern's error goes to its first hour."""
        return "pattern_hours_0" if key == "pattern" and key not in self.fields else super().field_for(key)

    def __init__(self, data: Any = None, *, schedule: Schedule | None = None, **kwargs: Any) -> None:
        if schedule is not None:
            initial: dict[str, Any] = {
                "kind": schedule.kind,
                "starts_on": schedule.starts_on,
                "times": ", ".join(schedule.times),
                "weekdays": schedule.weekdays,
                "cycle_on": schedule.cycle_on,
                "cycle_off": schedule.cycle_off,
            }
            for n, dose in enumerate(schedule.pattern[:PATTERN_ROWS]):
                minutes = int(dose["offset_minutes"])
                initial[f"pattern_hours_{n}"] = minutes // 60 if minutes % 60 == 0 else round(minutes / 60, 2)
                initial[f"pattern_amount_{n}"] = dose["amount"]
            kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)
        for n in range(PATTERN_ROWS):
            self.fields[f"pattern_hours_{n}"] = forms.IntegerField(
                label=pgettext_lazy("schedule form", "Hours after the first dose (dose %(n)s)")
                % {"n": n + 1},
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"pattern_amount_{n}"] = forms.CharField(
                label=pgettext_lazy("schedule form", "What to take (dose %(n)s)") % {"n": n + 1},
                required=False,
            )

    def pattern_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"pattern_hours_{n}"], self[f"pattern_amount_{n}"]) for n in range(PATTERN_ROWS)]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        pattern = []
        for n in range(PATTERN_ROWS):
            hours, amount = data.get(f"pattern_hours_{n}"), (data.get(f"pattern_amount_{n}") or "").strip()
            if hours is None and not amount:
                continue
            pattern.append({"offset_hours": hours if hours is not None else -1, "amount": amount})
        return {
            "kind": data["kind"],
            "starts_on": data.get("starts_on"),
            "times": [t for t in (data.get("times") or "").replace(";", ",").split(",") if t.strip()],
            "weekdays": data.get("weekdays") or [],
            "cycle_on": data.get("cycle_on"),
            "cycle_off": data.get("cycle_off"),
            "pattern": pattern,
        }


class StartForm(ServiceErrorsMixin, forms.Form):
    at = dates.DateTimeField(
        label=pgettext_lazy("on-demand start", "Time of your first dose"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=pgettext_lazy("on-demand start", "Now, or the time you take it (in your time zone)."),
    )


class SideEffectForm(ServiceErrorsMixin, forms.Form):
    day = date_field(pgettext_lazy("side effect form", "Day"))
    text = forms.CharField(
        label=pgettext_lazy("side effect form", "What you noticed"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def values(self) -> dict[str, Any]:
        return {"day": self.cleaned_data["day"], "text": self.cleaned_data["text"]}


def local_input(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def today_input(day: date) -> str:
    return day.isoformat()
