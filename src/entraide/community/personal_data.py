"""A member's posts (anonymous ones included), topics, images, closed-group memberships,
reactions, bookmarks, follows, read positions and the members they ignore in their export; on
erasure, their posts are emptied (or deleted, by the instance's choice) and the rest deleted
(ignores both ways)."""

from __future__ import annotations

from typing import Any

from entraide.community import access, anonymity, blocking, moderation, services
from entraide.community.models import (
    ActionKind,
    AnonymityLift,
    Bookmark,
    Flag,
    Ignore,
    Image,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Post,
    Reaction,
    ReadPosition,
    SpaceMember,
    Subscription,
    Topic,
)
from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)


def export_posts(person: Any) -> ExportedPart:
    posts = Post.objects.filter(author=person).select_related("topic__space").order_by("created_at", "id")
    return ExportedPart(
        description=(
            "Your messages in the community spaces, including those posted without your pseudonym "
            "(anonymous: true): the space, the topic, the message's number in it, its content warning, "
            "its text (Markdown), the message it quoted, its status (published, held, hidden)."
        ),
        records=[
            {
                "id": str(p.pk),
                "space": p.topic.space.title,
                "topic_id": str(p.topic_id),
                "topic": p.topic.title,
                "number": p.number,
                "created_at": p.created_at,
                "edited_at": p.edited_at,
                "anonymous": p.anonymous,
                "status": p.status,
                "content_warning": p.content_warning,
                "quoted_id": str(p.quoted_id) if p.quoted_id else None,
                "body": p.body,
            }
            for p in posts
        ],
        tabular=True,
    )


