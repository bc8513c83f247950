"""A person's safety plan (Stanley and Brown) and the moments they signalled a crisis.

The plan keeps every word in one encrypted payload (``core.fields.EncryptedField``). In clear stay
only ids, the owner and timestamps (created, saved, last read again). Whether a device keeps an
offline copy is that device's session's business (safety.views.common.OFFLINE_KEY). A crisis moment keeps only its time in clear; where it
came from (the button, a questionnaire) is in its payload.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel


class SafetyPlan(PersonalModel):
    """One plan per person: the six Stanley–Brown steps and their reasons for living."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)  # last saved or "j'ai relu mon plan"
    # {"warning_signs": [str], "coping": [str], "distractions": [str],
    #  "help_people": [{"name": str, "phone": str}], "professionals": [{"name": str, "phone": str}],
    #  "environment": [str], "reasons": [str]} — see safety.values
    payload = EncryptedField()

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["owner"], name="safety_one_plan_per_person")]

    def __str__(self) -> str:
        return f"safety plan {self.pk}"

    def items(self, step: str) -> list[Any]:
        return list(self.payload.get(step, []))


class CrisisMoment(PersonalModel):
    """A time the person signalled a crisis (the "je ne vais pas bien" button, a questionnaire)."""

    created_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"source": "button" | "phq9" | ..., "cause": record id (optional)}

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "created_at"], name="safety_crisis_owner_time")]

    def __str__(self) -> str:
        return f"crisis moment {self.pk}"

    @property
    def source(self) -> str:
        return str(self.payload.get("source", ""))

    @property
    def cause(self) -> str:
        """The id of the record that signalled it ("" when the person did, with the button)."""
        return str(self.payload.get("cause", ""))
