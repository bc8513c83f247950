"""A person's treatments, when they take them (schedules), each dose they noted, the times they
started an on-demand pattern, and their side-effect notes.

Each record keeps its sensitive fields in one encrypted payload (``core.fields.EncryptedField``):
a treatment's name, dose, form, prescriber, prescription end and notes; an on-demand pattern; what
became of a dose; a side-effect note. In clear stays what the architecture allows and reminders
need: ids, owner, timestamps, a schedule's kind, times, weekdays and cycle (scheduled times), the
instant a dose was due, the local day of a note.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel


class ScheduleKind(models.TextChoices):
    DAILY = "daily", pgettext_lazy("schedule kind", "Every day, at set times")
    WEEKDAYS = "weekdays", pgettext_lazy("schedule kind", "On some days of the week, at set times")
    CYCLE = "cycle", pgettext_lazy("schedule kind", "In cycles: some days on, some days off")
    ON_DEMAND = "on_demand", pgettext_lazy("schedule kind", "On demand, following my prescription")


class DoseStatus(models.TextChoices):
    TAKEN = "taken", pgettext_lazy("dose status", "Taken")
    LATE = "late", pgettext_lazy("dose status", "Taken late")
    SKIPPED = "skipped", pgettext_lazy("dose status", "Not taken")


class Treatment(PersonalModel):
    """A treatment as the person describes it (copied from their prescription)."""

    active = models.BooleanField(default=True)  # stopped treatments keep their history, no reminders
    renewal_days = models.PositiveSmallIntegerField(default=7)  # days before the prescription end
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # {"name": str, "dose": str, "form": str, "prescriber": str, "prescription_end": iso date | None,
    #  "notes": str}
    payload = EncryptedField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "created_at"], name="treatments_treat_owner")]

    def __str__(self) -> str:
        return f"treatment {self.pk}"

    def _text(self, key: str) -> str:
        return str(self.payload.get(key) or "")

    @property
    def name(self) -> str:
        return self._text("name")

    @property
    def dose(self) -> str:
        return self._text("dose")

    @property
    def form(self) -> str:
        return self._text("form")

    @property
    def prescriber(self) -> str:
        return self._text("prescriber")

    @property
    def notes(self) -> str:
        return self._text("notes")

    @property
    def prescription_end(self) -> date | None:
        value = self.payload.get("prescription_end")
        return date.fromisoformat(value) if value else None


class Schedule(PersonalModel):
    """When a treatment is taken. Fixed kinds (daily, weekdays, cycle) have local ``times``; an
    on-demand schedule has a pattern (doses and offsets from the first one) in its payload, and
    its doses come from each start the person records."""

    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField(max_length=10, choices=ScheduleKind.choices)
    times = models.JSONField(default=list, blank=True)  # ["08:00", "20:00"], local wall times
    weekdays = models.JSONField(default=list, blank=True)  # Monday=0 … Sunday=6 (kind weekdays)
    cycle_on = models.PositiveSmallIntegerField(null=True, blank=True)
    cycle_off = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()  # first local date with doses (and a cycle's first "on" day)
    created_at = models.DateTimeField(default=timezone.now)
    # {"pattern": [{"offset_minutes": int, "amount": str}]} for on demand; {} otherwise
    payload = EncryptedField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "treatment"], name="treatments_sched_owner")]

    def __str__(self) -> str:
        return f"schedule {self.pk}"

    @property
    def local_times(self) -> list[time]:
        return [time.fromisoformat(t) for t in self.times]

    @property
    def pattern(self) -> list[dict[str, Any]]:
        return list(self.payload.get("pattern") or [])


class OnDemandStart(PersonalModel):
    """ "I'm starting now / at T": the first dose of an on-demand pattern; its doses follow."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="starts")
    started_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {} (nothing sensitive yet; kept for a note later)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "started_at"], name="treatments_start_at")]

    def __str__(self) -> str:
        return f"on-demand start {self.pk}"


class DoseRecord(PersonalModel):
    """What became of one due dose (schedule, due instant): taken, taken late or not taken."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="records")
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"status": DoseStatus}

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["schedule", "due_at"], name="treatments_one_record_per_dose")
        ]
        indexes: ClassVar = [models.Index(fields=["owner", "due_at"], name="treatments_dose_due")]

    def __str__(self) -> str:
        return f"dose record {self.pk}"

    @property
    def status(self) -> str:
        return str(self.payload.get("status", ""))


class SideEffectNote(PersonalModel):
    """A dated note about how a treatment feels (side effects), in the person's words."""

    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="side_effects")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"text": str}

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "treatment", "day"], name="treatments_note_day")]

    def __str__(self) -> str:
        return f"side-effect note {self.pk}"

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))
