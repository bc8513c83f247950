"""Ignoring a member ("Ignorer ce membre", issue 21 step 3): the relation's writes and reads.

A member who ignores another is told nothing the ignored person's posts cause (replies, quotes,
mentions, followed topics: ``services.recipients_of`` calls ``ignoring``, for anonymous posts
too, since it reads the stored author), and sees that person's *named* posts folded on topic
pages (``views.fold_ignored``). Anonymous posts never fold: folding one would tell who wrote it.
Nothing changes for the ignored person, who is never told. What the moderation team does and
says reaches members through ``moderation`` directly, never through ``recipients_of``: ignoring a
moderator stops only their posts as a member.

The writes live here rather than in ``services.py``: they touch this relation only, and it is
their one write path (pages, erasure).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import pgettext

from entraide.community.models import Ignore
from entraide.core.errors import InvalidValuesError

MAX_IGNORED = 500  # per member: beyond, a kind message (and a sign something else is wrong)


def ignoring(author_id: Any, candidates: set[Any]) -> set[Any]:
    """Those of ``candidates`` who ignore ``author_id``: one query, on the (ignored, member) index."""
    if not candidates:
        return set()
    return set(
        Ignore.objects.filter(ignored_id=author_id, member_id__in=list(candidates)).values_list(
            "member_id", flat=True
        )
    )


def ignores_of(member: Any) -> QuerySet[Ignore]:
    """The member's ignores, newest first, with the ignored person's pseudonym."""
    return (
        Ignore.objects.filter(member_id=member.pk)
        .select_related("ignored")
        .only("id", "created_at", "ignored_id", "ignored__pseudonym")
        .order_by("-created_at", "-id")
    )


def own_ignore(member: Any, ignore_id: Any) -> Ignore | None:
    """One of the member's own rows by its id, or None (not theirs, gone, or not an id)."""
    try:
        ignore_id = uuid.UUID(str(ignore_id))
    except ValueError:
        return None
    return ignores_of(member).filter(pk=ignore_id).first()


def is_ignoring(member: Any, person_id: Any) -> bool:
    return Ignore.objects.filter(member_id=member.pk, ignored_id=person_id).exists()


@transaction.atomic
def ignore_member(member: Any, person: Any) -> Ignore:
    """``member`` ignores ``person``. Harmless twice (the row stays as it was); refused, with a
    kind message, for oneself and beyond ``MAX_IGNORED``."""
    if person.pk == member.pk:
        raise InvalidValuesError({"ignored": pgettext("ignore", "You cannot ignore yourself.")})
    found = Ignore.objects.filter(member_id=member.pk, ignored_id=person.pk).first()
    if found is not None:
        return found
    if Ignore.objects.filter(member_id=member.pk).count() >= MAX_IGNORED:
        raise InvalidValuesError(
            {
                "ignored": pgettext(
                    "ignore",
                    "You already ignore %(n)s members, the most there can be. Stop ignoring someone on "
                    "“Members I ignore” first; if someone troubles you, you can also report them to the "
                    "moderators.",
                )
                % {"n": MAX_IGNORED}
            }
        )
    try:
        with transaction.atomic():  # a concurrent double submit made the row: it stands
            return Ignore.objects.create(member_id=member.pk, ignored_id=person.pk)
    except IntegrityError:
        return Ignore.objects.get(member_id=member.pk, ignored_id=person.pk)


@transaction.atomic
def unignore_member(member: Any, person_id: Any) -> bool:
    """Stop ignoring ``person_id``; whether a row went (False twice: harmless)."""
    deleted, _ = Ignore.objects.filter(member_id=member.pk, ignored_id=person_id).delete()
    return bool(deleted)


def erase_ignores_of(person: Any) -> object:
    """Both ways: whom they ignored, and who ignored them (a row naming a gone account means nothing)."""
    return Ignore.objects.filter(Q(member_id=person.pk) | Q(ignored_id=person.pk)).delete()
