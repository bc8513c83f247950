"""Personal access tokens: how a person lets a program of their own read (or change) their
journal through the API (docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.core.models import PersonalModel


class TokenScope(models.TextChoices):
    READ = "read", pgettext_lazy("api token scope", "Read only")
    READ_WRITE = "read_write", pgettext_lazy("api token scope", "Read and write")


class PersonalToken(PersonalModel):
    """One token. Only the SHA-256 of the secret is stored: the secret itself is shown once, when
    it is created. A 256-bit random secret needs no slow hash: nothing can be guessed from it.

    Not encrypted: it holds the person's label for the token, no health data (like a session).
    """

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)  # the secret's first characters, to tell tokens apart
    secret_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    scope = models.CharField(max_length=10, choices=TokenScope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()  # always: there are no tokens that never expire
    last_used_at = models.DateTimeField(null=True, blank=True)  # to the minute (services.authenticate)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "created_at"], name="api_token_owner")]

    def __str__(self) -> str:
        return f"personal token {self.pk}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE
