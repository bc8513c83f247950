"""Loading links and invitations for one of their two sides, and writing access events.

A person's own links (``filter_links_of``) and a supporter's (``filter_links_supported_by``) are
loaded here; another person's link is a 404. The gate itself is ``circle.gate``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from entraide.circle.models import AccessEvent, Block, GrantChange, Invitation, Link, Proposal

RECOUNT_AFTER = timedelta(minutes=1)  # an access already counted this minute is not written again
KEEP_ACCESS_EVENTS = timedelta(days=365)


def _get(qs: QuerySet[Any], object_id: uuid.UUID | str) -> Any:
    try:
        found = qs.filter(pk=object_id).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404
    return found


def filter_links_of(owner: Any, qs: QuerySet[Link] | None = None) -> QuerySet[Link]:
    """The person's links (as the one who shares), with their supporter."""
    return (Link.objects.all() if qs is None else qs).filter(owner_id=owner.pk).select_related("supporter")


def get_link_of(owner: Any, link_id: uuid.UUID | str) -> Link:
    return _get(filter_links_of(owner), link_id)  # type: ignore[no-any-return]


def filter_links_supported_by(supporter: Any, qs: QuerySet[Link] | None = None) -> QuerySet[Link]:
    """The links where ``supporter`` is the supporter, with their owner."""
    return (
        (Link.objects.all() if qs is None else qs).filter(supporter_id=supporter.pk).select_related("owner")
    )


def get_link_of_either(person: Any, link_id: uuid.UUID | str) -> Link:
    """A link the person is one of the two sides of (ending it is open to both)."""
    try:
        link = Link.objects.select_related("owner", "supporter").filter(pk=link_id).first()
    except (ValueError, ValidationError):
        link = None
    if link is None or person.pk not in (link.owner_id, link.supporter_id):
        raise Http404
    return link


def filter_invitations_of(owner: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(owner_id=owner.pk).order_by("-created_at", "-pk")


def get_invitation_of(owner: Any, invitation_id: uuid.UUID | str) -> Invitation:
    return _get(filter_invitations_of(owner), invitation_id)  # type: ignore[no-any-return]


def filter_changes_of(owner: Any) -> QuerySet[GrantChange]:
    return GrantChange.objects.filter(owner_id=owner.pk).order_by("-at", "-pk")


def filter_access_events_of(owner: Any) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(owner_id=owner.pk).order_by("-hour", "-pk")


def get_proposal_for(person: Any, proposal_id: uuid.UUID | str) -> Proposal:
    """A proposal that reached the person and still waits for their answer (else 404)."""
    from entraide.circle.services import proposals_for

    return _get(proposals_for(person).select_related("supporter"), proposal_id)  # type: ignore[no-any-return]


def get_proposal_from(supporter: Any, proposal_id: uuid.UUID | str) -> Proposal:
    """One of the supporter's own proposals (else 404)."""
    return _get(Proposal.objects.filter(supporter_id=supporter.pk), proposal_id)  # type: ignore[no-any-return]


def filter_blocks_of(person: Any) -> QuerySet[Block]:
    """The supporters the person blocked, with their pseudonym."""
    return Block.objects.filter(owner_id=person.pk).select_related("supporter").order_by("-created_at", "-pk")


def get_block_of(person: Any, block_id: uuid.UUID | str) -> Block:
    return _get(filter_blocks_of(person), block_id)  # type: ignore[no-any-return]


# --- Access events -----------------------------------------------------------------------------


def record_access(viewer: Any, owner: Any, *, scope: str, channel: str, at: datetime | None = None) -> None:
    """Count one access in its hour's row: a read, then at most one write statement (none when the
    row was counted less than a minute ago). Of two requests racing to create the hour's row, the
    loser counts itself on the winner's row."""
    now = at or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = {"owner_id": owner.pk, "viewer_id": viewer.pk, "scope": scope, "channel": channel, "hour": hour}
    row = AccessEvent.objects.filter(**key).values_list("pk", "last_at").first()
    if row is not None:
        if now - row[1] >= RECOUNT_AFTER:
            AccessEvent.objects.filter(pk=row[0]).update(count=F("count") + 1, last_at=now)
        return
    try:
        with transaction.atomic():
            AccessEvent.objects.create(**key, viewer_pseudonym=viewer.pseudonym, count=1, last_at=now)
    except IntegrityError:
        AccessEvent.objects.filter(**key).update(count=F("count") + 1, last_at=now)
        return
    notice_access(viewer, owner, scope=scope, hour=hour)


def notice_access(viewer: Any, owner: Any, *, scope: str, hour: datetime) -> None:
    """The optional notice on every access (kind ``circle.access_notice``, off unless the person
    turns it on): sent at the hour's first access of a viewer to a scope, on one channel (the
    later ones of the hour are counted on the log page)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.translation import override, pgettext

    from entraide.circle.scopes import BY_KEY
    from entraide.notifications.services import notify

    with override(getattr(owner, "preferred_language", "") or settings.LANGUAGE_CODE):
        label = BY_KEY[scope].label if scope in BY_KEY else scope
        notify(
            owner,
            "circle.access_notice",
            title=pgettext("circle notification", "Someone looked at what you share"),
            body=pgettext("circle notification", "%(pseudonym)s opened: %(scope)s.")
            % {"pseudonym": viewer.pseudonym, "scope": label},
            link=reverse("circle:access-log"),
            dedupe_key=f"circle.access:{owner.pk}:{viewer.pk}:{scope}:{hour.isoformat()}",
        )


def prune_access_events(now: datetime | None = None) -> int:
    """Forget access events older than 12 months (ARCHITECTURE.md, "Retention")."""
    limit = (now or timezone.now()) - KEEP_ACCESS_EVENTS
    deleted, _ = AccessEvent.objects.filter(hour__lt=limit).delete()
    return deleted
