"""A person's notifications, their choices per kind, and the digests already sent."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.fields import EncryptedField
from entraide.core.models import PersonalModel
from entraide.core.registries import DIGEST, EMAIL, IN_APP, OFF


class Channel(models.TextChoices):
    """How a kind of notification reaches a person (the values are core's NOTIFICATION_CHANNELS)."""

    IN_APP = IN_APP, pgettext_lazy("notification channel", "In the site only")
    EMAIL = EMAIL, pgettext_lazy("notification channel", "By email straight away, and in the site")
    DIGEST = DIGEST, pgettext_lazy("notification channel", "In one email a day at 8:00, and in the site")
    OFF = OFF, pgettext_lazy("notification channel", "Not at all")


class Notification(PersonalModel):
    """One notification for its owner. The text is encrypted with the owner's key: only they read it
    (in the centre); emails show only the kind's label, or the title in a digest."""

    kind = models.CharField(max_length=100)
    # The channel chosen when it was created: the digest job needs no preference nor registry.
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    content = EncryptedField()  # {"title": str, "body": str, "link": str}
    # Set by callers that may run twice (jobs are at least once): one notification per key.
    dedupe_key = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "kind", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_dedupe_key_unique",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["owner", "-created_at"], name="notification_owner_newest"),
            models.Index(
                fields=["owner"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["owner"],
                condition=models.Q(channel=DIGEST, digested_at__isnull=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.owner_id}"

    @property
    def title(self) -> str:
        return str((self.content or {}).get("title", ""))

    @property
    def body(self) -> str:
        return str((self.content or {}).get("body", ""))

    @property
    def link(self) -> str:
        return str((self.content or {}).get("link", ""))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's channel for one kind; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=100)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_notification_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


class DigestRun(models.Model):
    """The digest of one local date for one person: the unique pair is what sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    sent_at = models.DateTimeField()
    notifications = models.PositiveIntegerField(default=0)  # how many it listed

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "local_date"], name="one_digest_per_local_date")
        ]

    def __str__(self) -> str:
        return f"digest {self.local_date} for {self.user_id}"


class Reminder(PersonalModel):
    """ "At this local time, on these days, unless already done: notify" (see reminders.py). The
    zone is the owner's current one; ``next_fire_at`` is the next firing as a UTC instant."""

    kind = models.CharField(max_length=100)  # a registered ReminderKind
    local_time = models.TimeField()
    weekdays = models.JSONField(default=list, blank=True)  # Monday=0 … Sunday=6; empty: every day
    enabled = models.BooleanField(default=True)
    next_fire_at = models.DateTimeField(null=True, blank=True, db_index=True)
    skip_date = models.DateField(null=True, blank=True)  # "pas aujourd'hui": a local date
    created_at = models.DateTimeField(default=timezone.now)
    # What the reminder is about, for its kind's callbacks (an id in the kind's app); may be empty.
    target = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # A cycle ("N days on, M days off" from a local date): only the "on" days count, with weekdays.
    cycle_start = models.DateField(null=True, blank=True)
    cycle_on = models.PositiveSmallIntegerField(null=True, blank=True)
    cycle_off = models.PositiveSmallIntegerField(null=True, blank=True)
    # A one-off reminder at this instant (local_time, weekdays and cycle are then ignored).
    once_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reminder {self.kind} at {self.local_time}"


class ReminderFiring(models.Model):
    """One firing of a reminder: the unique pair is what keeps a job run twice from notifying twice."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="firings")
    scheduled_for = models.DateTimeField()
    fired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["reminder", "scheduled_for"], name="one_firing_per_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} @ {self.scheduled_for.isoformat()}"
