"""The user model, in place from the first migration so later issues never swap it."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.accounts.pseudonyms import canonical
from entraide.core.fields import EncryptedField

DEFAULT_TIME_ZONE = "Europe/Paris"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            pgettext_lazy("profile form", "Choose a time zone from the list."), code="time_zone"
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address; others only ever see the pseudonym."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(pgettext_lazy("user field", "email address"), max_length=254, unique=True)
    pseudonym = models.CharField(pgettext_lazy("user field", "pseudonym"), max_length=40)
    # canonical(pseudonym): unique, so "Zoé", "zoe" and "Z0E" cannot coexist (see pseudonyms.py).
    pseudonym_key = models.CharField(max_length=40, editable=False, default="")
    private = EncryptedField(null=True, blank=True)  # {"real_name": …}: only its owner sees it
    preferred_language = models.CharField(
        pgettext_lazy("user field", "language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    time_zone = models.CharField(
        pgettext_lazy("user field", "time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Demo accounts (`entraide demo`) show a banner and never receive real email.
    is_demo = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["pseudonym"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "person")
        verbose_name_plural = pgettext_lazy("model name", "people")
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.UniqueConstraint(Lower("pseudonym"), name="user_pseudonym_unique_ci"),
            models.UniqueConstraint(
                fields=["pseudonym_key"],
                condition=~models.Q(pseudonym_key=""),
                name="user_pseudonym_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pseudonym_key = canonical(self.pseudonym)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pseudonym" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pseudonym_key"}
        super().save(*args, **kwargs)

    @property
    def owner_id(self) -> uuid.UUID:
        """A person owns their own account row (its encrypted fields use their key)."""
        return self.pk


class Role(models.TextChoices):
    PEER_HELPER = "peer_helper", pgettext_lazy("role", "Peer helper")
    PROFESSIONAL = "professional", pgettext_lazy("role", "Professional")
    MODERATOR = "moderator", pgettext_lazy("role", "Moderator")
    COORDINATOR = "coordinator", pgettext_lazy("role", "Coordinator")
    ADMIN = "admin", pgettext_lazy("role", "Administrator")


class RoleGrant(models.Model):
    """A capability an administrator grants; rows are never deleted, only revoked (the history)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.user_id}"


class ConsentKind(models.TextChoices):
    TERMS = "terms", pgettext_lazy("consent", "Terms of use and community charter")
    HEALTH_DATA = "health_data", pgettext_lazy("consent", "Processing of health data")


class ConsentRecord(models.Model):
    """What a person agreed to, which version of the text, in which language, when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=16, choices=ConsentKind.choices)
    text_version = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.kind} v{self.text_version}"


class SecurityEvent(models.Model):
    """An audit row about an account: what happened and when, never a secret or health detail."""

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up"
        LOGGED_IN = "logged_in"
        LOGIN_FAILED = "login_failed"
        PASSWORD_CHANGED = "password_changed"  # noqa: S105 — an event name
        PASSWORD_RESET = "password_reset"  # noqa: S105 — an event name
        EMAIL_CHANGED = "email_changed"
        MFA_ENABLED = "mfa_enabled"
        MFA_DISABLED = "mfa_disabled"
        RECOVERY_CODES_GENERATED = "recovery_codes_generated"
        ROLE_GRANTED = "role_granted"
        ROLE_REVOKED = "role_revoked"
        CONSENT_GIVEN = "consent_given"
        PSEUDONYM_CHANGED = "pseudonym_changed"
        INVITATION_USED = "invitation_used"
        SECOND_FACTOR_REMOVAL_REQUESTED = "second_factor_removal_requested"
        SECOND_FACTOR_REMOVAL_CONFIRMED = "second_factor_removal_confirmed"
        SECOND_FACTOR_REMOVED = "second_factor_removed"
        SECOND_FACTOR_REMOVAL_CANCELLED = "second_factor_removal_cancelled"
        DATA_EXPORTED = "data_exported"
        API_TOKEN_CREATED = "api_token_created"  # noqa: S105 — an event name
        API_TOKEN_REVOKED = "api_token_revoked"  # noqa: S105 — an event name

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    extra: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["-at"]
        indexes: ClassVar = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class PseudonymChange(models.Model):
    """Every change of pseudonym, kept for moderators (someone may change name to evade a report)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseudonym_changes")
    old = models.CharField(max_length=40)
    new = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"{self.old} -> {self.new}"


class Invitation(models.Model):
    """An invitation to sign up, by email or as a one-time link, optionally with a role."""

    token_hash = models.CharField(
        max_length=64, unique=True
    )  # sha256 of the token; the token is never stored
    email = models.EmailField(blank=True)  # empty: a link handed over by other means
    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class SecondFactorRemoval(models.Model):
    """Removing someone's second factor when they lost it and their recovery codes.

    A coordinator and an administrator (two different people) both confirm, after checking the
    person's identity outside the site; the removal takes effect 24 hours after the second
    confirmation, so the real owner has a day to react to the email that announces it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_removals")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    identity_check_note = models.CharField(max_length=200)  # how identity was checked; no document copy
    coordinator = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    coordinator_confirmed_at = models.DateTimeField(null=True, blank=True)
    admin = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    admin_confirmed_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-requested_at"]

    def __str__(self) -> str:
        return f"second-factor removal for {self.user_id}"
