"""Spaces, topics, posts and the images they show.

Community content is published to a group: stored in clear (so it can be searched), protected by
each space's visibility (``access.py``), never encrypted with a person's key. A post keeps its
``author`` even when shown as anonymous (moderation, export); after its author's account is
erased, ``author`` is empty and ``author_left`` says so.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Visibility(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("space visibility", "Members of this instance")
    PUBLIC = "public", pgettext_lazy("space visibility", "Public: anyone may read, members write")
    RESTRICTED = "restricted", pgettext_lazy("space visibility", "Restricted to a list of members")


class Status(models.TextChoices):
    """Where a topic or post stands; only ``published`` ones are listed. The moderation queue
    (issue 21, step 2) holds ``held`` ones for approval and hides reported ones."""

    PUBLISHED = "published", pgettext_lazy("post status", "Published")
    HELD = "held", pgettext_lazy("post status", "Waiting for approval")
    HIDDEN = "hidden", pgettext_lazy("post status", "Hidden by the moderators")


class Space(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=1000, blank=True)
    charter = models.TextField(max_length=20000, blank=True)  # Markdown, safe subset
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS)
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept up to date by the services, so that lists never count rows.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    # "@pseudo" tells the person named. A space may turn it off: a crisis space should not pull
    # people in (docs/community.md, "Mentions").
    mentions_enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ("position", "title")

    def __str__(self) -> str:
        return self.title


class SpaceMember(models.Model):
    """Who may read and write in a restricted space (a closed group)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("space", "member"), name="one_membership_per_space"),)

    def __str__(self) -> str:
        return f"{self.space_id}:{self.member_id}"


class Topic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_topics",
    )
    anonymous = models.BooleanField(default=False)
    author_left = models.BooleanField(default=False)
    title = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField()
    last_post_at = models.DateTimeField()
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = (models.Index(fields=("space", "status", "-last_post_at"), name="topic_list"),)

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_posts",
    )
    anonymous = models.BooleanField(default=False)
    author_left = models.BooleanField(default=False)
    number = models.PositiveIntegerField()  # 1 for the topic's opening post, then in order
    body = models.TextField(max_length=20000, blank=True)  # Markdown, safe subset
    # The body's HTML, rendered once when written (``services.render_body``): a topic page shows
    # 50 posts, and rendering Markdown for each on every view would cost more than the page.
    body_html = models.TextField(blank=True)
    content_warning = models.CharField(max_length=100, blank=True)
    # The post this one quotes: its author is named from here when shown, so a quote loses its
    # attribution when that author leaves (the quoted lines are the replier's own text).
    quoted = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    # How many members said "je te soutiens": kept by services.support_post, never counted on a page.
    support_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = (models.Index(fields=("topic", "number"), name="post_order"),)

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.number}"


class Image(models.Model):
    """An image sent with a post, stored by ``core.uploads`` (not encrypted: community content)
    and served under its space's visibility."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="images")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_images",
    )
    stored_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.id)


class Reaction(models.Model):
    """One member's "je te soutiens" on a post: the only reaction there is (no dislike). The
    post's ``support_count`` follows every change (services.support_post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reactions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("post", "member"), name="one_reaction_per_post"),)
        indexes = (models.Index(fields=("member", "-created_at"), name="reaction_of_member"),)

    def __str__(self) -> str:
        return f"{self.member_id} supports {self.post_id}"


class Bookmark(models.Model):
    """A post a member keeps to read again ("Mes favoris")."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_bookmarks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("member", "post"), name="one_bookmark_per_post"),)
        indexes = (models.Index(fields=("member", "-created_at"), name="bookmark_list"),)

    def __str__(self) -> str:
        return f"{self.member_id} keeps {self.post_id}"


class Level(models.TextChoices):
    FOLLOWING = "following", pgettext_lazy("follow level", "Following")
    MUTED = "muted", pgettext_lazy("follow level", "Muted")


class Subscription(models.Model):
    """A member follows or mutes one topic or one space (exactly one of the two). A topic's row
    wins over its space's; without a row, a member is told only of replies to them and mentions.
    Posting in a topic follows it, unless the member muted it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True, space__isnull=False)
                | models.Q(topic__isnull=False, space__isnull=True),
                name="subscription_topic_or_space",
            ),
            models.UniqueConstraint(
                fields=("member", "topic"),
                condition=models.Q(topic__isnull=False),
                name="one_topic_subscription",
            ),
            models.UniqueConstraint(
                fields=("member", "space"),
                condition=models.Q(space__isnull=False),
                name="one_space_subscription",
            ),
        )
        # Who follows this topic or space, when a post is announced.
        indexes = (
            models.Index(fields=("topic", "level"), name="subscription_topic_level"),
            models.Index(fields=("space", "level"), name="subscription_space_level"),
        )

    def __str__(self) -> str:
        return f"{self.member_id} {self.level} {self.topic_id or self.space_id}"


class ReadPosition(models.Model):
    """How far a member has read a topic: the highest post number seen. Only ever moves forward,
    by a POST (services.mark_read_up_to); the topic opens at the next one, and the topic is
    unread while its ``post_count`` is beyond it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_read_positions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_positions")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("member", "topic"), name="one_read_position"),)

    def __str__(self) -> str:
        return f"{self.member_id} read {self.topic_id} to {self.last_read_number}"
