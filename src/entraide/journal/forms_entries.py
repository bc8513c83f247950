"""The journal entry form. It parses what the browser sends; the rules (lengths, mood, tags, day)
are the services', shared with the API, and come back as messages on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import ServiceErrorsMixin
from entraide.journal.forms import scale_field
from entraide.journal.models import JournalEntry

DATE_FORMAT = "%Y-%m-%d"


class EntryForm(ServiceErrorsMixin, forms.Form):
    private = forms.BooleanField(
        label=pgettext_lazy("private record", "Keep it private"),
        required=False,
        help_text=pgettext_lazy(
            "private record", "Nobody in your circle will see it, whatever you share with them."
        ),
    )
    day = dates.DateField(
        label=pgettext_lazy("journal entry form", "Day"),
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
    title = forms.CharField(
        label=pgettext_lazy("journal entry form", "Title"),
        required=False,
        help_text=pgettext_lazy("journal entry form", "Optional."),
    )
    # No max_length: the browser would cut a long paste silently; the service says what to do.
    body = forms.CharField(
        label=pgettext_lazy("journal entry form", "Your text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=pgettext_lazy(
            "journal entry form",
            "You can write **bold**, *italics*, and lists with a dash at the start of each line (- item).",
        ),
    )
    mood = scale_field(
        pgettext_lazy("journal entry form", "Mood (optional)"),
        # The check-in's own words for the ends of the mood scale: the same scale, the same words.
        pgettext_lazy("check-in form", "0: very low"),
        pgettext_lazy("check-in form", "10: very good"),
    )
    no_mood = forms.BooleanField(
        label=pgettext_lazy("journal entry form", "No mood for this entry"),
        label_suffix="",
        required=False,
    )
    tags = forms.CharField(
        label=pgettext_lazy("check-in form", "Tags"),
        required=False,
        help_text=pgettext_lazy("check-in form", "Separate them with commas, like: work, family."),
    )

    def __init__(self, data: Any = None, *, can_clear_mood: bool = False, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        # Without JavaScript a chosen radio cannot be unchosen: an entry that has a mood offers a box.
        if not can_clear_mood:
            del self.fields["no_mood"]

    @staticmethod
    def initial_for_new() -> dict[str, Any]:
        return {"day": timezone.localdate()}  # the person's zone (PersonTimeZoneMiddleware)

    @staticmethod
    def initial_from(entry: JournalEntry) -> dict[str, Any]:
        payload = entry.payload
        return {
            "day": entry.day,
            "title": payload.get("title", ""),
            "body": payload.get("body", ""),
            "mood": payload.get("mood"),
            "tags": ", ".join(payload.get("tags", [])),
        }

    def values(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of ``create_entry``/``update_entry``."""
        data = self.cleaned_data
        return {
            "day": data["day"],
            "title": data["title"],
            "body": data["body"],
            "mood": None if data.get("no_mood") else data["mood"],
            "tags": data["tags"],
        }
