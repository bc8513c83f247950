"""A person's questionnaire responses and the schedule they chose for each questionnaire.

A response keeps its answers, score and band in one encrypted payload (``core.fields.EncryptedField``).
In clear stays what the lists need: ids, owner, which questionnaire (its key), the moment and its
local date. The score is computed by the engine from the answers when the response is saved, never
given by a person or a client.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from entraide.assessments import engine
from entraide.assessments.values import DEFAULT_EVERY_DAYS
from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel, owner_key


class QuestionnaireResponse(PersonalModel):
    """One filled questionnaire."""

    owner = owner_key(db_index=False)  # assessments_response_when starts with it
    instrument = models.CharField(max_length=16)  # an engine.KEYS key
    answered_at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField()  # the person's local date at that moment
    # {"version": str, "language": "fr"|"en", "answers": [int, … one per item], "difficulty": int|None,
    #  "raw": int, "percentage": int|None, "band": str, "cutoffs": [str], "crisis": bool}
    payload = EncryptedField()
    # "Reste privé": never reaches a supporter, nor does the crisis moment it caused.
    private = models.BooleanField(default=False)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "instrument", "answered_at"], name="assessments_response_when")
        ]

    def __str__(self) -> str:
        return f"questionnaire response {self.pk}"

    @property
    def definition(self) -> engine.Instrument:
        return engine.get(self.instrument)

    @property
    def answers(self) -> list[int]:
        return [int(v) for v in self.payload.get("answers", [])]

    @property
    def difficulty(self) -> int | None:
        value = self.payload.get("difficulty")
        return int(value) if value is not None else None

    @property
    def raw(self) -> int:
        return int(self.payload["raw"])

    @property
    def percentage(self) -> int | None:
        value = self.payload.get("percentage")
        return int(value) if value is not None else None

    @property
    def score(self) -> int:
        """The figure people read: WHO-5's percentage, the others' total."""
        return self.percentage if self.percentage is not None else self.raw

    @property
    def band(self) -> str:
        return str(self.payload.get("band", ""))

    @property
    def crisis(self) -> bool:
        return bool(self.payload.get("crisis"))

    def result(self) -> engine.Result:
        """The engine's result for the stored answers (what was stored, computed again)."""
        return engine.score(self.definition, self.answers)


class QuestionnaireSchedule(PersonalModel):
    """How often the person wants to answer one questionnaire. ``since`` is the local date the
    schedule was chosen: with no answer yet, the questionnaire is due from that day."""

    instrument = models.CharField(max_length=16)
    every_days = models.PositiveSmallIntegerField(default=DEFAULT_EVERY_DAYS)  # 0: no schedule
    since = models.DateField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "instrument"], name="assessments_one_schedule")
        ]

    def __str__(self) -> str:
        return f"questionnaire schedule {self.pk}"