def export_topics(person: Any) -> ExportedPart:
    return ExportedPart(
        description="The topics you opened: space, title, when, whether anonymous, how many messages.",
        records=[
            {
                "id": str(t.pk),
                "space": t.space.title,
                "title": t.title,
                "created_at": t.created_at,
                "anonymous": t.anonymous,
                "status": t.status,
                "post_count": t.post_count,
            }
            for t in Topic.objects.filter(author=person).select_related("space").order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_images(person: Any) -> ExportedPart:
    return ExportedPart(
        description="The images you sent with your messages: space, description, type, size in pixels, when.",
        records=[
            {
                "id": str(i.pk),
                "space": i.space.title,
                "description": i.description,
                "content_type": i.content_type,
                "width": i.width,
                "height": i.height,
                "created_at": i.created_at,
            }
            for i in Image.objects.filter(author=person).select_related("space").order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_memberships(person: Any) -> ExportedPart:
    return ExportedPart(
        description="The restricted spaces (closed groups) you are a member of, and since when.",
        records=[
            {"space": m.space.title, "added_at": m.added_at}
            for m in SpaceMember.objects.filter(member=person).select_related("space").order_by("added_at")
        ],
        tabular=True,
    )


def _readable(person: Any) -> set[Any]:
    """The ids of the spaces ``person`` reads now. Their reactions, bookmarks, follows and read
    positions in a closed group they left stay in their export (their own rows), without the
    group's title or its topics' (others' words, which they no longer read): null instead."""
    return set(access.visible_spaces(person).values_list("pk", flat=True))


def _marked_posts(model: Any, person: Any, description: str) -> ExportedPart:
    """The posts a member marked (a ``Reaction`` or a ``Bookmark``: both are (post, member, when))."""
    rows = (
        model.objects.filter(member=person).select_related("post__topic__space").order_by("created_at", "id")
    )
    readable = _readable(person)
    return ExportedPart(
        description=description,
        records=[
            {
                "post_id": str(row.post_id),
                "space": row.post.topic.space.title if row.post.topic.space_id in readable else None,
                "topic": row.post.topic.title if row.post.topic.space_id in readable else None,
                "number": row.post.number,
                "created_at": row.created_at,
            }
            for row in rows
        ],
        tabular=True,
    )


def export_reactions(person: Any) -> ExportedPart:
    return _marked_posts(
        Reaction,
        person,
        "The messages you said “je te soutiens” to: space, topic, message number, when (space and "
        "topic are null for a closed group you left).",
    )


def export_bookmarks(person: Any) -> ExportedPart:
    return _marked_posts(
        Bookmark,
        person,
        "Your bookmarks (“Mes favoris”): space, topic, message number, when (space and topic are null "
        "for a closed group you left).",
    )


def export_follows(person: Any) -> ExportedPart:
    rows = (
        Subscription.objects.filter(member=person)
        .select_related("topic", "space")
        .order_by("updated_at", "id")
    )
    readable = _readable(person)
    return ExportedPart(
        description=(
            "The topics and spaces you follow (told of what is new) or muted (told of nothing): "
            "which, your choice, when (the names are null for a closed group you left)."
        ),
        records=[
            {
                "space": s.space.title if s.space is not None and s.space_id in readable else None,
                "topic_id": str(s.topic_id) if s.topic_id else None,
                "topic": s.topic.title if s.topic is not None and s.topic.space_id in readable else None,
                "level": s.level,
                "updated_at": s.updated_at,
            }
            for s in rows
        ],
        tabular=True,
    )


def export_read_positions(person: Any) -> ExportedPart:
    rows = ReadPosition.objects.filter(member=person).select_related("topic").order_by("updated_at", "id")
    readable = _readable(person)
    return ExportedPart(
        description=(
            "How far you have read each topic you opened: the last message number read, when (the "
            "topic's title is null in a closed group you left)."
        ),
        records=[
            {
                "topic_id": str(p.topic_id),
                "topic": p.topic.title if p.topic.space_id in readable else None,
                "last_read_number": p.last_read_number,
                "updated_at": p.updated_at,
            }
            for p in rows
        ],
        tabular=True,
    )


LIFT_ACTIONS = (ActionKind.LIFT_REQUEST, ActionKind.LIFT_APPROVE, ActionKind.LIFT_REFUSE)


def export_ignores(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "The members you ignore (“Ignorer ce membre”): their pseudonym and since when. Who "
            "ignores you is theirs to know, not in your export."
        ),
        records=[
            {"pseudonym": row.ignored.pseudonym, "created_at": row.created_at}
            for row in blocking.ignores_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_flags(person: Any) -> ExportedPart:
    return ExportedPart(
        description=(
            "Your reports to the moderators: what you reported (its kind and id), the reason, your "
            "note, when you reported it and when you last changed it."
        ),
        records=[
            {
                "target_kind": f.target_kind,
                "target_id": f.target_id,
                "reason": f.reason,
                "note": f.note,
                "created_at": f.created_at,
                "updated_at": f.updated_at,
            }
            for f in moderation.flags_of(person)
        ],
        tabular=True,
    )


def export_moderation(person: Any) -> ExportedPart:
    """What the moderation team decided about the person, as they were told (no moderator's name)."""
    standing = MemberStanding.objects.filter(member_id=person.pk).first()
    records: list[dict[str, Any]] = [
        {
            "at": a.at,
            "action": a.action,
            "target_kind": a.target_kind,
            "target_id": a.target_id,
            "reason": a.reason,
        }
        # Liftings of anonymity are the part below, told ones only (docs: "Anonymous posting").
        for a in ModerationAction.objects.filter(member=person)
        .exclude(action__in=LIFT_ACTIONS)
        .order_by("at", "id")
    ]
    if standing is not None:
        records.append(
            {
                "at": None,
                "action": "standing",
                "target_kind": "",
                "target_id": "",
                "reason": (
                    f"published messages: {standing.published_posts}; warnings: {standing.warnings}; "
                    f"suspended until: {standing.suspended_until or '-'}; "
                    f"taking a break until: {standing.paused_until or '-'}; "
                    f"last caring message: {standing.last_concern_at or '-'}"
                ),
            }
        )
    return ExportedPart(
        description=(
            "The moderation team's decisions about your messages or your account, with the reason you "
            "were given, and your standing (published messages, warnings, suspension, the last caring "
            "message the team sent you)."
        ),
        records=records,
        tabular=True,
    )


def export_lifts(person: Any) -> ExportedPart:
    """The liftings of the person's anonymous messages they were told of. One the approver
    decided not to tell them (it would put someone in danger, recorded) is left out: the export
    must not undo that decision (docs/community.md, "Anonymous posting and lifting")."""
    return ExportedPart(
        description=(
            "The times the moderation team needed to know who wrote one of your anonymous messages, for "
            "someone's safety, and that you were told of: which message, when it was approved, when you "
            "were told. The names of the moderators are not included."
        ),
        records=[
            {
                "target_kind": lift.target_kind,
                "target_id": lift.target_id,
                "approved_at": lift.approved_at,
                "told_at": lift.told_at,
            }
            for lift in anonymity.lifts_told_to(person)
        ],
        tabular=True,
    )


def _erase_lifts(person: Any) -> object:
    anonymity.forget_in_lifts(person)
    return None


def _erase_moderation(person: Any) -> object:
    """Their flags stay without their name (the figures hold); cases and decisions about them
    lose their name; their standing goes."""
    moderation.forget_reporter(person)
    ModerationCase.objects.filter(member=person).update(member=None)
    return ModerationAction.objects.filter(member=person).update(member=None)


def _erase_memberships(person: Any) -> object:
    return SpaceMember.objects.filter(member=person).delete()


def register() -> None:
    register_export(ExportRegistration(key="community.posts", models=(Post,), export=export_posts, order=60))
    register_export(
        ExportRegistration(key="community.topics", models=(Topic,), export=export_topics, order=60)
    )
    register_export(
        ExportRegistration(key="community.images", models=(Image,), export=export_images, order=60)
    )
    register_export(
        ExportRegistration(
            key="community.memberships", models=(SpaceMember,), export=export_memberships, order=60
        )
    )
    register_erasure(
        ErasureRegistration(
            key="community.posts", models=(Post, Topic, Image), erase=services.erase_posts_of, order=60
        )
    )
    register_export(ExportRegistration(key="community.flags", models=(Flag,), export=export_flags, order=61))
    register_export(
        ExportRegistration(
            key="community.moderation",
            models=(ModerationAction, MemberStanding),
            export=export_moderation,
            order=61,
        )
    )
    register_erasure(
        ErasureRegistration(
            key="community.moderation",
            models=(Flag, ModerationCase, ModerationAction, MemberStanding),
            erase=_erase_moderation,
            order=59,
        )
    )
    register_erasure(
        ErasureRegistration(
            key="community.memberships", models=(SpaceMember,), erase=_erase_memberships, order=60
        )
    )
    register_export(
        ExportRegistration(
            key="community.anonymity_lifts", models=(AnonymityLift,), export=export_lifts, order=61
        )
    )
    register_erasure(
        ErasureRegistration(
            key="community.anonymity_lifts", models=(AnonymityLift,), erase=_erase_lifts, order=59
        )
    )
    for key, model, export in (
        ("community.reactions", Reaction, export_reactions),
        ("community.bookmarks", Bookmark, export_bookmarks),
        ("community.follows", Subscription, export_follows),
        ("community.read_positions", ReadPosition, export_read_positions),
    ):
        register_export(ExportRegistration(key=key, models=(model,), export=export, order=61))
    register_erasure(
        ErasureRegistration(
            key="community.reactions", models=(Reaction,), erase=services.erase_reactions_of, order=61
        )
    )
    register_export(
        ExportRegistration(key="community.ignores", models=(Ignore,), export=export_ignores, order=61)
    )
    register_erasure(
        ErasureRegistration(
            key="community.ignores", models=(Ignore,), erase=blocking.erase_ignores_of, order=61
        )
    )
    register_erasure(
        ErasureRegistration(
            key="community.keeping",
            models=(Bookmark, Subscription, ReadPosition),
            erase=services.erase_keeping_of,
            order=61,
        )
    )
