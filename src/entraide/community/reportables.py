"""What members may report in the community (posts, topics, members), registered in
``core.registries.reportables``: how the queue shows each, who it is about, and what each
moderation action does to it. The writes here run inside ``moderation.act``'s transaction, which
checked the moderator's role and claim, and logs and tells the member."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from entraide.community import moderation, services
from entraide.community.models import ActionKind, Post, Space, Status, Topic
from entraide.core.errors import InvalidValuesError
from entraide.core.registries import Reportable, ReportedItem, register_reportable


def _uuids(ids: list[str]) -> list[uuid.UUID]:
    found = []
    for value in ids:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def _topic_url(topic: Topic, number: int | None = None) -> str:
    url = reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})
    return f"{url}#message-{number}" if number else url


def _pseudonym(author: Any, *, left: bool, anonymous: bool = False) -> str:
    """What the moderators see of the author: never the pseudonym of an anonymous post (only an
    approved lifting shows it, to the two people in it: ``anonymity.py``)."""
    if left or author is None:
        return pgettext("community author", "A member who left")
    if anonymous:
        return pgettext("community author", "Anonymous member")
    return str(author.pseudonym)


# --- Counts ---------------------------------------------------------------------------------------


def _recount(topic_id: Any, space_ids: set[Any]) -> None:
    """Counts of a topic and spaces again, after a rare moderation change (hide, delete, move)."""
    if topic_id is not None:
        n = Post.objects.filter(topic_id=topic_id, status=Status.PUBLISHED).count()
        Topic.objects.filter(pk=topic_id).update(post_count=n)
    for space_id in space_ids:
        Space.objects.filter(pk=space_id).update(
            topic_count=Topic.objects.filter(space_id=space_id, status=Status.PUBLISHED).count(),
            post_count=Post.objects.filter(
                topic__space_id=space_id, topic__status=Status.PUBLISHED, status=Status.PUBLISHED
            ).count(),
        )


# --- Posts ----------------------------------------------------------------------------------------


def _post(target_id: str) -> Post:
    found = Post.objects.filter(pk__in=_uuids([target_id])).select_related("topic__space").first()
    if found is None:
        raise InvalidValuesError({"action": pgettext("moderation form", "This message no longer exists.")})
    return found


def describe_posts(ids: list[str]) -> dict[str, ReportedItem]:
    posts = Post.objects.filter(pk__in=_uuids(ids)).select_related("topic__space", "author")
    found = {}
    for post in posts:
        topic = post.topic
        label = pgettext("moderation queue", "Message %(number)s of “%(topic)s”") % {
            "number": post.number or "—",
            "topic": topic.title or pgettext("community space", "Topic of a member who left"),
        }
        visible = post.status == Status.PUBLISHED and topic.status == Status.PUBLISHED
        found[str(post.pk)] = ReportedItem(
            target_id=str(post.pk),
            heading=label,
            html=post.body_html,
            place=topic.space.title,
            url=_topic_url(topic, post.number) if visible else "",
            author_id=post.author_id,
            author_name=_pseudonym(post.author, left=post.author_left, anonymous=post.anonymous),
            anonymous=post.anonymous and not post.author_left,
        )
    return found


def post_author(target_id: str) -> Any:
    post = Post.objects.filter(pk__in=_uuids([target_id])).select_related("author").first()
    return post.author if post is not None else None


def _approve(post: Post) -> dict[str, object]:
    if post.status != Status.HELD:
        raise InvalidValuesError(
            {"action": pgettext("moderation form", "This message is not waiting any more.")}
        )
    now = timezone.now()
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if post.number == 1 and topic.status == Status.HELD:  # a new topic: published with its first post
        Topic.objects.filter(pk=topic.pk).update(status=Status.PUBLISHED, last_post_at=now)
        Post.objects.filter(pk=post.pk).update(status=Status.PUBLISHED)
        Space.objects.filter(pk=topic.space_id).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post_at=now
        )
        number = 1
    else:
        number = topic.last_number + 1
        Post.objects.filter(pk=post.pk).update(status=Status.PUBLISHED, number=number)
        Topic.objects.filter(pk=topic.pk).update(
            post_count=F("post_count") + 1, last_number=F("last_number") + 1, last_post_at=now
        )
        Space.objects.filter(pk=topic.space_id).update(post_count=F("post_count") + 1, last_post_at=now)
    moderation.count_published(post.author)
    post.status, post.number = Status.PUBLISHED, number
    services.after_publishing(post.author, topic, post)  # follows, read position, notifications
    topic.space = post.topic.space
    return {"link": _topic_url(topic, number)}


def act_on_post(
    action: str, target_id: str, *, by: Any, reason: str, options: Any = None
) -> dict[str, object]:
    post = _post(target_id)
    topic = post.topic
    if action == ActionKind.APPROVE:
        return _approve(post)
    if action == ActionKind.REFUSE:
        Post.objects.filter(pk=post.pk).update(status=Status.HIDDEN)
        if post.number == 1 and topic.status == Status.HELD:
            Topic.objects.filter(pk=topic.pk).update(status=Status.HIDDEN)
        return {}
    if action in {ActionKind.HIDE, ActionKind.RESTORE}:
        status = Status.HIDDEN if action == ActionKind.HIDE else Status.PUBLISHED
        Post.objects.filter(pk=post.pk).update(status=status)
        _recount(topic.pk, {topic.space_id})
        return {"link": _topic_url(topic, post.number)} if status == Status.PUBLISHED else {}
    if action == ActionKind.EDIT:
        body = options.body
        Post.objects.filter(pk=post.pk).update(
            body=body,
            body_html=services.render_body(body),
            edited_at=timezone.now(),
            moderation_note=reason[:500],
        )
        return {"link": _topic_url(topic, post.number)} if post.status == Status.PUBLISHED else {}
    if action == ActionKind.DELETE:
        if post.number == 1:  # the opening post: the whole topic goes
            topic.delete()
            _recount(None, {topic.space_id})
        else:
            post.delete()
            _recount(topic.pk, {topic.space_id})
        return {}
    return act_on_topic(action, str(topic.pk), by=by, reason=reason, options=options)


# --- Topics ---------------------------------------------------------------------------------------


def describe_topics(ids: list[str]) -> dict[str, ReportedItem]:
    topics = Topic.objects.filter(pk__in=_uuids(ids)).select_related("space", "author")
    return {
        str(t.pk): ReportedItem(
            target_id=str(t.pk),
            heading=pgettext("moderation queue", "Topic “%(title)s”") % {"title": t.title},
            place=t.space.title,
            url=_topic_url(t) if t.status == Status.PUBLISHED else "",
            author_id=t.author_id,
            author_name=_pseudonym(t.author, left=t.author_left, anonymous=t.anonymous),
            anonymous=t.anonymous and not t.author_left,
        )
        for t in topics
    }


def topic_author(target_id: str) -> Any:
    topic = Topic.objects.filter(pk__in=_uuids([target_id])).select_related("author").first()
    return topic.author if topic is not None else None


def act_on_topic(
    action: str, target_id: str, *, by: Any, reason: str, options: Any = None
) -> dict[str, object]:
    topic = Topic.objects.filter(pk__in=_uuids([target_id])).select_related("space").first()
    if topic is None:
        raise InvalidValuesError({"action": pgettext("moderation form", "This topic no longer exists.")})
    link: dict[str, object] = {"link": _topic_url(topic)} if topic.status == Status.PUBLISHED else {}
    if action in {ActionKind.HIDE, ActionKind.RESTORE}:
        status = Status.HIDDEN if action == ActionKind.HIDE else Status.PUBLISHED
        Topic.objects.filter(pk=topic.pk).update(status=status)
        _recount(None, {topic.space_id})
        return link if status == Status.PUBLISHED else {}
    if action in {ActionKind.LOCK, ActionKind.UNLOCK}:
        Topic.objects.filter(pk=topic.pk).update(locked=action == ActionKind.LOCK)
        return link
    if action == ActionKind.SLOW_TOPIC:
        Topic.objects.filter(pk=topic.pk).update(slow_mode_seconds=max(0, options.seconds))
        return {"seconds": options.seconds}
    if action == ActionKind.SLOW_SPACE:
        Space.objects.filter(pk=topic.space_id).update(slow_mode_seconds=max(0, options.seconds))
        return {"seconds": options.seconds}
    if action == ActionKind.EDIT:
        if not options.title.strip():
            raise InvalidValuesError({"title": pgettext("moderation form", "Write the new title.")})
        Topic.objects.filter(pk=topic.pk).update(title=options.title.strip()[: services.TITLE_MAX])
        return link
    if action == ActionKind.MOVE:
        target = Space.objects.filter(pk=options.space_id).first()
        if target is None:
            raise InvalidValuesError(
                {"space": pgettext("moderation form", "Choose the space to move the topic to.")}
            )
        Topic.objects.filter(pk=topic.pk).update(space=target)
        _recount(None, {topic.space_id, target.pk})
        topic.space = target
        return {
            "from": str(topic.space_id),
            "to": str(target.pk),
            **({"link": _topic_url(topic)} if link else {}),
        }
    if action == ActionKind.DELETE:
        topic.delete()
        _recount(None, {topic.space_id})
        return {}
    raise InvalidValuesError({"action": pgettext("moderation form", "Choose one of the actions offered.")})


# --- Members --------------------------------------------------------------------------------------


def describe_members(ids: list[str]) -> dict[str, ReportedItem]:
    people = get_user_model().objects.filter(pk__in=_uuids(ids)).only("pk", "pseudonym")
    return {
        str(p.pk): ReportedItem(
            target_id=str(p.pk),
            heading=pgettext("moderation queue", "The member %(pseudonym)s") % {"pseudonym": p.pseudonym},
            author_id=p.pk,
            author_name=p.pseudonym,
        )
        for p in people
    }


def member_itself(target_id: str) -> Any:
    return get_user_model().objects.filter(pk__in=_uuids([target_id])).first()


def act_on_member(
    action: str, target_id: str, *, by: Any, reason: str, options: Any = None
) -> dict[str, object]:
    raise InvalidValuesError({"action": pgettext("moderation form", "Choose one of the actions offered.")})


POST_ACTIONS = (
    ActionKind.APPROVE,
    ActionKind.REFUSE,
    ActionKind.HIDE,
    ActionKind.RESTORE,
    ActionKind.EDIT,
    ActionKind.DELETE,
    ActionKind.LOCK,
    ActionKind.UNLOCK,
    ActionKind.MOVE,
    ActionKind.SLOW_TOPIC,
    ActionKind.SLOW_SPACE,
)
TOPIC_ACTIONS = (
    ActionKind.HIDE,
    ActionKind.RESTORE,
    ActionKind.EDIT,
    ActionKind.LOCK,
    ActionKind.UNLOCK,
    ActionKind.MOVE,
    ActionKind.SLOW_TOPIC,
    ActionKind.SLOW_SPACE,
    ActionKind.DELETE,
)


def register() -> None:
    register_reportable(
        Reportable(
            key=services.POST_KIND,
            label=pgettext_lazy("reportable", "A message in the community"),
            describe=describe_posts,
            author_of=post_author,
            actions=tuple(str(a) for a in POST_ACTIONS),
            act=act_on_post,
            order=60,
        )
    )
    register_reportable(
        Reportable(
            key=services.TOPIC_KIND,
            label=pgettext_lazy("reportable", "A topic's title in the community"),
            describe=describe_topics,
            author_of=topic_author,
            actions=tuple(str(a) for a in TOPIC_ACTIONS),
            act=act_on_topic,
            order=61,
        )
    )
    register_reportable(
        Reportable(
            key=services.MEMBER_KIND,
            label=pgettext_lazy("reportable", "A member's behaviour in the community"),
            describe=describe_members,
            author_of=member_itself,
            actions=(),
            act=act_on_member,
            order=62,
        )
    )
