"""The circle's rows in a person's erasure (their export arrives with step 3 of issue 20)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from entraide.circle.models import AccessEvent, GrantChange, Invitation, Link
from entraide.core.registries import ErasureRegistration, register_erasure


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
