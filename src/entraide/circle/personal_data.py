"""The circle's rows in a person's export and erasure, from both sides of a link: the person who
shares (their links, grants, consent records, invitations and access log) and the supporter (the
links they hold and the grants made to them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from entraide.circle.models import AccessEvent, Grant, GrantChange, Invitation, Link
from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)


def erase(person: Any) -> None:
    """End every link of the person first (the other side keeps the record of it), then delete
    what is theirs. Access events where they were the viewer keep their pseudonym for the owner."""
    from entraide.circle.services import end_links_of_erased

    end_links_of_erased(person)
    Invitation.objects.filter(owner_id=person.pk).delete()
    GrantChange.objects.filter(owner_id=person.pk).delete()
    AccessEvent.objects.filter(owner_id=person.pk).delete()
    Link.objects.filter(Q(owner_id=person.pk) | Q(supporter_id=person.pk)).delete()


def _side(link: Link, person: Any) -> str:
    return "you share" if link.owner_id == person.pk else "shares with you"


def export_links(person: Any) -> ExportedPart:
    """Both sides: the links where the person shares, and those where they are the supporter."""
    links = (
        Link.objects.filter(Q(owner_id=person.pk) | Q(supporter_id=person.pk))
        .select_related("owner", "supporter")
        .order_by("created_at", "pk")
    )
    return ExportedPart(
        description=(
            'Your circle\'s links. side "you share": someone who may see what you share with them; '
            'side "shares with you": someone who shares with you. The other person\'s pseudonym, the '
            "kind (peer_helper, professional, relative, other), who proposed it, when each side "
            "accepted, the pause, and when and by whom it ended (owner, supporter, system)."
        ),
        records=[
            {
                "id": str(link.pk),
                "side": _side(link, person),
                "with": (link.supporter if link.owner_id == person.pk else link.owner).pseudonym,
                "kind": link.kind,
                "proposed_by": link.proposed_by,
                "created_at": link.created_at,
                "owner_accepted_at": link.owner_accepted_at,
                "supporter_accepted_at": link.supporter_accepted_at,
                "paused_at": link.paused_at,
                "ended_at": link.ended_at,
                "ended_by": link.ended_by,
            }
            for link in links
        ],
        tabular=True,
    )


def export_grants(person: Any) -> ExportedPart:
    """Both sides: what the person shares on each link, and what was shared with them."""
    grants = (
        Grant.objects.filter(Q(link__owner_id=person.pk) | Q(link__supporter_id=person.pk))
        .select_related("link")
        .order_by("granted_at", "pk")
    )
    return ExportedPart(
        description=(
            'What is shared on each link (see circle.links), both sides: side "you share" or "shares '
            'with you"; the scope, its level and options, the first date shown (visible_from, null: '
            "everything), when it was granted, until when (null: no end date) and when it was revoked."
        ),
        records=[
            {
                "link_id": str(grant.link_id),
                "side": _side(grant.link, person),
                "scope": grant.scope,
                "level": grant.level,
                "options": sorted(key for key, on in grant.options.items() if on),
                "visible_from": grant.visible_from,
                "granted_at": grant.granted_at,
                "until": grant.until,
                "revoked_at": grant.revoked_at,
            }
            for grant in grants
        ],
        tabular=True,
    )


def export_changes(person: Any) -> ExportedPart:
    from entraide.circle.access import filter_changes_of

    return ExportedPart(
        description=(
            "Your consent records: every invitation, link, sharing, change, pause and end, when, by "
            "whom (owner: you; supporter; system: the instance) and the sharing as it became."
        ),
        records=[
            {
                "at": change.at,
                "action": change.action,
                "by": change.by,
                "supporter": change.supporter_pseudonym,
                "link_id": str(change.link_id) if change.link_id else None,
                "scope": change.scope,
                "details": change.details,
            }
            for change in filter_changes_of(person).order_by("at", "pk")
        ],
    )


def export_access_events(person: Any) -> ExportedPart:
    from entraide.circle.access import filter_access_events_of

    return ExportedPart(
        description=(
            "Who saw what: each read of your data by someone you share with, counted by hour, "
            "person, scope and channel (web, api, feed). Kept 12 months."
        ),
        records=[
            {
                "hour": event.hour,
                "last_at": event.last_at,
                "viewer": event.viewer_pseudonym,
                "scope": event.scope,
                "channel": event.channel,
                "count": event.count,
            }
            for event in filter_access_events_of(person).order_by("hour", "pk")
        ],
        tabular=True,
    )


def export_invitations(person: Any) -> ExportedPart:
    from entraide.circle.access import filter_invitations_of

    return ExportedPart(
        description=(
            "The invitations into your circle you made: the kind, the address (empty: a code handed "
            "over in person; the code itself is never kept), when it was made, expires, was cancelled "
            "or used."
        ),
        records=[
            {
                "id": str(invitation.pk),
                "kind": invitation.kind,
                "email": invitation.email,
                "created_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "revoked_at": invitation.revoked_at,
                "used_at": invitation.used_at,
            }
            for invitation in filter_invitations_of(person).order_by("created_at", "pk")
        ],
        tabular=True,
    )


def register() -> None:
    # Before the personal apps' erasures: links end while both accounts still exist.
    register_erasure(
        ErasureRegistration(
            key="circle", models=(Link, Invitation, GrantChange, AccessEvent), erase=erase, order=10
        )
    )
    for order, (key, models, export) in enumerate(
        (
            ("circle.links", (Link,), export_links),
            ("circle.grants", (Grant,), export_grants),
            ("circle.grant_changes", (GrantChange,), export_changes),
            ("circle.access_events", (AccessEvent,), export_access_events),
            ("circle.invitations", (Invitation,), export_invitations),
        ),
        start=80,
    ):
        register_export(ExportRegistration(key=key, models=models, export=export, order=order))


# --- Proposals and blocks ----------------------------------------------------------------------


def export_proposals(person: Any) -> ExportedPart:
    """Both sides: the proposals the person made (what they typed is kept only as a hint) and those
    that reached them. Whether a proposal made reached anyone is not told, as on the site."""
    from entraide.circle.models import Proposal

    made = Proposal.objects.filter(supporter_id=person.pk).order_by("created_at", "pk")
    received = (
        Proposal.objects.filter(owner_id=person.pk).select_related("supporter").order_by("created_at", "pk")
    )
    return ExportedPart(
        description=(
            'Proposals to join a circle. side "made": those you sent (the address as a hint, the kind, '
            "when, until when it waited, whether you withdrew it, and the link if it was accepted); side "
            '"received": those that reached you (who, the kind, when, your answer and when).'
        ),
        records=[
            *(
                {
                    "side": "made",
                    "id": str(p.pk),
                    "address": p.address_hint,
                    "kind": p.kind,
                    "created_at": p.created_at,
                    "expires_at": p.expires_at,
                    "withdrawn_at": p.withdrawn_at,
                    "accepted": p.answer == "accepted",
                    "link_id": str(p.link_id) if p.link_id else None,
                }
                for p in made
            ),
            *(
                {
                    "side": "received",
                    "id": str(p.pk),
                    "from": p.supporter.pseudonym,
                    "kind": p.kind,
                    "created_at": p.created_at,
                    "expires_at": p.expires_at,
                    "answer": p.answer,
                    "answered_at": p.answered_at,
                    "withdrawn_at": p.withdrawn_at,
                }
                for p in received
            ),
        ],
    )


def export_blocks(person: Any) -> ExportedPart:
    from entraide.circle.models import Block

    return ExportedPart(
        description="The people you blocked from proposing to join your circle, and since when.",
        records=[
            {"pseudonym": b.supporter.pseudonym, "since": b.created_at}
            for b in Block.objects.filter(owner_id=person.pk)
            .select_related("supporter")
            .order_by("created_at")
        ],
        tabular=True,
    )


def erase_proposals(person: Any) -> None:
    """Proposals made or received and blocks, both ways: nothing of them is kept for the other side."""
    from entraide.circle.models import Block, Proposal

    Proposal.objects.filter(Q(owner_id=person.pk) | Q(supporter_id=person.pk)).delete()
    Block.objects.filter(Q(owner_id=person.pk) | Q(supporter_id=person.pk)).delete()


def register_proposals() -> None:
    from entraide.circle.models import Block, Proposal

    register_export(
        ExportRegistration(key="circle.proposals", models=(Proposal,), export=export_proposals, order=70)
    )
    register_export(ExportRegistration(key="circle.blocks", models=(Block,), export=export_blocks, order=70))
    register_erasure(
        ErasureRegistration(key="circle.proposals", models=(Proposal, Block), erase=erase_proposals, order=10)
    )
