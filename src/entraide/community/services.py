"""Every write of the community: spaces and their members, topics, replies, reactions, bookmarks,
follows and read positions, the notifications a post sends, and what happens to a person's posts
when their account is erased."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from entraide.accounts.pseudonyms import canonical
from entraide.community import anonymity, blocking, moderation, pause, watch
from entraide.community.models import (
    Bookmark,
    Image,
    Level,
    Post,
    Reaction,
    ReadPosition,
    Space,
    SpaceMember,
    Status,
    Subscription,
    Topic,
    Visibility,
)
from entraide.core import instance, jobs
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.core.errors import InvalidValuesError

TITLE_MAX = 150


BODY_MAX = 20000


WARNING_MAX = 100


UPLOAD_FOLDER = "community"


POSTS_PER_PAGE = 50  # a topic's page; here because notifications link to a post's page


# The kinds of things members may report (``core.registries.reportables``, see reportables.py).
POST_KIND, TOPIC_KIND, MEMBER_KIND = "community.post", "community.topic", "community.member"


# Only images uploaded here are shown inline: an <img> to another host would tell it who reads.
_OWN_IMAGE = re.compile(r"^/communaute/images/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")


def is_own_image(src: str) -> bool:
    return bool(_OWN_IMAGE.match(src))


def render_body(body: str) -> str:
    return str(render_post(body, keep_image=is_own_image))


# --- Spaces --------------------------------------------------------------------------------------


RESERVED_SLUGS = frozenset(
    {"images", "nouveau", "gestion", "moderation", "favoris", "non-lus", "pause", "ignores"}
)  # addresses of the community's own pages


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
    by: Any,
    *,
    slug: str,
    title: str,
    description: str,
    charter: str,
    visibility: str,
    position: int = 100,
    mentions_enabled: bool = True,
    anonymous_allowed: bool = False,
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
        mentions_enabled=mentions_enabled,
        anonymous_allowed=anonymous_allowed,
        created_by=by,
    )


@transaction.atomic
def update_space(
    space: Space,
    *,
    slug: str,
    title: str,
    description: str,
    charter: str,
    visibility: str,
    position: int,
    mentions_enabled: bool = True,
    anonymous_allowed: bool | None = None,
) -> Space:
    _space_values(title=title, slug=slug, visibility=visibility)
    if Space.objects.filter(slug=slug).exclude(pk=space.pk).exists():
        raise InvalidValuesError({"slug": pgettext("space form", "Another space already has this address.")})
    space.slug, space.title, space.visibility, space.position = slug, title.strip(), visibility, position
    space.description, space.charter = description.strip(), charter.strip()
    space.mentions_enabled = mentions_enabled
    if anonymous_allowed is not None:  # callers that do not know of it keep the space's choice
        space.anonymous_allowed = anonymous_allowed
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
    """A new topic and its opening post (number 1). A new member's topic waits for approval
    (``moderation.check_may_post``): held, it counts nowhere until a moderator publishes it.
    Words of the crisis watch in its title, text or warning put it first in the moderators'
    queue and set ``crisis_watch`` on the topic returned (published or held as usual)."""
    _post_values(body=body, content_warning=content_warning, has_image=image is not None, title=title)
    anonymity.check_anonymous_allowed(space, anonymous=anonymous)
    held = moderation.check_may_post(author, space=space)
    status = Status.HELD if held else Status.PUBLISHED
    now = timezone.now()
    body = _with_image(body, space=space, author=author, image=image, description=image_description)
    topic = Topic.objects.create(
        space=space,
        author=author,
        anonymous=anonymous,
        title=title.strip(),
        status=status,
        created_at=now,
        last_post_at=now,
        post_count=1,
        last_number=1,
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        anonymous=anonymous,
        number=1,
        body=body,
        body_html=render_body(body),
        content_warning=content_warning.strip(),
        status=status,
        created_at=now,
    )
    if held:
        moderation.hold_for_approval(POST_KIND, str(post.pk), author=author, now=now)
    if watch.matches(title, body, content_warning):
        moderation.watch_post(POST_KIND, str(post.pk), author=author, now=now)
        topic.crisis_watch = post.crisis_watch = True
    if held:
        return topic
    Space.objects.filter(pk=space.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post_at=now
    )
    moderation.count_published(author)
    after_publishing(author, topic, post)
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
    turns), so that two replies never get the same number. A new member's reply waits for
    approval with number 0: it takes its place at the end of the topic when published. Words of
    the crisis watch put it first in the queue and set ``crisis_watch`` on the post returned."""
    _post_values(body=body, content_warning=content_warning, has_image=image is not None)
    anonymity.check_anonymous_allowed(topic.space, anonymous=anonymous)
    locked = (
        Topic.objects.select_for_update()
        .only("post_count", "last_number", "space_id", "locked", "slow_mode_seconds")
        .get(pk=topic.pk)
    )
    held = moderation.check_may_post(author, space=topic.space, topic=locked)
    now = timezone.now()
    body = _with_image(body, space=topic.space, author=author, image=image, description=image_description)
    post = Post.objects.create(
        topic_id=topic.pk,
        author=author,
        anonymous=anonymous,
        number=0 if held else locked.last_number + 1,
        body=body,
        body_html=render_body(body),
        content_warning=content_warning.strip(),
        quoted=quoted if quoted is not None and quoted.topic_id == topic.pk else None,
        status=Status.HELD if held else Status.PUBLISHED,
        created_at=now,
    )
    if held:
        moderation.hold_for_approval(POST_KIND, str(post.pk), author=author, now=now)
    if watch.matches(body, content_warning):
        moderation.watch_post(POST_KIND, str(post.pk), author=author, now=now)
        post.crisis_watch = True
    if held:
        return post
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") + 1, last_number=F("last_number") + 1, last_post_at=now
    )
    Space.objects.filter(pk=locked.space_id).update(post_count=F("post_count") + 1, last_post_at=now)
    moderation.count_published(author)
    topic.post_count, topic.last_number = locked.post_count + 1, post.number
    after_publishing(author, topic, post)
    return post


