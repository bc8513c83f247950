"""A person's thought records ("colonnes de Beck", as Quirk does them, and more).

Each record keeps everything it says in one encrypted payload (``core.fields.EncryptedField``);
only what the architecture allows stays in clear: ids, owner, timestamps, the local day the
record is about and the day of its follow-up.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel


class ThoughtRecord(PersonalModel):
    """One difficult moment worked through. ``day`` is the local day the person gives (the day
    the moment happened, in their own calendar), not derived from a timestamp."""

    day = models.DateField()
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # {"time": "hh:mm"|None, "situation", "thought", "evidence_for", "evidence_against",
    #  "balanced_thought": str, "emotions": [{"emotion": key | "own": word, "before": int|None,
    #  "after": int|None}], "distortions": [key], "follow_up_note": str,
    #  "follow_up_intensity": int|None} — see thoughts.values and thoughts.services
    payload = EncryptedField()
    private = models.BooleanField(default=False)  # "reste privé": never reaches a supporter

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "day"], name="thoughts_record_day")]

    def __str__(self) -> str:
        return f"thought record {self.pk}"
