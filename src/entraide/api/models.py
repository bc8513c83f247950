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
    """How far a token may go in one area."""

    READ = "read", pgettext_lazy("api token scope", "Read only")
    READ_WRITE = "read_write", pgettext_lazy("api token scope", "Read and write")


EVERY_AREA = "*"  # tokens made before areas existed: every area, with their old scope


class PersonalToken(PersonalModel):
    """One token. Only the SHA-256 of the secret is stored: the secret itself is shown once, when
    it is created. A 256-bit random secret needs no slow hash: nothing can be guessed from it.

    ``areas`` lists what it opens, as ``"<area>:<scope>"`` strings (``"journal:read"``), the
    areas being core.registries.api_areas: a new area needs no migration.

    Not encrypted: it holds the person's label for the token, no health data (like a session).
    """

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)  # the secret's first characters, to tell tokens apart
    secret_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    areas = models.JSONField(default=list)
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

    def scopes(self) -> dict[str, str]:
        """``{area: scope}`` as stored (``EVERY_AREA`` for an old token)."""
        found: dict[str, str] = {}
        for entry in self.areas if isinstance(self.areas, list) else []:
            area, _, scope = str(entry).partition(":")
            if scope in TokenScope.values:
                found[area] = scope
        return found

    def scope_for(self, area: str) -> str | None:
        """What this token may do in ``area``: ``"read"``, ``"read_write"``, or ``None``. An area
        of what others share (``ApiArea.others``) opens only when named, and only to read."""
        from entraide.core.registries import api_areas

        scopes = self.scopes()
        registered = api_areas.get(area)
        if registered is not None and registered.others:
            return TokenScope.READ if area in scopes else None
        return scopes.get(area) or scopes.get(EVERY_AREA)

    def described_areas(self) -> list[tuple[str, str]]:
        """(area label, scope label) pairs, for the token list."""
        from entraide.core.registries import api_areas

        labels = {area.key: str(area.label) for area in api_areas.ordered()}
        order = {key: i for i, key in enumerate(labels)}
        every = str(pgettext_lazy("api token areas", "Every area"))
        scopes = sorted(self.scopes().items(), key=lambda pair: order.get(pair[0], -1))
        return [
            (every if area == EVERY_AREA else labels.get(area, area), str(TokenScope(scope).label))
            for area, scope in scopes
        ]


class IdempotentWrite(models.Model):
    """A write made with an ``Idempotency-Key`` header (api.idempotency), kept 24 hours so that a
    client that lost the answer can send it again without writing twice. Never the answer's body:
    a hash of the key, a hash of the request, the status and the id of what was written; a replay
    answers with that object as it is now."""

    token = models.ForeignKey(PersonalToken, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64)  # sha256 hex of the client's key
    request_hash = models.CharField(max_length=64)  # sha256 hex of method, path, query and body
    status = models.PositiveSmallIntegerField()
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["token", "key_hash"], name="api_idempotent_write_once")
        ]

    def __str__(self) -> str:
        return f"idempotent write {self.pk}"
