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

from django.db.models import Q, QuerySet
from django.http import Http404

from entraide.community.models import Image, Post, Space, Status, Topic, Visibility


class LoginNeededError(Exception):
    """A logged-out visitor asked for something only members read."""


def _member(viewer: Any) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active)


def visible_spaces(viewer: Any) -> QuerySet[Space]:
    """The spaces ``viewer`` (possibly logged out) may read, in their display order."""
    if not _member(viewer):
        return Space.objects.filter(visibility=Visibility.PUBLIC)
    return Space.objects.filter(
        Q(visibility__in=(Visibility.PUBLIC, Visibility.MEMBERS))
        | Q(visibility=Visibility.RESTRICTED, memberships__member=viewer)
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


def get_topic_in(space: Space, topic_id: uuid.UUID) -> Topic:
    topic = filter_topics_in(space).filter(pk=topic_id).select_related("author").first()
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