def flag_targets(post: Post) -> dict[str, tuple[str, str]]:
    """What a member may report from a post (reportable kind and id, by the form's "about"): the
    post; the topic's title from its opening post; its author's behaviour when the post is named
    (reporting the author of an anonymous post would tell who wrote it)."""
    targets = {"post": (POST_KIND, str(post.pk))}
    if post.number == 1:
        targets["topic"] = (TOPIC_KIND, str(post.topic_id))
    if post.named:
        targets["member"] = (MEMBER_KIND, str(post.author_id))
    return targets


def quote_of(post: Post) -> str:
    """The text a reply quoting ``post`` starts with: its lines behind "> ", then a blank line."""
    lines = (post.body or "").strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def after_publishing(author: Any, topic: Topic, post: Post) -> None:
    """The author follows the topic (unless they muted it) and has read up to their own post;
    the post's notifications go out from a job (a topic with many followers must not slow the
    reply down), now if it is published, or when the moderators approve it (``reportables._approve``)."""
    follow_by_default(author, topic)
    mark_read_up_to(author, topic, post.number)
    if post.status == Status.PUBLISHED:
        queue_announcement(post)


def queue_announcement(post: Post) -> None:
    """Tell, from a job, who should know of this newly published post. Moderation calls it when it
    publishes a held post."""
    from entraide.community.tasks import announce_post_job

    jobs.enqueue(announce_post_job, str(post.pk))


@transaction.atomic
def support_post(member: Any, post: Post, *, support: bool) -> Post:
    """Say "je te soutiens" (``support=True``) or take it back. Saying what it should be rather
    than toggling makes a second POST harmless. One's own post is left as it is. The post's
    ``support_count`` follows, and is set on ``post`` as it is now. A member taking a break
    (``pause``) is refused kindly."""
    if support:
        pause.check_not_paused(member)  # taking back one's support stays possible
    if post.author_id != member.pk:
        if support:
            _, created = Reaction.objects.get_or_create(post=post, member=member)
            change = 1 if created else 0
        else:
            deleted, _ = Reaction.objects.filter(post=post, member=member).delete()
            change = -1 if deleted else 0
        if change:
            Post.objects.filter(pk=post.pk).update(support_count=F("support_count") + change)
    post.support_count = Post.objects.filter(pk=post.pk).values_list("support_count", flat=True).get()
    return post


