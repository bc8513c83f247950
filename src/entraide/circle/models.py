"""Links between a person and their supporters, the grants on each link, the consent record of
every change (``GrantChange``) and the access events the gate writes (see docs/consent-gate.md).

Nothing here is health data: ids, pseudonyms, scopes and times, stored in clear. A link's
``owner`` is the person whose data may be shared; its ``supporter`` the person who may read it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class LinkKind(models.TextChoices):
    PEER_HELPER = "peer_helper", pgettext_lazy("link kind", "Peer helper")
    PROFESSIONAL = "professional", pgettext_lazy("link kind", "Professional")
    RELATIVE = "relative", pgettext_lazy("link kind", "Someone close")
    OTHER = "other", pgettext_lazy("link kind", "Other")


class Side(models.TextChoices):
    OWNER = "owner", pgettext_lazy("link side", "The person")
    SUPPORTER = "supporter", pgettext_lazy("link side", "The supporter")
    SYSTEM = "system", pgettext_lazy("link side", "The instance")


class LinkQuerySet(models.QuerySet["Link"]):
    def open(self) -> LinkQuerySet:
        """Not ended (accepted or still waiting for one side)."""
        return self.filter(ended_at__isnull=True)

    def accepted(self) -> LinkQuerySet:
        return self.filter(
            ended_at__isnull=True, owner_accepted_at__isnull=False, supporter_accepted_at__isnull=False
        )


class Link(models.Model):
    """One person (``owner``) and one supporter. Both sides accept; either side ends it. A pause
    (``paused_at``, step 2) hides everything without touching the grants, so resuming restores them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_links")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_supported"
    )
    kind = models.CharField(max_length=16, choices=LinkKind.choices, default=LinkKind.OTHER)
    proposed_by = models.CharField(max_length=16, choices=Side.choices, default=Side.OWNER)
    created_at = models.DateTimeField(default=timezone.now)
    owner_accepted_at = models.DateTimeField(null=True, blank=True)
    supporter_accepted_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=Side.choices, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "supporter"],
                condition=Q(ended_at__isnull=True),
                name="one_open_link_per_pair",
            ),
            models.CheckConstraint(condition=~Q(owner=models.F("supporter")), name="link_between_two_people"),
        ]
        indexes: ClassVar = [models.Index(fields=["supporter", "ended_at"], name="circle_link_supporter")]

    def __str__(self) -> str:
        return f"link {self.pk}"

    @property
    def is_accepted(self) -> bool:
        return self.owner_accepted_at is not None and self.supporter_accepted_at is not None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Grant(models.Model):
    """One scope shared on one link, until ``until`` (``None``: no end date, chosen explicitly by the
    person). ``visible_from``: the first local date the supporter sees (``None``: everything), fixed
    when granted and changed only by the person. Revoked grants stay (the history)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="grants")
    scope = models.CharField(max_length=24)
    level = models.CharField(max_length=8, default="read")
    options: models.JSONField[dict[str, bool]] = models.JSONField(default=dict, blank=True)
    visible_from = models.DateField(null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["link", "scope"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_grant_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"grant {self.scope} on {self.link_id}"

    def is_live(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and (self.until is None or self.until > now)


class GrantChange(models.Model):
    """A consent record: what changed on a link, when, and from which side. Kept for the person
    (shown to them and exported with their data) even after the link or the supporter is gone."""

    class Action(models.TextChoices):
        INVITED = "invited", pgettext_lazy("grant change", "Invitation sent")
        LINKED = "linked", pgettext_lazy("grant change", "Link accepted")
        GRANTED = "granted", pgettext_lazy("grant change", "Shared")
        CHANGED = "changed", pgettext_lazy("grant change", "Sharing changed")
        REVOKED = "revoked", pgettext_lazy("grant change", "No longer shared")
        ENDED = "ended", pgettext_lazy("grant change", "Link ended")
        PAUSED = "paused", pgettext_lazy("grant change", "Sharing paused")
        RESUMED = "resumed", pgettext_lazy("grant change", "Sharing resumed")

    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    supporter_pseudonym = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    scope = models.CharField(max_length=24, blank=True)
    by = models.CharField(max_length=16, choices=Side.choices, default=Side.OWNER)
    at = models.DateTimeField(default=timezone.now)
    # The grant as it became: {"until": iso | None, "visible_from": iso | None, "options": {...}, "level": …}
    details: models.JSONField[dict[str, object]] = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "at"], name="circle_change_owner_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.scope} at {self.at.isoformat()}"


class Invitation(models.Model):
    """A person inviting someone into their circle, by email or by a short code handed over in
    person. The token (or code) is shown once and stored as its sha256 only; single use."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=16, choices=LinkKind.choices, default=LinkKind.OTHER)
    email = models.EmailField(blank=True)  # empty: a code handed over in person
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_up_at = models.DateTimeField(null=True, blank=True)  # it opened one sign-up, at most
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "created_at"], name="circle_invitation_owner")]

    def __str__(self) -> str:
        return f"circle invitation {self.pk}"

    @property
    def by_code(self) -> bool:
        return not self.email


class Channel(models.TextChoices):
    WEB = "web", pgettext_lazy("access channel", "Web pages")
    API = "api", pgettext_lazy("access channel", "API")
    FEED = "feed", pgettext_lazy("access channel", "Calendar feed")


class AccessEvent(models.Model):
    """Someone read the owner's data through the gate: one row per (viewer, owner, scope, channel,
    hour) with a count. The viewer's pseudonym stays when their account is gone. Pruned after 12
    months."""

    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewer_pseudonym = models.CharField(max_length=40)
    scope = models.CharField(max_length=24)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    last_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["owner", "viewer", "scope", "channel", "hour"], name="one_access_row_per_hour"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["hour"], name="circle_access_hour")]

    def __str__(self) -> str:
        return f"access {self.scope}/{self.channel} at {self.hour.isoformat()}"


class ProposalAnswer(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("proposal answer", "Accepted")
    REFUSED = "refused", pgettext_lazy("proposal answer", "Refused")
    BLOCKED = "blocked", pgettext_lazy("proposal answer", "Refused and blocked")


class Proposal(models.Model):
    """A supporter asking to join a person's circle, by the person's email address (never by
    pseudonym). The supporter is told "sent" whatever happens next, so the address is kept only as
    a keyed hash (the 30-day rule) and a hint for the supporter's own list. ``owner``: the member
    the address belonged to when sent, who sees it; ``None`` when it reached nobody (no account, a
    block, a link already there): then nothing was sent to anyone. Waits 30 days (``expires_at``).
    The supporter never learns a refusal: their list shows it waiting until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address_hash = models.CharField(max_length=64)
    address_hint = models.CharField(max_length=80)  # "c…@example.org": the supporter's own list
    kind = models.CharField(max_length=16, choices=LinkKind.choices, default=LinkKind.OTHER)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answer = models.CharField(max_length=16, choices=ProposalAnswer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["supporter", "created_at"], name="circle_proposal_supporter"),
        ]

    def __str__(self) -> str:
        return f"circle proposal {self.pk}"


class Block(models.Model):
    """The person (``owner``) refused a proposal and blocked its supporter: that supporter's later
    proposals reach them no more (the supporter is still told "sent"). Removed when unblocked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["owner", "supporter"], name="one_block_per_pair"),
        ]

    def __str__(self) -> str:
        return f"circle block {self.pk}"
