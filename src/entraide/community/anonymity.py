"""Anonymous posting and its lifting: whether a space allows it, and the one way a moderator
learns who wrote an anonymous post or topic — a request with a reason, approved by a second
person (another moderator, or a coordinator), logged, and told to the author afterwards unless
the approver recorded why that would endanger someone (docs/community.md, "Anonymous posting
and lifting").

Who sees the pseudonym after an approval: the requester and the approver, on that case, its
item in the log and the list of liftings. Nobody else, ever: pages, API and notifications show
"Membre anonyme" whatever the liftings.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import pgettext

from entraide.accounts.models import Role
from entraide.accounts.services import active_roles
from entraide.community.models import (
    ActionKind,
    AnonymityLift,
    LiftStatus,
    ModerationAction,
    ModerationCase,
    Post,
    Space,
    Status,
    Topic,
)
from entraide.community.permissions import MODERATING_ROLES, check_moderate_permission
from entraide.core.errors import InvalidValuesError
from entraide.notifications.services import notify

# Literals, as in ``services`` (which imports ``moderation``, which imports this module).
POST_KIND, TOPIC_KIND = "community.post", "community.topic"
EXPIRES_AFTER = timedelta(days=7)
REASON_MIN = 20
REASON_MAX = 2000
NOTIFICATION_KIND = "community.moderation"


class LiftDecidedError(InvalidValuesError):
    """Someone decided meanwhile, or the request expired: nothing was done."""

    def __init__(self) -> None:
        super().__init__(
            {
                "decision": pgettext(
                    "anonymity lift",
                    "This request was decided meanwhile, or it expired: nothing was done.",
                )
            }
        )


# --- Allowed where ----------------------------------------------------------------------------------


def check_anonymous_allowed(space: Space, *, anonymous: bool) -> None:
    """A kind refusal when a post asks for anonymity in a space that does not allow it (pages
    offer the box only where allowed; the API and a stale form reach here)."""
    if anonymous and not space.anonymous_allowed:
        raise InvalidValuesError(
            {
                "anonymous": pgettext(
                    "post form",
                    "This space does not allow anonymous messages: untick the box to post under your "
                    "pseudonym, or choose a space that allows them. Your text is kept.",
                )
            }
        )


# --- What is anonymous, and who may see through it ---------------------------------------------------


def anonymous_author(target_kind: str, target_id: str) -> Any:
    """The stored author of an anonymous post or topic, or ``None`` (not anonymous, gone, or
    its author left)."""
    model = {POST_KIND: Post, TOPIC_KIND: Topic}.get(target_kind)
    if model is None:
        return None
    row = (
        model.objects.filter(pk=target_id, anonymous=True, author_left=False)  # type: ignore[attr-defined]
        .select_related("author")
        .first()
        if _is_uuid(target_id)
        else None
    )
    return row.author if row is not None else None


def is_anonymous(target_kind: str, target_id: str) -> bool:
    model = {POST_KIND: Post, TOPIC_KIND: Topic}.get(target_kind)
    if model is None or not _is_uuid(target_id):
        return False
    return bool(model.objects.filter(pk=target_id, anonymous=True).exists())  # type: ignore[attr-defined]


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def approved_lifts_for(viewer: Any, targets: list[tuple[str, str]]) -> dict[tuple[str, str], AnonymityLift]:
    """{(kind, id): its approved lifting} among ``targets``, for the liftings ``viewer`` asked
    for or approved: one query, whatever the number of targets."""
    if not targets or not getattr(viewer, "is_authenticated", False):
        return {}
    ids = {target_id for _, target_id in targets}
    found = (
        AnonymityLift.objects.filter(status=LiftStatus.APPROVED, target_id__in=ids)
        .filter(Q(requested_by=viewer) | Q(approved_by=viewer))
        .select_related("author", "approved_by", "requested_by")
        .order_by("approved_at")
    )
    wanted = set(targets)
    return {
        (lift.target_kind, lift.target_id): lift
        for lift in found
        if (lift.target_kind, lift.target_id) in wanted
    }


def pending(now: datetime | None = None) -> QuerySet[AnonymityLift]:
    """Requests still waiting for a second person (not expired)."""
    now = now or timezone.now()
    return AnonymityLift.objects.filter(status=LiftStatus.PENDING, requested_at__gt=now - EXPIRES_AFTER)


def is_expired(lift: AnonymityLift, *, now: datetime | None = None) -> bool:
    return lift.status == LiftStatus.PENDING and lift.requested_at <= (now or timezone.now()) - EXPIRES_AFTER


# --- Permissions --------------------------------------------------------------------------------------


def check_decide_lift_permission(user: Any) -> None:
    """Approving or refusing a lifting: a moderator (as ``check_moderate_permission``) or a
    coordinator, who always needs a second factor for this (it reveals who wrote something)."""
    held = active_roles(user) if user.is_authenticated and user.is_active else set()
    if held & MODERATING_ROLES:
        check_moderate_permission(user)
        return
    if Role.COORDINATOR not in held:
        raise PermissionDenied(
            pgettext("permission", "This page is for the moderators and coordinators of this instance.")
        )
    from allauth.mfa.utils import is_mfa_enabled

    if not is_mfa_enabled(user):
        raise PermissionDenied(
            pgettext("permission", "Protect your account with a second step at login before deciding this.")
        )


# --- Writes -------------------------------------------------------------------------------------------


def _log(lift: AnonymityLift, *, by: Any, action: str, reason: str, now: datetime, **extra: Any) -> None:
    ModerationAction.objects.create(
        case=lift.case,
        moderator=by,
        action=action,
        target_kind=lift.target_kind,
        target_id=lift.target_id,
        member=lift.author,
        reason=reason,
        extra={"anonymous": True, "lift": str(lift.pk), **extra},
        at=now,
    )


@transaction.atomic
def request_lift(
    moderator: Any,
    *,
    target_kind: str,
    target_id: str,
    reason: str,
    case: ModerationCase | None = None,
    now: datetime | None = None,
) -> AnonymityLift:
    """A moderator asks to know who wrote an anonymous post or topic, saying why (at least
    ``REASON_MIN`` characters: "for safety" alone explains nothing to the second person). A
    second request of theirs while one is waiting or approved returns that one."""
    check_moderate_permission(moderator)
    now = now or timezone.now()
    reason = reason.strip()
    if len(reason) < REASON_MIN or len(reason) > REASON_MAX:
        raise InvalidValuesError(
            {
                "reason": pgettext(
                    "anonymity lift",
                    "Say why, in %(min)s to %(max)s characters: the person who decides reads it, and it "
                    "stays in the moderators' log.",
                )
                % {"min": REASON_MIN, "max": REASON_MAX}
            }
        )
    author = anonymous_author(target_kind, target_id)
    if author is None:
        raise InvalidValuesError(
            {"reason": pgettext("anonymity lift", "This is not an anonymous message any more.")}
        )
    earlier = (
        AnonymityLift.objects.filter(target_kind=target_kind, target_id=target_id, requested_by=moderator)
        .filter(
            Q(status=LiftStatus.APPROVED) | Q(status=LiftStatus.PENDING, requested_at__gt=now - EXPIRES_AFTER)
        )
        .first()
    )
    if earlier is not None:
        return earlier
    lift = AnonymityLift.objects.create(
        target_kind=target_kind,
        target_id=target_id,
        case=case,
        author=author,
        requested_by=moderator,
        reason=reason,
        requested_at=now,
    )
    _log(lift, by=moderator, action=ActionKind.LIFT_REQUEST, reason=reason, now=now)
    return lift


def _decision_values(*, tell_author: bool, not_told_reason: str, note: str) -> None:
    errors: dict[str, str] = {}
    if not tell_author and not not_told_reason.strip():
        errors["not_told_reason"] = pgettext(
            "anonymity lift", "Say why telling the author would put someone in danger: it is recorded."
        )
    if len(not_told_reason) > REASON_MAX or len(note) > REASON_MAX:
        errors["note"] = pgettext("anonymity lift", "Keep it under %(max)s characters.") % {"max": REASON_MAX}
    if errors:
        raise InvalidValuesError(errors)


def _check_not_requester(lift: AnonymityLift, user: Any) -> None:
    if lift.requested_by_id == user.pk:
        raise PermissionDenied(
            pgettext("anonymity lift", "You asked for this lifting: another person must decide it.")
        )


@transaction.atomic
def approve_lift(
    approver: Any,
    lift: AnonymityLift,
    *,
    note: str = "",
    tell_author: bool = True,
    not_told_reason: str = "",
    now: datetime | None = None,
) -> AnonymityLift:
    """A second person approves: one conditional update (pending, not expired, not theirs), so
    that of two approvals exactly one counts (``LiftDecidedError`` for the other). The author is
    then told, unless ``tell_author`` is off with a recorded reason."""
    check_decide_lift_permission(approver)
    _check_not_requester(lift, approver)
    _decision_values(tell_author=tell_author, not_told_reason=not_told_reason, note=note)
    now = now or timezone.now()
    done = (
        AnonymityLift.objects.filter(
            pk=lift.pk, status=LiftStatus.PENDING, requested_at__gt=now - EXPIRES_AFTER
        )
        .exclude(requested_by=approver)
        .update(
            status=LiftStatus.APPROVED,
            approved_by=approver,
            approved_at=now,
            decision_note=note.strip(),
            tell_author=tell_author,
            not_told_reason="" if tell_author else not_told_reason.strip(),
        )
    )
    if not done:
        raise LiftDecidedError
    lift.refresh_from_db()
    _log(
        lift,
        by=approver,
        action=ActionKind.LIFT_APPROVE,
        reason=note.strip(),
        now=now,
        told=tell_author,
        **({} if tell_author else {"not_told_reason": not_told_reason.strip()}),
    )
    if tell_author and lift.author is not None:
        _tell_author(lift)
        AnonymityLift.objects.filter(pk=lift.pk).update(told_at=now)
        lift.told_at = now
    return lift


@transaction.atomic
def refuse_lift(
    refuser: Any, lift: AnonymityLift, *, note: str = "", now: datetime | None = None
) -> AnonymityLift:
    check_decide_lift_permission(refuser)
    _check_not_requester(lift, refuser)
    _decision_values(tell_author=True, not_told_reason="", note=note)
    now = now or timezone.now()
    done = (
        AnonymityLift.objects.filter(
            pk=lift.pk, status=LiftStatus.PENDING, requested_at__gt=now - EXPIRES_AFTER
        )
        .exclude(requested_by=refuser)
        .update(status=LiftStatus.REFUSED, refused_by=refuser, refused_at=now, decision_note=note.strip())
    )
    if not done:
        raise LiftDecidedError
    lift.refresh_from_db()
    _log(lift, by=refuser, action=ActionKind.LIFT_REFUSE, reason=note.strip(), now=now)
    return lift


def _link(lift: AnonymityLift) -> str:
    from entraide.community import services

    if lift.target_kind == POST_KIND:
        post = (
            Post.objects.filter(pk=lift.target_id, status=Status.PUBLISHED, topic__status=Status.PUBLISHED)
            .select_related("topic__space")
            .first()
        )
        return services.post_path(post, post.topic, post.topic.space) if post is not None else ""
    topic = Topic.objects.filter(pk=lift.target_id, status=Status.PUBLISHED).select_related("space").first()
    if topic is None:
        return ""
    from django.urls import reverse

    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def _tell_author(lift: AnonymityLift) -> None:
    """In the author's language; the title names nothing, as every moderation notice."""
    author = lift.author
    if author is None:  # erased meanwhile: nobody to tell
        return
    with translation.override(author.preferred_language):
        body = "\n\n".join(
            (
                pgettext(
                    "moderation notice",
                    "For your safety, the moderation team needed to know who wrote one of your anonymous "
                    "messages. Only two people of the team know it; it is shown to nobody else, and your "
                    "message stays anonymous for everyone.",
                ),
                pgettext("moderation notice", "— The moderation team"),
            )
        )
        notify(
            author,
            NOTIFICATION_KIND,
            title=pgettext("moderation notice", "A message from the moderation team"),
            body=body,
            link=_link(lift),
        )


# --- A person's account erased --------------------------------------------------------------------------


def forget_in_lifts(person: Any) -> None:
    """The liftings stay (the log's accountability) without the person: as the author, as the
    one who asked, approved or refused."""
    AnonymityLift.objects.filter(author=person).update(author=None)
    AnonymityLift.objects.filter(requested_by=person).update(requested_by=None)
    AnonymityLift.objects.filter(approved_by=person).update(approved_by=None)
    AnonymityLift.objects.filter(refused_by=person).update(refused_by=None)


def lifts_told_to(person: Any) -> QuerySet[AnonymityLift]:
    """The approved liftings of the person's anonymous messages that they were told of (export)."""
    return AnonymityLift.objects.filter(
        author=person, status=LiftStatus.APPROVED, told_at__isnull=False
    ).order_by("approved_at")
