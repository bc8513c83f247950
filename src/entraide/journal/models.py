"""A person's check-ins, custom indicators, journal entries and journal settings.

Each record keeps its sensitive fields in one encrypted payload (``core.fields.EncryptedField``);
what stays in clear is what the architecture allows: ids, owner, timestamps, the local date of a
check-in or entry, an indicator's kind and place in the list.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel, owner_key


class Checkin(PersonalModel):
    """One "how am I now": every value optional but the moment.

    ``local_date`` is the date of ``moment`` in ``time_zone``, the person's zone when they
    recorded it (ARCHITECTURE.md, "Time"): moving abroad later does not move past days.
    """

    owner = owner_key(db_index=False)  # journal_checkin_day starts with it
    moment = models.DateTimeField()
    local_date = models.DateField()
    time_zone = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # "Reste privé": never shown to anyone the person shares with, whatever the grants (the day
    # means keep sums without it apart). In clear, like the date: the gate filters on it.
    private = models.BooleanField(default=False)
    # {"mood", "anxiety", "energy", "emotions", "own_emotions", "sleep", "habits", "substances",
    #  "note", "tags", "indicators": {indicator id: value}} — see journal.values
    payload = EncryptedField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "local_date", "moment"], name="journal_checkin_day"),
            # The last one recorded (services.same_checkin_since, on every new check-in).
            models.Index(fields=["owner", "created_at"], name="journal_checkin_recorded"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class IndicatorKind(models.TextChoices):
    SCALE = "scale", pgettext_lazy("indicator kind", "Scale from 0 to 10")
    NUMBER = "number", pgettext_lazy("indicator kind", "Number, with a unit")
    YES_NO = "yes_no", pgettext_lazy("indicator kind", "Yes or no")
    DURATION = "duration", pgettext_lazy("indicator kind", "Duration (hours and minutes)")
    CHOICE = "choice", pgettext_lazy("indicator kind", "One choice from a list")
    TEXT = "text", pgettext_lazy("indicator kind", "Short text")


class Indicator(PersonalModel):
    """Something the person chose to follow. Its kind never changes (past values keep their
    meaning); archiving hides it from the check-in and keeps every value."""

    kind = models.CharField(max_length=10, choices=IndicatorKind.choices)
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"name": str, "unit": str, "choices": [str]}

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "archived_at", "position"], name="journal_indicator_order")
        ]

    def __str__(self) -> str:
        return f"indicator {self.pk}"

    @property
    def name(self) -> str:
        return str(self.payload.get("name", ""))

    @property
    def unit(self) -> str:
        return str(self.payload.get("unit", ""))

    @property
    def choices(self) -> list[str]:
        return list(self.payload.get("choices", []))


class JournalEntry(PersonalModel):
    """A free entry: a title, a text in a safe Markdown subset, an optional mood, tags."""

    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"title": str, "body": str (Markdown), "mood": int|None, "tags": [str]}
    private = models.BooleanField(default=False)  # "reste privé": never reaches a supporter

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "day"], name="journal_entry_day"),
            models.Index(fields=["owner", "created_at"], name="journal_entry_recorded"),
        ]

    def __str__(self) -> str:
        return f"journal entry {self.pk}"


class JournalSettings(PersonalModel):
    """The person's choices for their check-in: substances shown or not, their own emotions."""

    updated_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"track_substances": bool, "own_emotions": [str]}

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner"], name="journal_settings_one_per_owner")
        ]

    def __str__(self) -> str:
        return f"journal settings {self.pk}"

    @property
    def track_substances(self) -> bool:
        return bool(self.payload.get("track_substances", False))

    @property
    def own_emotions(self) -> list[str]:
        return list(self.payload.get("own_emotions", []))


class DayMeans(PersonalModel):
    """The mean of each numeric value of each day of one local month, derived from the check-ins
    (journal/day_means.py keeps it in step): charts read 12 of these rows for a year instead of
    decrypting every check-in. ``checkins`` counts the month's check-ins it was built from, so a
    row that missed a change (a bulk insert, a restored backup) is seen and rebuilt."""

    owner = owner_key(db_index=False)  # journal_daymeans_one_per_month starts with it
    month = models.DateField()  # the first day of the local month
    checkins = models.PositiveIntegerField(default=0)
    # {"2026-03-14": {"n": 2, "mood": 5.5, "sleep_minutes": 420.0, ..., "indicators": {id: 3.0}}}
    payload = EncryptedField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "month"], name="journal_daymeans_one_per_month")
        ]

    def __str__(self) -> str:
        return f"day means {self.pk}"
