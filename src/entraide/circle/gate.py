"""THE consent gate: the only door to another person's data (ARCHITECTURE.md, "one owner, one key,
one gate"; docs/consent-gate.md).

``require(viewer, owner, scope, channel)`` passes only with an accepted link that is not ended nor
paused, a live grant of that scope (not revoked, not expired) and a viewer who uses a second factor.
It is checked on every request, on every channel, so a revocation applies at the next request.
Anything else is ``Http404``: whether the person exists, or shares with someone else, never leaks.
A pass records an access event (``access.record_access``).
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from entraide.accounts.models import User
from entraide.circle import access
from entraide.circle.models import Channel, Grant
from entraide.circle.scopes import BY_KEY, CO_EDIT, LEVELS

CHANNELS: frozenset[str] = frozenset(Channel.values)

# The owners the gate let this request through to, for the tests' query hook (tests/owner_queries.py):
# it sets a fresh set for each request it watches. ``None`` (always, in production): nothing is kept.
passed_owners: ContextVar[set[uuid.UUID] | None] = ContextVar("entraide_gate_passed_owners", default=None)


def _note_pass(owner_id: uuid.UUID) -> None:
    seen = passed_owners.get()
    if seen is not None:
        seen.add(owner_id)


@dataclass(frozen=True)
class Pass:
    """What a passed gate lets the caller read: the owner, and the grant's limits."""

    owner: User
    scope: str
    grant: Grant

    @property
    def visible_from(self) -> date | None:
        return self.grant.visible_from

    def option(self, key: str) -> bool:
        return bool(self.grant.options.get(key))


def live_grants(scope: str, *, at: datetime | None = None) -> QuerySet[Grant]:
    """Grants of ``scope`` that open the gate now (the viewer's second factor aside)."""
    now = at or timezone.now()
    return Grant.objects.filter(
        Q(until__isnull=True) | Q(until__gt=now),
        scope=scope,
        revoked_at__isnull=True,
        link__ended_at__isnull=True,
        link__paused_at__isnull=True,
        link__owner_accepted_at__isnull=False,
        link__supporter_accepted_at__isnull=False,
        link__owner__is_active=True,
    )


def _viewer_may_pass(viewer: Any) -> bool:
    return bool(
        viewer is not None and viewer.is_authenticated and viewer.is_active and is_mfa_enabled(viewer)
    )


def require(viewer: Any, owner: Any, scope: str, channel: str, level: str = "read") -> Pass:
    """Let ``viewer`` read ``owner``'s ``scope`` now, or raise ``Http404``. ``owner``: a person or
    their id. Records the access. Callers then load the owner's rows through the personal app's
    owner loaders and show only the projection of ``scope`` (``circle.projections``)."""
    if scope not in BY_KEY or channel not in CHANNELS or level not in LEVELS:
        raise ValueError("unknown scope, channel or level")
    if not _viewer_may_pass(viewer):
        raise Http404
    owner_id = getattr(owner, "pk", owner)
    try:
        owner_id = uuid.UUID(str(owner_id))
    except ValueError:
        raise Http404 from None
    grants = live_grants(scope).filter(link__owner_id=owner_id, link__supporter_id=viewer.pk)
    if level == CO_EDIT:
        grants = grants.filter(level=CO_EDIT)
    try:
        grant = grants.select_related("link__owner").first()
    except ValidationError:
        grant = None
    if grant is None:
        raise Http404
    found = grant.link.owner
    access.record_access(viewer, found, scope=scope, channel=channel)
    _note_pass(found.pk)
    return Pass(owner=found, scope=scope, grant=grant)


def preview(owner: Any, link_id: Any, scope: str) -> Pass:
    """What the supporter of one of ``owner``'s links would pass for ``scope`` now, for the owner's
    "see what they see" (the same rules but the supporter's second factor, which the owner's page
    mentions): ``Http404`` otherwise. Records nothing: the owner reads their own data."""
    if scope not in BY_KEY:
        raise ValueError("unknown scope")
    try:
        link_id = uuid.UUID(str(link_id))
    except ValueError:
        raise Http404 from None
    grant = (
        live_grants(scope)
        .filter(link_id=link_id, link__owner_id=owner.pk)
        .select_related("link__owner", "link__supporter")
        .first()
    )
    if grant is None:
        raise Http404
    return Pass(owner=grant.link.owner, scope=scope, grant=grant)


def owners_visible_to(viewer: Any, scope: str) -> QuerySet[User]:
    """The people whose ``scope`` ``viewer`` may read now (none without a second factor). Listing
    them records nothing: only reading their data through ``require`` does."""
    if scope not in BY_KEY:
        raise ValueError("unknown scope")
    if not _viewer_may_pass(viewer):
        return User.objects.none()
    owner_ids = live_grants(scope).filter(link__supporter_id=viewer.pk).values("link__owner_id")
    return User.objects.filter(pk__in=owner_ids, is_active=True)


def holds_grants(person: Any) -> bool:
    """Whether ``person`` holds a live grant on someone else's data (alerts included): then they
    use a second factor and get the 12-hour session cap (``core.registries.others_data_holders``).
    Links waiting for the second factor count: that is when it is asked for."""
    now = timezone.now()
    return Grant.objects.filter(
        Q(until__isnull=True) | Q(until__gt=now),
        revoked_at__isnull=True,
        link__supporter_id=person.pk,
        link__ended_at__isnull=True,
        link__owner_accepted_at__isnull=False,
        link__supporter_accepted_at__isnull=False,
    ).exists()


def live_grants_for_supporter(viewer: Any, *, at: datetime | None = None) -> QuerySet[Grant]:
    """The grants ``viewer`` holds now, to list which scopes each person shares (no data)."""
    now = at or timezone.now()
    return Grant.objects.filter(
        Q(until__isnull=True) | Q(until__gt=now),
        revoked_at__isnull=True,
        link__supporter_id=viewer.pk,
        link__ended_at__isnull=True,
        link__paused_at__isnull=True,
    )


def shared_with(viewer: Any, *, at: datetime | None = None) -> list[tuple[Any, list[Grant]]]:
    """The open links the person accepted where ``viewer`` is the supporter, each with the grants
    it opens now (none while paused or without the viewer's second factor), by the person's
    pseudonym: what "people who share with me" lists. Names, scopes and end dates only: it records
    nothing. A link the person has not accepted is left out: it would tell that they exist."""
    from entraide.circle.access import filter_links_supported_by

    links = list(
        filter_links_supported_by(viewer)
        .filter(ended_at__isnull=True, owner_accepted_at__isnull=False, owner__is_active=True)
        .order_by("owner__pseudonym", "pk")
    )
    grants: dict[uuid.UUID, list[Grant]] = {}
    if _viewer_may_pass(viewer):
        for grant in live_grants_for_supporter(viewer, at=at).filter(link__in=[link.pk for link in links]):
            grants.setdefault(grant.link_id, []).append(grant)
    order = {key: i for i, key in enumerate(BY_KEY)}
    return [
        (link, sorted(grants.get(link.pk, []), key=lambda g: order.get(g.scope, len(order))))
        for link in links
    ]