@transaction.atomic
def bookmark_post(member: Any, post: Post, *, keep: bool) -> None:
    """Keep the post in "Mes favoris", or take it out (again: harmless twice)."""
    if keep:
        Bookmark.objects.get_or_create(post=post, member=member)
    else:
        Bookmark.objects.filter(post=post, member=member).delete()


def _set_level(member: Any, level: str | None, **target: Any) -> None:
    if level is None:
        Subscription.objects.filter(member=member, **target).delete()
        return
    if level not in Level.values:
        raise InvalidValuesError({"level": pgettext("follow", "Choose to follow or to mute.")})
    Subscription.objects.update_or_create(member=member, **target, defaults={"level": level})


@transaction.atomic
def set_topic_level(member: Any, topic: Topic, *, level: str | None) -> None:
    """Follow (``"following"``) or mute (``"muted"``) a topic, or go back to the space's choice (None)."""
    _set_level(member, level, topic=topic)


@transaction.atomic
def set_space_level(member: Any, space: Space, *, level: str | None) -> None:
    """Follow a space (told of each new topic in it) or mute it (told of nothing in it), or neither."""
    _set_level(member, level, space=space)


def follow_by_default(member: Any, topic: Topic) -> None:
    """Posting in a topic follows it, unless the member chose otherwise for it before."""
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(
                member=member, topic=topic, defaults={"level": Level.FOLLOWING}
            )
    except IntegrityError:
        pass  # a concurrent request made the row: the member's choice stands


def mark_read_up_to(member: Any, topic: Topic, number: int) -> int:
    """Move the member's read position on ``topic`` forward to ``number`` (never back, never past
    the topic's last post). Returns the position now."""
    number = max(0, min(int(number), topic.last_number))
    with transaction.atomic():
        row, created = ReadPosition.objects.get_or_create(
            member=member, topic=topic, defaults={"last_read_number": number}
        )
        if not created and row.last_read_number < number:
            ReadPosition.objects.filter(pk=row.pk, last_read_number__lt=number).update(
                last_read_number=number, updated_at=timezone.now()
            )
            return number
    return row.last_read_number


# "@" then a pseudonym written without spaces ("@JeanPaul" for "Jean Paul": pseudonyms compare by
# their canonical form), not inside a word nor an address ("a@b.fr"), nor in a quoted line.
_MENTION = re.compile(r"(?<![\w@/.])@([^\W_][\w.-]{0,39})")


MAX_MENTIONS = 10  # beyond, a post is a roll call: only the first ten are told


KIND_REPLY = "community.reply"


KIND_MENTION = "community.mention"


KIND_FOLLOWED = "community.followed"


def mentioned_keys(body: str) -> list[str]:
    """The canonical pseudonyms ``body`` mentions, in order, at most MAX_MENTIONS; quoted lines
    ("> …", another person's words) mention nobody."""
    keys: list[str] = []
    for line in body.splitlines():
        if line.lstrip().startswith(">"):
            continue
        for match in _MENTION.finditer(line):
            key = canonical(match.group(1))
            if key and key not in keys:
                keys.append(key)
    return keys[:MAX_MENTIONS]


def post_path(post: Post, topic: Topic, space: Space) -> str:
    """The post's place: its topic's page that holds it, at its anchor."""
    url = reverse("community:topic", kwargs={"space_slug": space.slug, "topic_id": topic.pk})
    page = (post.number - 1) // POSTS_PER_PAGE + 1
    return f"{url}?page={page}#message-{post.number}" if page > 1 else f"{url}#message-{post.number}"


def _readers_among(space: Space, person_ids: set[Any]) -> set[Any]:
    """Those of ``person_ids`` who may read ``space`` now, with an active account."""
    if not person_ids:
        return set()
    people = get_user_model().objects.filter(pk__in=person_ids, is_active=True)
    if space.visibility == Visibility.RESTRICTED:
        people = people.filter(space_memberships__space=space)
    return set(people.values_list("pk", flat=True))


