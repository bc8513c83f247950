"""Forms of the anonymity liftings and of "Faire une pause": they parse and explain; the rules are
in ``anonymity`` and ``pause``."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.community import anonymity, pause
from entraide.community.forms import ServiceErrorsMixin
from entraide.core import dates


class LiftRequestForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("anonymity lift", "Why you need to know who wrote it"),
        min_length=anonymity.REASON_MIN,
        max_length=anonymity.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy(
            "anonymity lift",
            "Only for someone's safety. Another moderator or a coordinator decides; your reason is kept "
            "in the moderators' log.",
        ),
    )


class LiftDecisionForm(ServiceErrorsMixin, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label=pgettext_lazy("anonymity lift", "Your decision"),
        choices=(
            (APPROVE, pgettext_lazy("anonymity lift", "Approve: the requester and I will see the pseudonym")),
            (REFUSE, pgettext_lazy("anonymity lift", "Refuse: the message stays anonymous for everyone")),
        ),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("anonymity lift", "Why (optional, kept in the moderators' log)"),
        required=False,
        max_length=anonymity.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dont_tell = forms.BooleanField(
        label=pgettext_lazy("anonymity lift", "Do not tell the author: it would put someone in danger"),
        required=False,
        help_text=pgettext_lazy(
            "anonymity lift", "Otherwise the author is told, without any name, that the team needed to know."
        ),
    )
    not_told_reason = forms.CharField(
        label=pgettext_lazy("anonymity lift", "Why telling the author would put someone in danger"),
        required=False,
        max_length=anonymity.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PauseForm(ServiceErrorsMixin, forms.Form):
    DATE = "date"
    length = forms.ChoiceField(
        label=pgettext_lazy("pause", "For how long"),
        choices=(
            *((key, label) for key, (_, label) in pause.DURATIONS.items()),
            (DATE, pgettext_lazy("pause", "Until a date I choose")),
        ),
        initial="1w",
        widget=forms.RadioSelect,
    )
    until = dates.DateField(
        label=pgettext_lazy("pause", "Until (a date within a year)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def end(self, *, now: datetime | None = None) -> datetime | None:
        """When the pause ends: a duration from now, or the start of the chosen day (local time)."""
        now = now or timezone.now()
        choice = self.cleaned_data["length"]
        if choice != self.DATE:
            return pause.end_of(choice, now=now)
        day = self.cleaned_data.get("until")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(0, 0)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("length") == self.DATE and cleaned.get("until") is None and "until" not in self.errors:
            self.add_error("until", pgettext_lazy("pause", "Choose the date your break ends."))
        return cleaned
