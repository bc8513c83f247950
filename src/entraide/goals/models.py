"""A person's goals (with their steps), what helps them (coping strategies and each time one was
used) and their monthly recovery self-assessments (CHIME).

Each record keeps its sensitive fields in one encrypted payload (``core.fields.EncryptedField``).
In clear stays only what the architecture allows and the lists need: ids, owner, timestamps, a
goal's status and target date, the local day a strategy was used, the month of a self-assessment.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel


class GoalStatus(models.TextChoices):
    # Calm words: a goal is never "failed"; it may be let go, which is a choice.
    IN_PROGRESS = "in_progress", pgettext_lazy("goal status", "In progress")
    PAUSED = "paused", pgettext_lazy("goal status", "On pause")
    REACHED = "reached", pgettext_lazy("goal status", "Reached")
    LET_GO = "let_go", pgettext_lazy("goal status", "Let go")


class Goal(PersonalModel):
    """Something the person works towards, with a checklist of steps.

    ``reached_at`` is set when the status becomes "reached" and cleared when it leaves it: the
    progress page counts reached goals by month with it.
    """

    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.IN_PROGRESS)
    target_date = models.DateField(null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # {"title": str, "why": str, "steps": [{"id": uuid str, "text": str, "done_at": iso datetime | None}]}
    payload = EncryptedField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "status", "created_at"], name="goals_goal_status")]

    def __str__(self) -> str:
        return f"goal {self.pk}"

    @property
    def title(self) -> str:
        return str(self.payload.get("title", ""))

    @property
    def why(self) -> str:
        return str(self.payload.get("why", ""))

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.payload.get("steps", []))

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.steps if step.get("done_at"))

    @property
    def is_active(self) -> bool:
        return self.status == GoalStatus.IN_PROGRESS


class CopingStrategy(PersonalModel):
    """Something that helps the person, in their words, with how much it helped so far.

    ``stats`` in the payload is derived from the uses (rebuilt by the services on every change):
    the list shows it without decrypting every use.
    """

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # {"name": str, "category": str, "note": str, "starter": starter key | None,
    #  "stats": {"uses": int, "rated": int, "help_sum": int, "last_used": iso date | None}}
    payload = EncryptedField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "created_at"], name="goals_strategy_owner")]

    def __str__(self) -> str:
        return f"coping strategy {self.pk}"

    @property
    def name(self) -> str:
        return str(self.payload.get("name", ""))

    @property
    def category(self) -> str:
        return str(self.payload.get("category", "other"))

    @property
    def note(self) -> str:
        return str(self.payload.get("note", ""))

    @property
    def stats(self) -> dict[str, Any]:
        return dict(self.payload.get("stats") or {})

    @property
    def uses(self) -> int:
        return int(self.stats.get("uses", 0))

    @property
    def mean_help(self) -> float | None:
        rated = int(self.stats.get("rated", 0))
        return self.stats.get("help_sum", 0) / rated if rated else None


class StrategyUse(PersonalModel):
    """One time the person used a strategy, and how much it helped (rated after use)."""

    strategy = models.ForeignKey(CopingStrategy, on_delete=models.CASCADE, related_name="use_set")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {"helped": 0..4 | None, "note": str}

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "strategy", "day"], name="goals_use_strategy_day"),
        ]

    def __str__(self) -> str:
        return f"coping strategy use {self.pk}"

    @property
    def helped(self) -> int | None:
        value = self.payload.get("helped")
        return int(value) if value is not None else None

    @property
    def note(self) -> str:
        return str(self.payload.get("note", ""))


class RecoveryAssessment(PersonalModel):
    """The person's self-rating of one local month on the five CHIME dimensions. One per month:
    rating the month again replaces it."""

    month = models.DateField()  # the first day of the month
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    payload = EncryptedField()  # {dimension: {"score": 0..10 | None, "words": str}} — see goals.values

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "month"], name="goals_recovery_one_per_month")
        ]

    def __str__(self) -> str:
        return f"recovery self-assessment {self.pk}"

    def score(self, dimension: str) -> int | None:
        value = (self.payload.get(dimension) or {}).get("score")
        return int(value) if value is not None else None

    def words(self, dimension: str) -> str:
        return str((self.payload.get(dimension) or {}).get("words", ""))
