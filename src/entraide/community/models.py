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
    """Where a topic or post stands; only ``published`` ones are listed. A new member's posts are
    ``held`` until a moderator approves them (number 0 until then: they take their place at the
    end of the topic when approved); moderators hide reported ones."""

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
    # Slow mode set by the moderators: a member waits this long between two posts in the space.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # "@pseudo" tells the person named. A space may turn it off: a crisis space should not pull
    # people in (docs/community.md, "Mentions").
    mentions_enabled = models.BooleanField(default=True)
    # Whether members may post here without their pseudonym (docs/community.md, "Anonymous
    # posting and lifting"). Off for new spaces; the migration turned it on for the spaces that
    # existed, which allowed it.
    anonymous_allowed = models.BooleanField(default=False)

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
    post_count = models.PositiveIntegerField(default=0)  # published posts, as lists show them
    # The highest number given in this topic, whatever became of that post (hidden, deleted,
    # erased): a new post takes the next one, so numbers are never reused, and read positions
    # compare with it. It differs from ``post_count`` once a post is hidden or deleted.
    last_number = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)  # by the moderators: nobody replies any more
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # Not stored: set by the services on the topic they return when the crisis watch matched.
    crisis_watch: bool = False

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
    # Why the moderators changed this post, shown under it ("" when they did not).
    moderation_note = models.CharField(max_length=500, blank=True)
    # How many members said "je te soutiens": kept by services.support_post, never counted on a page.
    support_count = models.PositiveIntegerField(default=0)
    # Not stored: set by the services on the post they return when the crisis watch matched.
    crisis_watch: bool = False

    class Meta:
        indexes = (models.Index(fields=("topic", "number"), name="post_order"),)

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.number}"

    @property
    def named(self) -> bool:
        """Shown under its author's pseudonym: neither anonymous nor left by an erased author. Only
        such a post may be reported as its author's behaviour, fold for who ignores its author, or
        offer "ignore": for any other, doing so would tell who wrote it."""
        return self.author_id is not None and not self.anonymous and not self.author_left


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
    unread while its ``last_number`` is beyond it."""

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


class Ignore(models.Model):
    """A member ignores another ("Ignorer ce membre"): the ignored person's posts, replies and
    mentions tell them nothing (``blocking.ignoring``), and their named posts fold on topic pages.
    Only the member's own view changes: the ignored person is never told and reads as before.
    What the moderation team does and says is never stopped by it (it does not go through
    ``recipients_of``). Written by ``blocking.ignore_member``. A UUID names a row in forms and
    the API, so that no account's id is shown to another member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_ignores"
    )
    # No index of its own: ("ignored", "member") below serves both.
    ignored = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("member", "ignored"), name="one_ignore_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("ignored")), name="ignore_not_oneself"
            ),
        )
        # Who ignores this author, when a post is announced (the unique index serves the member's list).
        indexes = (models.Index(fields=("ignored", "member"), name="ignore_by_ignored"),)

    def __str__(self) -> str:
        return f"{self.member_id} ignores {self.ignored_id}"


# --- Moderation: flags, the queue, actions, trust --------------------------------------------------


class FlagReason(models.TextChoices):
    DANGER = "danger", pgettext_lazy("flag reason", "I am worried about this person")
    HARASSMENT = "harassment", pgettext_lazy("flag reason", "Harassment or hostility")
    MISINFORMATION = "misinformation", pgettext_lazy("flag reason", "Misinformation about care or treatments")
    SPAM = "spam", pgettext_lazy("flag reason", "Spam or advertising")
    OTHER = "other", pgettext_lazy("flag reason", "Something else")


class CaseKind(models.TextChoices):
    FLAGS = "flags", pgettext_lazy("moderation case", "Reported")
    APPROVAL = "approval", pgettext_lazy("moderation case", "Waiting for approval")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("moderation case", "To look at")
    RESOLVED = "resolved", pgettext_lazy("moderation case", "Done")


class ModerationCase(models.Model):
    """One item of the moderation queue: a reported thing (``target_kind`` is a key of
    ``core.registries.reportables``) with its flags, or a new member's post waiting for approval.
    At most one open case per thing. The queue lists open cases with danger first, then the
    heaviest (``weight``: each flag counts 1, a trusted member's 2), then the oldest.

    A moderator claims a case before acting (``claimed_by`` until ``claimed_until``), so two
    moderators never handle the same one; claims are taken by a conditional update."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=CaseKind.choices, default=CaseKind.FLAGS)
    target_kind = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    # The person the case is about (the author, or the reported member); empty once erased.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    danger = models.BooleanField(default=False)
    weight = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Hidden on its own, outside moderation hours, until a moderator looks (the off-hours rule).
    hidden_off_hours = models.BooleanField(default=False)
    # Opened (or marked) by the crisis-language watch (``community.watch``): first in the queue,
    # with danger. Nothing of the words that matched is stored.
    watched = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True, blank=True)  # the flags were right (an action followed)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("target_kind", "target_id"),
                condition=models.Q(status="open"),
                name="one_open_case_per_target",
            ),
        )
        indexes = (
            models.Index(
                fields=("status", "-danger", "-watched", "-weight", "opened_at"), name="queue_order"
            ),
        )

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.target_id}"


class Flag(models.Model):
    """A member's report of a thing: one per member and thing (a second report changes the
    first), attached to the thing's open case. Kept, without its author, after the reporter's
    account is erased, so that the public figures do not change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="flags")
    target_kind = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(default=1)  # 2 when the reporter was trusted
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("reporter", "target_kind", "target_id"),
                condition=models.Q(reporter__isnull=False),
                name="one_flag_per_member_and_target",
            ),
        )
        indexes = (models.Index(fields=("created_at",), name="flag_created"),)

    def __str__(self) -> str:
        return f"{self.reason} on {self.target_kind}:{self.target_id}"


