"""The circle's rows in a person's erasure (their export arrives with step 3 of issue 20)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from entraide.circle.models import AccessEvent, GrantChange, Invitation, Link
from entraide.core.registries import ErasureRegistration, ExportedPart, register_erasure


def erase(person: Any) -> None:
    """End every link of the person first (the other side keeps the record of it), then delete
    what is theirs. Access events where they were the viewer keep their pseudonym for the owner."""
    from entraide.circle.services import end_links_of_erased

    end_links_of_erased(person)
    Invitation.objects.filter(owner_id=person.pk).delete()
    GrantChange.objects.filter(owner_id=person.pk).delete()
    AccessEvent.objects.filter(owner_id=person.pk).delete()
    Link.objects.filter(Q(owner_id=person.pk) | Q(supporter_id=person.pk)).delete()


def register() -> None:
    # Before the personal apps' erasures: links end while both accounts still exist.
    register_erasure(
        ErasureRegistration(
            key="circle", models=(Link, Invitation, GrantChange, AccessEvent), erase=erase, order=10
        )
    )


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
    from entraide.core.registries import ExportRegistration, register_export

    register_export(
        ExportRegistration(key="circle.proposals", models=(Proposal,), export=export_proposals, order=70)
    )
    register_export(ExportRegistration(key="circle.blocks", models=(Block,), export=export_blocks, order=70))
    register_erasure(
        ErasureRegistration(key="circle.proposals", models=(Proposal, Block), erase=erase_proposals, order=10)
    )