def recipients_of(post: Post) -> dict[Any, str]:
    """{person id: notification kind} for a newly published post: those it mentions (if its
    space allows mentions), the author of the post it quotes and the topic's opener (a reply),
    then the topic's followers — or, for a new topic, the space's. One kind per person, in that
    order. Never its author, nobody who muted the topic or its space (or, later, who blocks or
    ignores the author: ``blocking``), nobody taking a break (``pause``), and nobody who cannot
    read the space."""
    topic = post.topic
    space = topic.space
    wanted: dict[Any, str] = {}
    if space.mentions_enabled:
        keys = mentioned_keys(post.body)
        if keys:
            named = get_user_model().objects.filter(pseudonym_key__in=keys).values_list("pk", flat=True)
            for person_id in named:
                wanted.setdefault(person_id, KIND_MENTION)
    if post.number > 1:
        if post.quoted_id:
            quoted_author = Post.objects.filter(pk=post.quoted_id).values_list("author_id", flat=True).first()
            if quoted_author:
                wanted.setdefault(quoted_author, KIND_REPLY)
        if topic.author_id:
            wanted.setdefault(topic.author_id, KIND_REPLY)
        followers = Subscription.objects.filter(topic=topic, level=Level.FOLLOWING)
    else:
        followers = Subscription.objects.filter(space=space, level=Level.FOLLOWING)
    for person_id in followers.values_list("member_id", flat=True):
        wanted.setdefault(person_id, KIND_FOLLOWED)
    wanted.pop(post.author_id, None)
    if not wanted:
        return {}
    # Muted: the topic's choice wins over the space's (following a topic of a muted space counts).
    levels = Subscription.objects.filter(member_id__in=list(wanted)).filter(
        Q(topic_id=topic.pk) | Q(space_id=space.pk)
    )
    on_topic: dict[Any, str] = {}
    on_space: dict[Any, str] = {}
    for member_id, topic_id, level in levels.values_list("member_id", "topic_id", "level"):
        (on_topic if topic_id else on_space)[member_id] = level
    silenced = {p for p in wanted if on_topic.get(p, on_space.get(p)) == Level.MUTED}
    if post.author_id:
        silenced |= blocking.ignoring(post.author_id, set(wanted))
    # Taking a break: told of nothing, and nothing kept for later (docs: "Taking a break").
    silenced |= pause.paused_among(set(wanted) - silenced)
    readers = _readers_among(space, set(wanted) - silenced)
    return {p: kind for p, kind in wanted.items() if p in readers}


def notification_title(kind: str, *, new_topic: bool) -> str:
    """In the active language. Titles name no topic, post, space nor person: the digest email
    lists them, and a closed group's name must not travel by email."""
    if kind == KIND_REPLY:
        return pgettext("community notification", "A reply to you in the community")
    if kind == KIND_MENTION:
        return pgettext("community notification", "Someone mentioned you in the community")
    if new_topic:
        return pgettext("community notification", "A new topic in a space you follow")
    return pgettext("community notification", "A new message in a topic you follow")


def announce_post(post_id: uuid.UUID | str) -> int:
    """Notify the recipients of a published post (``recipients_of``), once each: safe to run
    again (one notification per person, kind and post). Returns how many were told."""
    from entraide.notifications.services import notify

    post = (
        Post.objects.filter(pk=post_id, status=Status.PUBLISHED, topic__status=Status.PUBLISHED)
        .select_related("topic__space")
        .first()
    )
    if post is None:
        return 0  # gone, hidden or held meanwhile: nothing to say
    topic, space = post.topic, post.topic.space
    wanted = recipients_of(post)
    link = post_path(post, topic, space)
    told = 0
    people = get_user_model().objects.filter(pk__in=list(wanted))
    for person in people:
        kind = wanted[person.pk]
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            title = notification_title(kind, new_topic=post.number == 1)
        if notify(person, kind, title=title, link=link, dedupe_key=f"post:{post.pk}") is not None:
            told += 1
    return told


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


def erase_reactions_of(person: Any) -> None:
    """Their "je te soutiens" go, and the counts with them (a count must match its rows)."""
    Post.objects.filter(reactions__member=person).update(support_count=F("support_count") - 1)
    Reaction.objects.filter(member=person).delete()


def erase_keeping_of(person: Any) -> None:
    """Bookmarks, follows and read positions: only ever the person's own."""
    Bookmark.objects.filter(member=person).delete()
    Subscription.objects.filter(member=person).delete()
    ReadPosition.objects.filter(member=person).delete()
