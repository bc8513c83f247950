"""The community: ``/community/…``. Spaces, topics and posts the token's owner may read (the same
visibility as the pages: a closed group they are not on is a 404), posting a topic or a reply,
"je te soutiens", reports to the moderators, and the members the owner ignores ("Ignorer ce membre"). Every write goes through community.services, so the rules of the site
(moderation's approval included, once it exists) hold through this door too.

Audience ``login``: these operations serve what any member may read, not the owner's own data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Schema
from ninja.responses import Status

from entraide.api.auth import RateLimitedError, area_router, in_owner_zone, owner_of
from entraide.api.schemas import ITEM_ERRORS, ITEM_WRITE_ERRORS, READ_ERRORS, Input, Page
from entraide.community import access, blocking, moderation, services
from entraide.community.models import Ignore, Post, Reaction, Space, Topic
from entraide.core import instance
from entraide.core.errors import InvalidValuesError
from entraide.core.web import ratelimits

router = area_router("community", audience="login", tags=["community"])
router.add_decorator(in_owner_zone)

Visibility = Literal["members", "public", "restricted"]
# A space's address as SlugField allows it: anything else is a 422 before any query.
SpaceSlug = Annotated[
    str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="The space's address.")
]
PostStatus = Literal["published", "held", "hidden"]


class SpaceOut(Schema):
    slug: str
    title: str
    description: str
    charter: str = Field(description="The space's own rules, in Markdown.")
    visibility: Visibility
    mentions_enabled: bool = Field(description="Whether “@pseudonym” tells the person named, here.")
    topic_count: int
    post_count: int
    last_post_at: datetime | None


class TopicOut(Schema):
    id: uuid.UUID
    space: str = Field(description="The space's slug.")
    title: str = Field(description="Empty when its author left (“Sujet d'un membre parti”).")
    author: str | None = Field(description="The author's pseudonym; null when anonymous or gone.")
    anonymous: bool
    author_left: bool
    status: PostStatus
    post_count: int
    created_at: datetime
    last_post_at: datetime


class PostOut(Schema):
    id: uuid.UUID
    topic_id: uuid.UUID
    number: int = Field(description="1 for the topic's opening post, then in order.")
    author: str | None = Field(description="The author's pseudonym; null when anonymous or gone.")
    anonymous: bool
    author_left: bool
    body: str = Field(description="Markdown, as written (empty when its author left).")
    html: str = Field(description="The body as the site shows it (safe HTML).")
    content_warning: str = Field(description="Readers see the post folded under it when not empty.")
    quoted_id: uuid.UUID | None
    status: PostStatus = Field(description="“held”: waiting for the moderators before others see it.")
    support_count: int = Field(description="How many members said “je te soutiens”.")
    supported: bool = Field(description="Whether the token's owner did.")
    folded: bool = Field(
        description=(
            "Whether the token's owner ignores its author (the site shows it folded). Never true for "
            "an anonymous post: that would tell who wrote it."
        )
    )
    created_at: datetime
    edited_at: datetime | None


class CrisisNumberOut(Schema):
    label: str
    number: str
    kind: str = Field(description="“tel” (call) or “sms” (text message).")
    description: str = ""


class CareOut(Schema):
    crisis_numbers: list[CrisisNumberOut] = Field(
        default_factory=list,
        description=(
            "When the words of the post suggest a hard time: the instance's crisis numbers, to show its "
            "author as the site does after posting. Empty otherwise."
        ),
    )
    help_url: str | None = Field(None, description="The help page, with the crisis numbers (“/aide/”).")


class TopicCreatedOut(TopicOut, CareOut):
    pass


class PostCreatedOut(PostOut, CareOut):
    pass


class SpaceList(Schema):
    count: int
    items: list[SpaceOut]


class TopicList(Schema):
    count: int = Field(description="How many topics the space lists, over all pages.")
    items: list[TopicOut]


class PostList(Schema):
    count: int = Field(description="How many posts the topic shows, over all pages.")
    items: list[PostOut]


class IgnoreOut(Schema):
    id: uuid.UUID
    pseudonym: str = Field(description="The ignored member's pseudonym.")
    created_at: datetime


class IgnoreList(Schema):
    count: int
    items: list[IgnoreOut]


FlagReason = Literal["danger", "harassment", "misinformation", "spam", "other"]
FlagAbout = Literal["post", "topic", "member"]


class FlagIn(Input):
    about: FlagAbout = Field(
        "post",
        description=(
            "What is reported: the post; “topic”, its topic's title (from the topic's first post "
            "only); “member”, its author's behaviour (not for an anonymous post)."
        ),
    )
    reason: FlagReason = Field(
        description="“danger”: I am worried about this person; harassment; misinformation about care "
        "or treatments; spam; other (say what in “note”)."
    )
    note: str = Field(
        "", max_length=moderation.NOTE_MAX, description="Needed with “other”, ignored otherwise."
    )


class FlagOut(Schema):
    about: FlagAbout
    reason: FlagReason
    note: str
    created_at: datetime
    updated_at: datetime
    help_url: str | None = Field(
        description="With “danger”: the page of who to call, for the reporter, when a life may be in "
        "danger now (a moderator reads the report first, but not at once)."
    )


class PostFields(Input):
    body: str = Field(max_length=services.BODY_MAX, description="Markdown (the site's safe subset).")
    content_warning: str = Field("", max_length=services.WARNING_MAX)
    anonymous: bool = Field(False, description="Post as “Membre anonyme”: nobody sees the pseudonym.")


class TopicIn(PostFields):
    title: str = Field(max_length=services.TITLE_MAX)


class ReplyIn(PostFields):
    quoted_id: uuid.UUID | None = Field(None, description="A post of the same topic that this one quotes.")


def _author(row: Topic | Post) -> str | None:
    if row.author_left or row.author is None or row.anonymous:
        return None
    return str(row.author.pseudonym)


def space_out(space: Space) -> dict[str, Any]:
    return {
        "slug": space.slug,
        "title": space.title,
        "description": space.description,
        "charter": space.charter,
        "visibility": space.visibility,
        "mentions_enabled": space.mentions_enabled,
        "topic_count": space.topic_count,
        "post_count": space.post_count,
        "last_post_at": space.last_post_at,
    }


def topic_out(topic: Topic, space_slug: str) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "space": space_slug,
        "title": topic.title,
        "author": _author(topic),
        "anonymous": topic.anonymous and not topic.author_left,
        "author_left": topic.author_left,
        "status": topic.status,
        "post_count": topic.post_count,
        "created_at": topic.created_at,
        "last_post_at": topic.last_post_at,
    }


def post_out(post: Post, *, supported: bool, folded: bool = False) -> dict[str, Any]:
    return {
        "id": post.pk,
        "topic_id": post.topic_id,
        "number": post.number,
        "author": _author(post),
        "anonymous": post.anonymous and not post.author_left,
        "author_left": post.author_left,
        "body": post.body,
        "html": post.body_html,
        "content_warning": post.content_warning,
        "quoted_id": post.quoted_id,
        "status": post.status,
        "support_count": post.support_count,
        "supported": supported,
        "folded": folded and post.named,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
    }


def _supported(member: Any, post: Post) -> bool:
    return Reaction.objects.filter(post=post, member=member).exists()


def _care(request: HttpRequest, watched: bool) -> dict[str, Any]:
    """What the site shows a post's author after posting when the crisis watch matched."""
    if not watched:
        return {"crisis_numbers": [], "help_url": None}
    return {
        "crisis_numbers": [
            {
                "label": n.get("label", ""),
                "number": n.get("number", ""),
                "kind": n.get("kind", "tel"),
                "description": n.get("description", ""),
            }
            for n in instance.facts_for(request).crisis_numbers
        ],
        "help_url": reverse("core:crisis-help"),
    }


