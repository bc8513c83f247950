"""Forms of the thought records. They parse what the browser sends; the rules (lengths, limits,
intensities, days) are the services', shared with the API, and come back as messages on the fields.

Without JavaScript a form cannot grow rows, so emotions come in numbered slots (five, or more when
editing a record that has more); the "after" section repeats the slots, named by the emotion when
it is known (editing, or the form shown again with a message).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from entraide.core import dates
from entraide.core.errors import ServiceErrorsMixin
from entraide.thoughts import values as v
from entraide.thoughts.models import ThoughtRecord

DATE_FORMAT = "%Y-%m-%d"
DEFAULT_SLOTS = 5
SLOT_FIELD = re.compile(r"^(?:emotion|own|before|after)_(\d{1,2})$")
TEXT_FIELDS = ("situation", "thought", "evidence_for", "evidence_against", "balanced_thought")


def date_field(label: Any) -> forms.DateField:
    return dates.DateField(
        label=label,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "required": pgettext_lazy("thought record form", "Give a date."),
            "invalid": pgettext_lazy("thought record form", "Give a date like 2026-03-14."),
        },
    )


def intensity_field(label: Any) -> forms.CharField:
    # Text for the service to judge (one message for every door); a number keypad on phones.
    return forms.CharField(
        label=label,
        required=False,
        max_length=12,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric", "class": "input--short"}
        ),
    )


def text_field(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    # No max_length: the browser would cut a long paste silently; the service says what to do.
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DistortionsWidget(forms.CheckboxSelectMultiple):
    """The ten distortions as boxes, each followed by its explanation and an example, tied to the
    box by ``aria-describedby`` so that a screen reader reads them with it."""

    template_name = "thoughts/widgets/distortions.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        distortion = v.DISTORTIONS[str(option["value"])]
        option["explanation"] = distortion.explanation
        option["example"] = distortion.example
        if option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_about"
        return option


class ThoughtForm(ServiceErrorsMixin, forms.Form):
    private = forms.BooleanField(
        label=pgettext_lazy("private record", "Keep it private"),
        required=False,
        help_text=pgettext_lazy(
            "private record", "Nobody in your circle will see it, whatever you share with them."
        ),
    )
    day = date_field(pgettext_lazy("thought record form", "Day"))
    time = forms.TimeField(
        label=pgettext_lazy("thought record form", "Time (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": pgettext_lazy("thought record form", "Give a time like 14:30.")},
    )
    situation = text_field(
        pgettext_lazy("thought record form", "The situation"),
        pgettext_lazy(
            "thought record form",
            "Where were you, with whom, what happened? The facts, as a camera would see them.",
        ),
    )
    thought = text_field(
        pgettext_lazy("thought record form", "The automatic thought"),
        pgettext_lazy("thought record form", "What went through your mind? Write it as it came."),
    )
    distortions = forms.MultipleChoiceField(
        label=pgettext_lazy("thought record form", "Thinking traps you recognise (optional)"),
        choices=[(k, d.name) for k, d in v.DISTORTIONS.items()],
        required=False,
        widget=DistortionsWidget,
        help_text=pgettext_lazy(
            "thought record form", "Everyone falls into them at times. Tick those that fit this thought."
        ),
    )
    evidence_for = text_field(
        pgettext_lazy("thought record form", "What supports the thought"),
        pgettext_lazy("thought record form", "Facts that seem to show the thought is true."),
    )
    evidence_against = text_field(
        pgettext_lazy("thought record form", "What does not fit the thought"),
        pgettext_lazy(
            "thought record form",
            "Facts that do not fit it. What would you say to a friend who had this thought?",
        ),
    )
    balanced_thought = text_field(
        pgettext_lazy("thought record form", "A more balanced thought"),
        pgettext_lazy(
            "thought record form", "Taking everything into account, what could you tell yourself now?"
        ),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        initial: dict[str, Any] | None = None,
        slots: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, initial=initial, **kwargs)
        self.slots = slots if slots is not None else self.slots_for(data, initial)
        choices = [("", pgettext_lazy("thought record form", "Choose…")), *v.EMOTIONS.items()]
        for i in range(self.slots):
            self.fields[f"emotion_{i}"] = forms.ChoiceField(
                label=pgettext_lazy("thought record form", "From the list"), choices=choices, required=False
            )
            self.fields[f"own_{i}"] = forms.CharField(
                label=pgettext_lazy("thought record form", "Or in your own words"),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"list": "own-emotions"}),
            )
            self.fields[f"before_{i}"] = intensity_field(
                pgettext_lazy("thought record form", "How strong (0 to 100)")
            )
            self.fields[f"after_{i}"] = intensity_field(self._after_label(i))
        numbers = range(self.slots)
        # The page's order, so that the error summary lists problems as the page shows them.
        self.order_fields(
            [
                "day",
                "time",
                "situation",
                "thought",
                *(f"{part}_{i}" for i in numbers for part in ("emotion", "own", "before")),
                "distortions",
                "evidence_for",
                "evidence_against",
                "balanced_thought",
                *(f"after_{i}" for i in numbers),
            ]
        )
        self.slot_of_item: list[int] = []

    @staticmethod
    def slots_for(data: Any, initial: dict[str, Any] | None) -> int:
        """Five, or two more than the emotions already there; as many as were posted."""
        filled = len((initial or {}).get("emotion_slots", []))
        posted = [int(m.group(1)) + 1 for m in map(SLOT_FIELD.match, data or ()) if m]
        return min(v.MAX_EMOTIONS, max(DEFAULT_SLOTS, filled + 2 if filled else 0, *posted))

    def _slot_name(self, i: int) -> str:
        source = self.data if self.is_bound else self.initial
        key = source.get(f"emotion_{i}") or ""
        own = " ".join(str(source.get(f"own_{i}") or "").split())
        if key in v.EMOTIONS:
            return str(v.EMOTIONS[key])
        return own[: v.MAX_OWN_WORD]

    def _after_label(self, i: int) -> str:
        name = self._slot_name(i)
        if name:
            return pgettext("thought record form", "How strong is “%(emotion)s” now (0 to 100)?") % {
                "emotion": name
            }
        return pgettext("thought record form", "How strong is emotion %(number)s now (0 to 100)?") % {
            "number": i + 1
        }

    # --- what the template shows ---------------------------------------------------------------

    def emotion_slots(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "emotion": self[f"emotion_{i}"],
                "own": self[f"own_{i}"],
                "before": self[f"before_{i}"],
            }
            for i in range(self.slots)
        ]

    def after_fields(self) -> list[forms.BoundField]:
        return [self[f"after_{i}"] for i in range(self.slots)]

    # --- in and out ------------------------------------------------------------------------------

    @staticmethod
    def initial_for_new() -> dict[str, Any]:
        return {"day": timezone.localdate()}  # the person's zone (PersonTimeZoneMiddleware)

    @staticmethod
    def initial_from(record: ThoughtRecord) -> dict[str, Any]:
        p = record.payload
        initial: dict[str, Any] = {k: p.get(k, "") for k in TEXT_FIELDS}
        initial.update(
            day=record.day,
            time=time.fromisoformat(p["time"]) if p.get("time") else None,
            distortions=list(p.get("distortions", [])),
            emotion_slots=list(p.get("emotions", [])),
        )
        for i, item in enumerate(p.get("emotions", [])):
            initial.update(
                {
                    f"emotion_{i}": item.get("emotion", ""),
                    f"own_{i}": item.get("own", ""),
                    f"before_{i}": item.get("before"),
                    f"after_{i}": item.get("after"),
                }
            )
        return initial

    def values(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of ``create_thought``/``update_thought``."""
        data = self.cleaned_data
        by_label = {v.fold(str(label)): key for key, label in v.EMOTIONS.items()}
        emotions: list[dict[str, Any]] = []
        self.slot_of_item = []
        for i in range(self.slots):
            key, own = data.get(f"emotion_{i}") or "", (data.get(f"own_{i}") or "").strip()
            before, after = data.get(f"before_{i}") or "", data.get(f"after_{i}") or ""
            if not (key or own or before.strip() or after.strip()):
                continue
            if not key and v.fold(" ".join(own.split())) in by_label:
                key, own = by_label[v.fold(" ".join(own.split()))], ""  # "tristesse" is the listed one
            emotions.append({"emotion": key or None, "own": own or None, "before": before, "after": after})
            self.slot_of_item.append(i)
        return {
            "day": data["day"],
            "time": data.get("time"),
            **{k: data.get(k, "") for k in TEXT_FIELDS},
            "emotions": emotions,
            "distortions": data.get("distortions") or [],
        }

    def field_for(self, key: str) -> str | None:
        parts = key.split(".")
        if parts[0] == "emotions" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.slot_of_item):
                part = parts[2] if len(parts) > 2 else "emotion"
                return f"{part}_{self.slot_of_item[index]}"
            return None
        return super().field_for(key)


class FollowUpForm(ServiceErrorsMixin, forms.Form):
    on = date_field(pgettext_lazy("follow-up form", "Day"))
    note = text_field(
        pgettext_lazy("follow-up form", "How did it go?"),
        pgettext_lazy(
            "follow-up form", "What happened next, what you notice now, what you would keep from it."
        ),
    )
    intensity = intensity_field(pgettext_lazy("follow-up form", "How strong is the feeling now (0 to 100)?"))

    @staticmethod
    def initial_from(record: ThoughtRecord) -> dict[str, Any]:
        p = record.payload
        return {
            "on": record.follow_up_on or timezone.localdate(),
            "note": p.get("follow_up_note", ""),
            "intensity": p.get("follow_up_intensity"),
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"on": data["on"], "note": data["note"], "intensity": data["intensity"]}
