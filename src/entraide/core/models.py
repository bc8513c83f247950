from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.fields import EncryptedField


class SignupMode(models.TextChoices):
    OPEN = "open", pgettext_lazy("sign-up mode", "Open to everyone")
    INVITATION = "invitation", pgettext_lazy("sign-up mode", "By invitation only")


class InstanceSettings(models.Model):
    """The one row of settings an administrator edits (see ``settings_sections``).

    Apps that need a few settings of their own keep them in ``extra`` under their app label.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    name = models.CharField(max_length=80, default="entraide")
    contact_email = models.EmailField(blank=True)
    default_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    signup_mode = models.CharField(max_length=16, choices=SignupMode.choices, default=SignupMode.INVITATION)
    minimum_age = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(13), MaxValueValidator(21)]
    )
    # [{"label": str, "number": str, "kind": "tel" | "sms", "description": str}, …]
    crisis_numbers: models.JSONField[list[dict[str, str]]] = models.JSONField(default=list)
    extra: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    setup_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(id=1), name="instance_settings_singleton")
        ]

    def __str__(self) -> str:
        return self.name


class LegalKind(models.TextChoices):
    PRIVACY = "privacy", pgettext_lazy("legal document", "Privacy policy")
    TERMS = "terms", pgettext_lazy("legal document", "Terms of use")
    NOTICE = "notice", pgettext_lazy("legal document", "Legal notice")
    CHARTER = "charter", pgettext_lazy("legal document", "Community charter")


class LegalDocument(models.Model):
    """One published version of a legal page in one language. Versions are never edited."""

    kind = models.CharField(max_length=16, choices=LegalKind.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField()
    body = models.TextField()  # Markdown, sanitised when rendered
    change_summary = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="legal_document_version_unique"
            )
        ]
        ordering: ClassVar = ["kind", "language", "-version"]

    def __str__(self) -> str:
        return f"{self.kind} {self.language} v{self.version}"


class DataKey(models.Model):
    """A random 256-bit data key, stored only wrapped by an instance key (``key_id``).

    One per person (``scope="user"``), and one for the instance's own secrets
    (``scope="instance"``, no owner). Deleting a person's row is crypto-shredding: every
    ciphertext made with it becomes unreadable in the live database. A backup made before that
    still holds the wrapped key until the backup expires (see docs/threat-model.md).
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=16, default="user")
    key_id = models.CharField(max_length=32)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["scope"], condition=models.Q(owner__isnull=True), name="one_instance_data_key"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope="user", owner__isnull=False)
                    | models.Q(scope="instance", owner__isnull=True)
                ),
                name="data_key_scope_matches_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"data key {self.scope} {self.owner_id or ''}"


def owner_key(*, db_index: bool = True) -> Any:
    """The owner of a personal record. ``db_index=False`` for a model with an index or a unique
    constraint that starts with the owner: it serves every look-up by owner, and an index of the
    owner alone would cost each insert one more page written."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
        db_index=db_index,
    )


class PersonalModel(models.Model):
    """Base of every owner-scoped record: a UUID chosen in Python (the id is part of the
    ciphertext's associated data, so it must be known before the first save) and an owner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = owner_key()

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """One periodic job's due time, enqueued once: the unique pair is what keeps concurrent
    schedulers from enqueuing it twice (see core.jobs.schedule_due)."""

    name = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name", "due_at"], name="one_run_per_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.due_at.isoformat()}"


class WorkerHeartbeat(models.Model):
    """Each worker's last sign of life, for the status page and `entraide check`."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class OutgoingMail(models.Model):
    """A rendered email waiting for the worker. Its content (address included) is encrypted with
    the instance key and wiped once sent: the job that delivers it carries only this row's id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.CharField(max_length=200)  # which email, for the status page and logs
    message = EncryptedField(scope="instance", null=True)  # {"to", "subject", "text", "html", "headers"}
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)  # a demo account: never really sent
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)  # an exception class, never its message
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.template} ({self.id})"


class FormSubmission(models.Model):
    """A one-time form token already used, and where its first submission led (see
    core.formtokens): a second POST with the same token is sent there instead of acting again."""

    # Not indexed alone: the unique (user, token) pair serves look-ups by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "token"], name="form_token_used_once")
        ]

    def __str__(self) -> str:
        return f"form submission {self.pk}"


class StashedForm(models.Model):
    """A form posted after its session expired, kept for 30 minutes so that nothing typed is
    lost (see core.formstash). Encrypted with a one-time key that lives only in a cookie of the
    browser that posted it; given back only to the same account, on the same page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    ciphertext = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"stashed form {self.pk}"