def _folded(member: Any, post: Post) -> bool:
    return post.named and post.author_id != member.pk and blocking.is_ignoring(member, post.author_id)


def _writable_topic(member: Any, topic_id: uuid.UUID) -> Topic:
    topic = access.get_topic_for(member, topic_id)
    if not access.can_write(member, topic.space):
        raise Http404
    return topic


@router.get(
    "/community/spaces",
    response={200: SpaceList, **READ_ERRORS},
    operation_id="listCommunitySpaces",
    summary="List the community spaces",
    description="The spaces the token's owner may read, in the site's order.",
)
def community_spaces(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    spaces = access.visible_spaces(owner_of(request))
    rows = spaces[page.offset : page.offset + page.limit]
    return {"count": spaces.count(), "items": [space_out(s) for s in rows]}


@router.get(
    "/community/spaces/{space_slug}",
    response={200: SpaceOut, **ITEM_ERRORS},
    operation_id="getCommunitySpace",
    summary="Read a community space",
)
def community_space(request: HttpRequest, space_slug: SpaceSlug) -> dict[str, Any]:
    return space_out(access.get_space_for(owner_of(request), space_slug))


@router.get(
    "/community/spaces/{space_slug}/topics",
    response={200: TopicList, **ITEM_ERRORS},
    operation_id="listCommunityTopics",
    summary="List a space's topics",
    description="Most recently active first.",
)
def community_topics(request: HttpRequest, space_slug: SpaceSlug, page: Query[Page]) -> dict[str, Any]:
    space = access.get_space_for(owner_of(request), space_slug)
    topics = access.filter_topics_in(space).select_related("author")
    rows = topics[page.offset : page.offset + page.limit]
    return {"count": space.topic_count, "items": [topic_out(t, space.slug) for t in rows]}


@router.post(
    "/community/spaces/{space_slug}/topics",
    response={201: TopicCreatedOut, **ITEM_WRITE_ERRORS},
    operation_id="createCommunityTopic",
    summary="Open a topic",
    description=(
        "The topic and its opening post. Its author then follows it. A new member's topic waits for "
        "the moderators (status “held”). When its words suggest a hard time, the answer carries the "
        "crisis numbers and the help page, to show its author."
    ),
)
def community_topic_new(request: HttpRequest, space_slug: SpaceSlug, data: TopicIn) -> Status[Any]:
    member = owner_of(request)
    space = access.get_space_for(member, space_slug)
    if not access.can_write(member, space):
        raise Http404
    topic = services.start_topic(member, space, **data.model_dump())
    return Status(201, {**topic_out(topic, space.slug), **_care(request, topic.crisis_watch)})


@router.get(
    "/community/topics/{topic_id}",
    response={200: TopicOut, **ITEM_ERRORS},
    operation_id="getCommunityTopic",
    summary="Read a topic",
)
def community_topic(request: HttpRequest, topic_id: uuid.UUID) -> dict[str, Any]:
    topic = access.get_topic_for(owner_of(request), topic_id)
    return topic_out(topic, topic.space.slug)


@router.get(
    "/community/topics/{topic_id}/posts",
    response={200: PostList, **ITEM_ERRORS},
    operation_id="listCommunityPosts",
    summary="List a topic's posts",
    description="In order, the opening post first.",
)
def community_posts(request: HttpRequest, topic_id: uuid.UUID, page: Query[Page]) -> dict[str, Any]:
    member = owner_of(request)
    topic = access.get_topic_for(member, topic_id)
    posts = access.filter_posts_in(topic).select_related("author")
    rows = posts.annotate(
        mine=Exists(Reaction.objects.filter(post=OuterRef("pk"), member=member)),
        ignored=Exists(Ignore.objects.filter(member=member, ignored_id=OuterRef("author_id"))),
    )[page.offset : page.offset + page.limit]
    return {
        "count": posts.count(),
        "items": [post_out(p, supported=p.mine, folded=p.ignored) for p in rows],
    }


@router.post(
    "/community/topics/{topic_id}/posts",
    response={201: PostCreatedOut, **ITEM_WRITE_ERRORS},
    operation_id="createCommunityPost",
    summary="Reply in a topic",
    description=(
        "A reply at the end of the topic; its author then follows the topic. A new member's reply "
        "waits for the moderators (status “held”). When its words suggest a hard time, the answer "
        "carries the crisis numbers and the help page, to show its author."
    ),
)
def community_reply(request: HttpRequest, topic_id: uuid.UUID, data: ReplyIn) -> Status[Any]:
    member = owner_of(request)
    topic = _writable_topic(member, topic_id)
    quoted = access.get_post_in(topic, data.quoted_id) if data.quoted_id else None
    post = services.add_reply(member, topic, quoted=quoted, **data.model_dump(exclude={"quoted_id"}))
    return Status(201, {**post_out(post, supported=False), **_care(request, post.crisis_watch)})


@router.get(
    "/community/posts/{post_id}",
    response={200: PostOut, **ITEM_ERRORS},
    operation_id="getCommunityPost",
    summary="Read a post",
)
def community_post(request: HttpRequest, post_id: uuid.UUID) -> dict[str, Any]:
    member = owner_of(request)
    post = access.get_post_for(member, post_id)
    return post_out(post, supported=_supported(member, post), folded=_folded(member, post))


def _support(request: HttpRequest, post_id: uuid.UUID, *, support: bool) -> dict[str, Any]:
    member = owner_of(request)
    post = access.get_post_for(member, post_id)
    if not access.can_write(member, post.topic.space):
        raise Http404
    post = services.support_post(member, post, support=support)
    return post_out(post, supported=_supported(member, post), folded=_folded(member, post))


@router.put(
    "/community/posts/{post_id}/support",
    response={200: PostOut, **ITEM_WRITE_ERRORS},
    operation_id="supportCommunityPost",
    summary="Say “je te soutiens”",
    description="Idempotent: saying it twice counts once. One's own post is left as it is.",
)
def community_support(request: HttpRequest, post_id: uuid.UUID) -> dict[str, Any]:
    return _support(request, post_id, support=True)


@router.delete(
    "/community/posts/{post_id}/support",
    response={200: PostOut, **ITEM_WRITE_ERRORS},
    operation_id="unsupportCommunityPost",
    summary="Take back “je te soutiens”",
)
def community_unsupport(request: HttpRequest, post_id: uuid.UUID) -> dict[str, Any]:
    return _support(request, post_id, support=False)


def ignore_out(row: Ignore) -> dict[str, Any]:
    return {"id": row.pk, "pseudonym": row.ignored.pseudonym, "created_at": row.created_at}


@router.get(
    "/community/ignores",
    response={200: IgnoreList, **READ_ERRORS},
    operation_id="listCommunityIgnores",
    summary="List the members the token's owner ignores",
    description=(
        "Newest first. Their posts tell the owner nothing (no notification) and come with "
        "“folded”: true. They are never told."
    ),
)
def community_ignores(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    rows = blocking.ignores_of(owner_of(request))
    return {
        "count": rows.count(),
        "items": [ignore_out(r) for r in rows[page.offset : page.offset + page.limit]],
    }


@router.get(
    "/community/ignores/{ignore_id}",
    response={200: IgnoreOut, **ITEM_ERRORS},
    operation_id="getCommunityIgnore",
    summary="Read one of the owner's ignores",
)
def community_ignore(request: HttpRequest, ignore_id: uuid.UUID) -> dict[str, Any]:
    row = blocking.own_ignore(owner_of(request), ignore_id)
    if row is None:
        raise Http404
    return ignore_out(row)


@router.put(
    "/community/posts/{post_id}/ignore",
    response={200: IgnoreOut, **ITEM_WRITE_ERRORS},
    operation_id="ignoreCommunityPostAuthor",
    summary="Ignore a post's author",
    description=(
        "Idempotent. The author of a named post the owner may read: an anonymous post, or one whose "
        "author left, is a 404 (it must not tell who wrote it); one's own post is a 422."
    ),
)
def community_ignore_author(request: HttpRequest, post_id: uuid.UUID) -> dict[str, Any]:
    member = owner_of(request)
    post = access.get_post_for(member, post_id)
    if not post.named:
        raise Http404
    row = blocking.ignore_member(member, post.author)
    return ignore_out(blocking.ignores_of(member).get(pk=row.pk))


@router.delete(
    "/community/ignores/{ignore_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteCommunityIgnore",
    summary="Stop ignoring a member",
)
def community_unignore(request: HttpRequest, ignore_id: uuid.UUID) -> Status[Any]:
    member = owner_of(request)
    row = blocking.own_ignore(member, ignore_id)
    if row is None:
        raise Http404
    blocking.unignore_member(member, row.ignored_id)
    return Status(204, None)


@router.put(
    "/community/posts/{post_id}/flag",
    response={200: FlagOut, **ITEM_WRITE_ERRORS},
    operation_id="flagCommunityPost",
    summary="Report a post to the moderators",
    description=(
        "One report per member and thing: sending it again changes the first. Never one's own post "
        "(422). The author is not told who reported them. 20 reports an hour, with the site's."
    ),
)
def community_flag(request: HttpRequest, post_id: uuid.UUID, data: FlagIn) -> dict[str, Any]:
    member = owner_of(request)
    post = access.get_post_for(member, post_id)
    targets = services.flag_targets(post)
    if data.about not in targets:
        raise InvalidValuesError({"about": "This post offers no such thing to report."})
    wait = ratelimits.hit(moderation.FLAG_LIMIT, str(member.pk))
    if wait is not None:
        raise RateLimitedError(wait)
    kind, target_id = targets[data.about]
    found = moderation.flag(member, target_kind=kind, target_id=target_id, reason=data.reason, note=data.note)
    return {
        "about": data.about,
        "reason": found.reason,
        "note": found.note,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "help_url": reverse("core:crisis-help") if found.reason == "danger" else None,
    }
