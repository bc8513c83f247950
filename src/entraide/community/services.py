"""Every write of the community: spaces and their members, topics, replies, and what happens to
a person's posts when their account is erased."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.community.models import Image, Post, Space, SpaceMember, Topic, Visibility
from entraide.core import instance
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.core.errors import InvalidValuesError

TITLE_MAX = 150
BODY_MAX = 20000
WARNING_MAX = 100
UPLOAD_FOLDER = "community"

# Only images uploaded here are shown inline: an <img> to another host would tell it who reads.
_OWN_IMAGE = re.compile(r"^/communaute/images/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")


def is_own_image(src: str) -> bool:
    return bool(_OWN_IMAGE.match(src))


def render_body(body: str) -> str:
    return str(render_post(body, keep_image=is_own_image))


# --- Spaces ---------------------------------------------------------------------------------------


RESERVED_SLUGS = frozenset({"images", "nouveau", "gestion"})  # addresses of the community's own pages


def _space_values(*, title: str, slug: str, visibility: str) -> None:
    errors: dict[str, str] = {}
    if slug in RESERVED_SLUGS:
        errors["slug"] = pgettext("space form", "This address is taken by the site itself: choose another.")
    if not title.strip():
        errors["title"] = pgettext("space form", "Give the space a title.")
    if visibility not in Visibility.values:
        errors["visibility"] = pgettext("space form", "Choose who may read this space.")
    if errors:
        raise InvalidValuesError(errors)


@transaction.atomic
def create_space(
    by: Any, *, slug: str, title: str, description: str, charter: str, visibility: str, position: int = 100
) -> Space:
    _space_values(title=title, slug=slug, visibility=visibility)
    if Space.objects.filter(slug=slug).exists():
        raise InvalidValuesError({"slug": pgettext("space form", "Another space already has this address.")})
    return Space.objects.create(
        slug=slug,
        title=title.strip(),
        description=description.strip(),
        charter=charter.strip(),
        visibility=visibility,
        position=position,
        created_by=by,
    )


@transaction.atomic
def update_space(
    space: Space, *, slug: str, title: str, description: str, charter: str, visibility: str, position: int
) -> Space:
    _space_values(title=title, slug=slug, visibility=visibility)
    if Space.objects.filter(slug=slug).exclude(pk=space.pk).exists():
        raise InvalidValuesError({"slug": pgettext("space form", "Another space already has this address.")})
    space.slug, space.title, space.visibility, space.position = slug, title.strip(), visibility, position
    space.description, space.charter = description.strip(), charter.strip()
    space.save()
    return space


@transaction.atomic
def add_space_member(space: Space, *, member: Any) -> SpaceMember:
    found, _ = SpaceMember.objects.get_or_create(space=space, member=member)
    return found


@transaction.atomic
def remove_space_member(space: Space, *, member: Any) -> None:
    SpaceMember.objects.filter(space=space, member=member).delete()


# --- Topics and posts -----------------------------------------------------------------------------


def _post_values(*, body: str, content_warning: str, has_image: bool, title: str | None = None) -> None:
    errors: dict[str, str] = {}
    if title is not None and not title.strip():
        errors["title"] = pgettext("post form", "Give your topic a title.")
    if title is not None and len(title) > TITLE_MAX:
        errors["title"] = pgettext("post form", "Keep the title under %(max)s characters.") % {
            "max": TITLE_MAX
        }
    if not body.strip() and not has_image:
        errors["body"] = pgettext("post form", "Write your message.")
    if len(body) > BODY_MAX:
        errors["body"] = pgettext("post form", "Keep your message under %(max)s characters.") % {
            "max": BODY_MAX
        }
    if len(content_warning) > WARNING_MAX:
        errors["content_warning"] = pgettext("post form", "Keep the warning under %(max)s characters.") % {
            "max": WARNING_MAX
        }
    if errors:
        raise InvalidValuesError(errors)


def _with_image(
    body: str, *, space: Space, author: Any, image: uploads.CleanImage | None, description: str
) -> str:
    """Store the image (if any) and add it at the end of the body. The file is written inside
    the caller's transaction: a rollback leaves an unused file behind, never a missing one."""
    if image is None:
        return body
    row = Image(
        id=uuid.uuid4(),
        space=space,
        author=author,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.data),
        description=description.strip()[:200],
    )
    row.stored_name = uploads.store(image.data, folder=UPLOAD_FOLDER, extension=image.extension)
    row.save()
    alt = row.description.replace("[", "(").replace("]", ")")
    url = reverse("community:image", kwargs={"image_id": row.pk})
    return f"{body.rstrip()}\n\n![{alt}]({url})".lstrip()


