"""Who sees what: every page, count and file of the community loads through these functions.

A space is visible to a viewer when it is public, when it is for members and the viewer is logged
in, or when it is restricted and the viewer is on its list. Anything else is a 404, whatever it is
(space, topic, post, image): a restricted space does not exist for those outside it. A logged-out
visitor asking for anything but a public space is sent to log in, known slug or not, so that the
answer tells nothing either.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from entraide.community.models import (
    Bookmark,
    Image,
    Level,
    Post,
    ReadPosition,
    Space,
    SpaceMember,
    Status,
    Subscription,
    Topic,
    Visibility,
)


class LoginNeededError(Exception):
    """A logged-out visitor asked for something only members read."""


def _member(viewer: Any) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active)


def visible_spaces(viewer: Any) -> QuerySet[Space]:
    """The spaces ``viewer`` (possibly logged out) may read, in their display order."""
    if not _member(viewer):
        return Space.objects.filter(visibility=Visibility.PUBLIC)
    # A subquery, not a join on memberships: a join would repeat a space once per member row.
    return Space.objects.filter(
        Q(visibility__in=(Visibility.PUBLIC, Visibility.MEMBERS))
        | Q(
            visibility=Visibility.RESTRICTED,
            pk__in=SpaceMember.objects.filter(member=viewer).values("space_id"),
        )
    )


def can_read(viewer: Any, space: Space) -> bool:
    if space.visibility == Visibility.PUBLIC:
        return True
    if not _member(viewer):
        return False
    if space.visibility == Visibility.MEMBERS:
        return True
    return space.memberships.filter(member=viewer).exists()


def can_write(viewer: Any, space: Space) -> bool:
    """Writing always needs an account, in a public space too."""
    return _member(viewer) and can_read(viewer, space)


def get_space_for(viewer: Any, slug: str) -> Space:
    """The space, or ``LoginNeededError`` (logged out, not public), or 404 (unknown or not visible)."""
    space = Space.objects.filter(slug=slug).first()
    if space is not None and can_read(viewer, space):
        return space
    if not _member(viewer):
        raise LoginNeededError
    raise Http404


def filter_topics_in(space: Space, qs: QuerySet[Topic] | None = None) -> QuerySet[Topic]:
    """The space's published topics, most recently active first."""
    qs = Topic.objects.all() if qs is None else qs
    return qs.filter(space=space, status=Status.PUBLISHED).order_by("-last_post_at", "-id")


def get_topic_in(space: Space, topic_id: uuid.UUID, *, reader: Any = None) -> Topic:
    """The published topic. With a logged-in ``reader``, it comes with their ``read_number`` (the
    last post they read, or None), ``topic_level`` and ``space_level`` ("following", "muted" or
    None), in the same query: the topic page adds no query for them."""
    qs = filter_topics_in(space).filter(pk=topic_id).select_related("author")
    if _member(reader):
        qs = qs.annotate(
            read_number=Subquery(
                ReadPosition.objects.filter(member=reader, topic=OuterRef("pk")).values("last_read_number")[
                    :1
                ]
            ),
            topic_level=Subquery(
                Subscription.objects.filter(member=reader, topic=OuterRef("pk")).values("level")[:1]
            ),
            space_level=Subquery(
                Subscription.objects.filter(member=reader, space=OuterRef("space_id")).values("level")[:1]
            ),
        )
    topic = qs.first()
    if topic is None:
        raise Http404
    topic.space = space
    return topic


def filter_posts_in(topic: Topic, qs: QuerySet[Post] | None = None) -> QuerySet[Post]:
    qs = Post.objects.all() if qs is None else qs
    return qs.filter(topic=topic, status=Status.PUBLISHED).order_by("number")


def get_post_in(topic: Topic, post_id: uuid.UUID | str) -> Post | None:
    """A published post of the topic, or ``None`` (a stale or foreign quote link is ignored)."""
    try:
        post_id = uuid.UUID(str(post_id))
    except ValueError:
        return None
    return filter_posts_in(topic).filter(pk=post_id).select_related("author").first()


def get_image_for(viewer: Any, image_id: uuid.UUID) -> Image:
    image = Image.objects.filter(pk=image_id).select_related("space").first()
    if image is not None and can_read(viewer, image.space):
        return image
    if not _member(viewer):
        raise LoginNeededError
    raise Http404


def get_topic_for(viewer: Any, topic_id: uuid.UUID) -> Topic:
    """A published topic in a space ``viewer`` reads (the API, which names topics by id alone)."""
    topic = (
        Topic.objects.filter(pk=topic_id, status=Status.PUBLISHED).select_related("space", "author").first()
    )
    if topic is None or not can_read(viewer, topic.space):
        raise Http404
    return topic


def get_post_for(viewer: Any, post_id: uuid.UUID) -> Post:
    """A published post of a published topic in a space ``viewer`` reads."""
    post = (
        Post.objects.filter(pk=post_id, status=Status.PUBLISHED, topic__status=Status.PUBLISHED)
        .select_related("topic__space", "author")
        .first()
    )
    if post is None or not can_read(viewer, post.topic.space):
        raise Http404
    return post


# --- What one member keeps of the community: read positions, follows, bookmarks --------------------


def space_level_for(member: Any, space: Space) -> str | None:
    if not _member(member):
        return None
    return Subscription.objects.filter(member=member, space=space).values_list("level", flat=True).first()


def with_read_numbers(member: Any, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """Each topic with ``read_number``: the last post ``member`` read in it, or None (one
    subquery per row on their unique (member, topic) index, no query of its own)."""
    if not _member(member):
        return topics
    return topics.annotate(
        read_number=Subquery(
            ReadPosition.objects.filter(member=member, topic=OuterRef("pk")).values("last_read_number")[:1]
        )
    )


def filter_unread_positions_of(member: Any) -> QuerySet[ReadPosition]:
    """The member's read positions on topics with posts beyond them (topics they opened or
    wrote in), in spaces they still read, except muted ones; most recently active first, each
    with its topic, space and topic author. It starts from the member's own rows (their unique
    (member, topic) index) and joins each one topic."""
    muted_topics = Subscription.objects.filter(member=member, level=Level.MUTED, topic__isnull=False)
    muted_spaces = Subscription.objects.filter(member=member, level=Level.MUTED, space__isnull=False)
    return (
        ReadPosition.objects.filter(
            member=member,
            topic__last_number__gt=F("last_read_number"),
            topic__status=Status.PUBLISHED,
            topic__space_id__in=visible_spaces(member).values("pk"),
        )
        .exclude(topic_id__in=muted_topics.values("topic_id"))
        .exclude(topic__space_id__in=muted_spaces.values("space_id"))
        .select_related("topic__space", "topic__author")
        .order_by("-topic__last_post_at", "-topic_id")
    )


def filter_bookmarks_of(member: Any) -> QuerySet[Bookmark]:
    """The member's bookmarks of posts they may still read (a closed group they left hides its
    posts here too), newest first."""
    return (
        Bookmark.objects.filter(
            member=member,
            post__status=Status.PUBLISHED,
            post__topic__status=Status.PUBLISHED,
            post__topic__space_id__in=visible_spaces(member).values("pk"),
        )
        .select_related("post__topic__space", "post__author")
        .order_by("-created_at", "-id")
    )