class ActionKind(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("moderation action", "Approve")
    REFUSE = "refuse", pgettext_lazy("moderation action", "Refuse")
    DISMISS = "dismiss", pgettext_lazy("moderation action", "Nothing to do")
    HIDE = "hide", pgettext_lazy("moderation action", "Hide")
    RESTORE = "restore", pgettext_lazy("moderation action", "Show again")
    EDIT = "edit", pgettext_lazy("moderation action", "Edit")
    MOVE = "move", pgettext_lazy("moderation action", "Move the topic")
    LOCK = "lock", pgettext_lazy("moderation action", "Lock the topic")
    UNLOCK = "unlock", pgettext_lazy("moderation action", "Unlock the topic")
    DELETE = "delete", pgettext_lazy("moderation action", "Delete")
    WARN = "warn", pgettext_lazy("moderation action", "Warn the member")
    SUSPEND = "suspend", pgettext_lazy("moderation action", "Suspend the member")
    SLOW_TOPIC = "slow_topic", pgettext_lazy("moderation action", "Slow mode on the topic")
    SLOW_SPACE = "slow_space", pgettext_lazy("moderation action", "Slow mode on the space")
    AUTO_HIDE = "auto_hide", pgettext_lazy("moderation action", "Hidden outside moderation hours")
    LIFT_REQUEST = "lift_request", pgettext_lazy("moderation action", "Asked to know an anonymous author")
    LIFT_APPROVE = "lift_approve", pgettext_lazy("moderation action", "Approved an anonymity lifting")
    LIFT_REFUSE = "lift_refuse", pgettext_lazy("moderation action", "Refused an anonymity lifting")
    CONCERN = "concern", pgettext_lazy("moderation action", "Caring message sent")


class ModerationAction(models.Model):
    """The moderators' log: who did what, when, why, to what. ``moderator`` is shown only in
    this log; the member concerned is told the action and ``reason``, signed "the moderation
    team". Empty ``moderator``: the off-hours rule acted on its own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        ModerationCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=ActionKind.choices)
    target_kind = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=2000, blank=True)
    # Non-sensitive details: the suspension's end, the slow mode's seconds, the spaces of a move.
    extra: models.JSONField[dict[str, object]] = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=("-at",), name="moderation_log"),)

    def __str__(self) -> str:
        return f"{self.action} on {self.target_kind}:{self.target_id}"


class MemberStanding(models.Model):
    """A member's derived counters, kept up to date by the services so that trust is computed
    from one row, never by scanning posts and flags (``trust.level_of``)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    published_posts = models.PositiveIntegerField(default=0)  # published at once or approved
    last_upheld_flag_at = models.DateTimeField(null=True, blank=True)
    warnings = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # "Faire une pause": the member's own choice, apart from the moderators' suspension, so that
    # "reprendre maintenant" can never end a suspension. Nobody else is ever shown it.
    paused_until = models.DateTimeField(null=True, blank=True)
    # The last caring message the moderators sent them (``moderation.send_concern``): one a day.
    last_concern_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.member_id)


class CannedReply(models.Model):
    """A supportive text the instance writes once, which moderators start their message from."""

    title = models.CharField(max_length=80)
    body = models.TextField(max_length=2000)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ("position", "title")

    def __str__(self) -> str:
        return self.title


class LiftStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("anonymity lift", "Waiting for a second person")
    APPROVED = "approved", pgettext_lazy("anonymity lift", "Approved")
    REFUSED = "refused", pgettext_lazy("anonymity lift", "Refused")


class AnonymityLift(models.Model):
    """A moderator's request to know who wrote an anonymous post or topic, for someone's safety.
    A second person (another moderator, or a coordinator) approves or refuses it; only the
    requester and the approver then see the pseudonym, on that case. A pending request older
    than ``anonymity.EXPIRES_AFTER`` is expired (computed, no job). The author is told
    afterwards unless the approver recorded why telling would endanger someone.

    ``author`` is the stored author when the request was made (cleared on their erasure); the
    people who asked and decided are cleared on theirs, the record itself stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    target_kind = models.CharField(max_length=40)  # community.post or community.topic
    target_id = models.CharField(max_length=64)
    case = models.ForeignKey(
        ModerationCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="lifts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=LiftStatus.choices, default=LiftStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)  # why approved or refused
    tell_author = models.BooleanField(default=True)
    not_told_reason = models.TextField(max_length=2000, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(fields=("status", "requested_at"), name="lift_pending"),
            models.Index(fields=("target_kind", "target_id"), name="lift_target"),
        )

    def __str__(self) -> str:
        return f"lift {self.status} on {self.target_kind}:{self.target_id}"