@transaction.atomic
def start_topic(
    author: Any,
    space: Space,
    *,
    title: str,
    body: str,
    content_warning: str = "",
    anonymous: bool = False,
    image: uploads.CleanImage | None = None,
    image_description: str = "",
) -> Topic:
    """A new topic and its opening post (number 1)."""
    _post_values(body=body, content_warning=content_warning, has_image=image is not None, title=title)
    now = timezone.now()
    body = _with_image(body, space=space, author=author, image=image, description=image_description)
    topic = Topic.objects.create(
        space=space,
        author=author,
        anonymous=anonymous,
        title=title.strip(),
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    Post.objects.create(
        topic=topic,
        author=author,
        anonymous=anonymous,
        number=1,
        body=body,
        body_html=render_body(body),
        content_warning=content_warning.strip(),
        created_at=now,
    )
    Space.objects.filter(pk=space.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post_at=now
    )
    return topic


@transaction.atomic
def add_reply(
    author: Any,
    topic: Topic,
    *,
    body: str,
    content_warning: str = "",
    anonymous: bool = False,
    quoted: Post | None = None,
    image: uploads.CleanImage | None = None,
    image_description: str = "",
) -> Post:
    """A reply at the end of the topic. The topic row is locked (PostgreSQL; SQLite writers take
    turns), so that two replies never get the same number."""
    _post_values(body=body, content_warning=content_warning, has_image=image is not None)
    locked = Topic.objects.select_for_update().only("post_count", "space_id").get(pk=topic.pk)
    now = timezone.now()
    body = _with_image(body, space=topic.space, author=author, image=image, description=image_description)
    post = Post.objects.create(
        topic_id=topic.pk,
        author=author,
        anonymous=anonymous,
        number=locked.post_count + 1,
        body=body,
        body_html=render_body(body),
        content_warning=content_warning.strip(),
        quoted=quoted if quoted is not None and quoted.topic_id == topic.pk else None,
        created_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    Space.objects.filter(pk=locked.space_id).update(post_count=F("post_count") + 1, last_post_at=now)
    return post


def quote_of(post: Post) -> str:
    """The text a reply quoting ``post`` starts with: its lines behind "> ", then a blank line."""
    lines = (post.body or "").strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


# --- A person's account erased --------------------------------------------------------------------

ERASE_BLANK, ERASE_DELETE = "blank", "delete"


def erasure_mode() -> str:
    """The instance's choice (settings section "community"): blank the posts (default), or delete."""
    mode = instance.load_settings().extra.get("community", {}).get("erasure", ERASE_BLANK)
    return ERASE_DELETE if mode == ERASE_DELETE else ERASE_BLANK


def erase_posts_of(person: Any) -> None:
    """Before the account goes: each post's body is deleted and shown as "message d'un membre
    parti" (or the post is deleted, by the instance's choice); topics they opened lose their
    title the same way; their images are removed; the quotes of their posts lose their
    attribution (the author is gone from the row quoted). Counts follow."""
    touched = set(Post.objects.filter(author=person).values_list("topic_id", flat=True))
    spaces = set(Topic.objects.filter(pk__in=touched).values_list("space_id", flat=True))
    images = list(Image.objects.filter(author=person).values_list("stored_name", flat=True))
    Image.objects.filter(author=person).delete()
    if erasure_mode() == ERASE_DELETE:
        Post.objects.filter(author=person).delete()
    else:
        Post.objects.filter(author=person).update(
            author=None, author_left=True, body="", body_html="", content_warning="", anonymous=False
        )
    Topic.objects.filter(author=person).update(author=None, author_left=True, title="", anonymous=False)
    # Topics left without any post (deleted mode) go; the others get their counts again.
    Topic.objects.filter(pk__in=touched, posts__isnull=True).delete()
    for topic in Topic.objects.filter(pk__in=touched).annotate(n=Count("posts")):
        if topic.post_count != topic.n:
            Topic.objects.filter(pk=topic.pk).update(post_count=topic.n)
    for space_id in spaces:
        Space.objects.filter(pk=space_id).update(
            topic_count=Topic.objects.filter(space_id=space_id).count(),
            post_count=Post.objects.filter(topic__space_id=space_id).count(),
        )

    def remove_files() -> None:
        for name in images:
            uploads.remove(name)

    transaction.on_commit(remove_files)
