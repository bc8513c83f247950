"""Every write of moderation: flags, the queue's cases and their claims, the moderators' actions
and their log, members' standing (the counters trust is computed from), canned replies.

The queue handles any reportable kind (``core.registries.reportables``): a case names its target
by kind and id, and acts through the kind's ``act``. What a community post, topic or member does
for each action is in ``community.reportables``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import pgettext

from entraide.community import anonymity, pause, watch
from entraide.community import rules as moderation_rules
from entraide.community.models import (
    ActionKind,
    CannedReply,
    CaseKind,
    CaseStatus,
    Flag,
    FlagReason,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Post,
)
from entraide.community.permissions import check_moderate_permission, is_moderator
from entraide.core import instance
from entraide.core.errors import InvalidValuesError
from entraide.core.registries import Reportable, reportables
from entraide.core.web import ratelimits
from entraide.notifications.services import notify

logger = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=30)
NOTE_MAX = 500
# Reports a member may send in an hour, on the site and through the API together.
FLAG_LIMIT = ratelimits.Limit("community-flag", limit=20, per=3600)
REASON_MAX = 2000
NOTIFICATION_KIND = "community.moderation"
# Actions that mean the flags were right: the author's "no upheld flag in 90 days" starts again.
UPHOLDING = frozenset(
    {
        ActionKind.HIDE,
        ActionKind.EDIT,
        ActionKind.DELETE,
        ActionKind.WARN,
        ActionKind.SUSPEND,
        ActionKind.LOCK,
        ActionKind.MOVE,
    }
)
# Actions on the member rather than on the thing: any case may lead to them.
MEMBER_ACTIONS = (ActionKind.WARN, ActionKind.SUSPEND)
# Actions every member of the team takes without a reason to give the author.
NO_REASON_NEEDED = frozenset(
    {ActionKind.APPROVE, ActionKind.DISMISS, ActionKind.RESTORE, ActionKind.UNLOCK, ActionKind.SLOW_TOPIC}
    | {ActionKind.SLOW_SPACE}
)


class CaseTakenError(InvalidValuesError):
    """Another moderator holds this case, or it was closed meanwhile."""

    def __init__(self) -> None:
        super().__init__(
            {
                "action": pgettext(
                    "moderation form",
                    "Another moderator is handling this, or it was handled meanwhile: nothing was done.",
                )
            }
        )


def _anonymous(target_kind: str, target_id: str) -> bool:
    return anonymity.is_anonymous(target_kind, target_id)


def reportable(kind: str) -> Reportable:
    found = reportables.get(kind)
    if found is None:
        raise LookupError(f"unknown reportable kind {kind!r}")
    return found


# --- Standing and trust -----------------------------------------------------------------------


def standing_of(member: Any) -> MemberStanding:
    standing, _ = MemberStanding.objects.get_or_create(member_id=member.pk)
    return standing


def level_of(member: Any, *, rules: moderation_rules.Rules | None = None, now: datetime | None = None) -> str:
    standing = MemberStanding.objects.filter(member_id=member.pk).first() or MemberStanding(
        member_id=member.pk
    )
    return moderation_rules.level_of(
        rules or moderation_rules.current(),
        joined=member.date_joined,
        published_posts=standing.published_posts,
        last_upheld_flag_at=standing.last_upheld_flag_at,
        now=now or timezone.now(),
    )


def count_published(member: Any, n: int = 1) -> None:
    """One more of ``member``'s posts is published (at once, or approved)."""
    if member is None:
        return
    if not MemberStanding.objects.filter(member_id=member.pk).update(
        published_posts=F("published_posts") + n
    ):
        try:
            with transaction.atomic():
                MemberStanding.objects.create(member_id=member.pk, published_posts=n)
        except IntegrityError:  # created meanwhile by another request
            MemberStanding.objects.filter(member_id=member.pk).update(
                published_posts=F("published_posts") + n
            )


def suspended_until(member: Any, *, now: datetime | None = None) -> datetime | None:
    until = (
        MemberStanding.objects.filter(member_id=member.pk).values_list("suspended_until", flat=True).first()
    )
    return until if until is not None and until > (now or timezone.now()) else None


# --- Flags --------------------------------------------------------------------------------------


def _refresh_weight(case: ModerationCase) -> None:
    """The case's weight and danger, from its flags (a handful of rows)."""
    flags = case.flags.all()
    case.weight = flags.aggregate(total=Sum("weight"))["total"] or 0
    case.danger = flags.filter(reason=FlagReason.DANGER).exists()
    case.save(update_fields=["weight", "danger"])


def _open_case(kind: str, target_id: str, *, member: Any, case_kind: str, now: datetime) -> ModerationCase:
    """The target's open case, created if there is none (one open case per target: a unique
    constraint; a concurrent creation is caught and the other's case used)."""
    found = ModerationCase.objects.select_for_update().filter(
        target_kind=kind, target_id=target_id, status=CaseStatus.OPEN
    )
    case = found.first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return ModerationCase.objects.create(
                kind=case_kind,
                target_kind=kind,
                target_id=target_id,
                member=member,
                opened_at=now,
                weight=1 if case_kind == CaseKind.APPROVAL else 0,
            )
    except IntegrityError:
        return found.get()


def _values(*, reason: str, note: str) -> None:
    errors: dict[str, str] = {}
    if reason not in FlagReason.values:
        errors["reason"] = pgettext("flag form", "Choose what worries you.")
    if reason == FlagReason.OTHER and not note.strip():
        errors["note"] = pgettext("flag form", "Say in a few words what is wrong.")
    if len(note) > NOTE_MAX:
        errors["note"] = pgettext("flag form", "Keep it under %(max)s characters.") % {"max": NOTE_MAX}
    if errors:
        raise InvalidValuesError(errors)


@transaction.atomic
def flag(
    reporter: Any,
    *,
    target_kind: str,
    target_id: str,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> Flag:
    """``reporter`` reports a thing they can see (the caller checked). One flag per member and
    thing: a second report changes the first. Never on one's own post. A danger flag puts the
    case first and hides nothing; outside moderation hours, enough harassment flags from trusted
    members hide the thing until a moderator looks (``_off_hours_rule``)."""
    _values(reason=reason, note=note)
    now = now or timezone.now()
    kind = reportable(target_kind)
    author = kind.author_of(target_id)
    if author is not None and author.pk == reporter.pk:
        raise InvalidValuesError({"reason": pgettext("flag form", "You cannot report your own message.")})
    rules = moderation_rules.current()
    trusted = level_of(reporter, rules=rules, now=now) == moderation_rules.TRUSTED
    case = _open_case(target_kind, target_id, member=author, case_kind=CaseKind.FLAGS, now=now)
    if case.kind == CaseKind.APPROVAL:  # a held post seen by a moderator: report it all the same
        case.kind = CaseKind.FLAGS
        case.save(update_fields=["kind"])
    values = {
        "case": case,
        "reason": reason,
        "note": note.strip() if reason == FlagReason.OTHER else "",
        "weight": 2 if trusted else 1,
        "updated_at": now,
    }
    found, _ = Flag.objects.update_or_create(
        reporter=reporter,
        target_kind=target_kind,
        target_id=target_id,
        defaults=values,
        create_defaults={**values, "created_at": now},
    )
    _refresh_weight(case)
    if reason == FlagReason.HARASSMENT:
        _off_hours_rule(case, kind, rules=rules, now=now)
    return found


def _off_hours_rule(
    case: ModerationCase, kind: Reportable, *, rules: moderation_rules.Rules, now: datetime
) -> None:
    """Outside moderation hours, a thing with enough harassment flags from trusted members is
    hidden until a moderator looks; its author is told why, calmly. Never for danger flags."""
    if case.hidden_off_hours or moderation_rules.within_hours(rules, now):
        return
    if ActionKind.HIDE not in kind.actions:
        return
    trusted = case.flags.filter(reason=FlagReason.HARASSMENT, weight=2).count()
    if trusted < rules.off_hours_flags:
        return
    kind.act(ActionKind.HIDE, case.target_id, by=None, reason="")
    case.hidden_off_hours = True
    case.save(update_fields=["hidden_off_hours"])
    ModerationAction.objects.create(
        case=case,
        moderator=None,
        action=ActionKind.AUTO_HIDE,
        target_kind=case.target_kind,
        target_id=case.target_id,
        member=case.member,
        extra={"anonymous": True} if _anonymous(case.target_kind, case.target_id) else {},
        at=now,
    )
    if case.member is not None:
        _tell(case.member, ActionKind.AUTO_HIDE, reason="", link="", extra={"rules": rules})


def flags_of(reporter: Any) -> QuerySet[Flag]:
    return Flag.objects.filter(reporter=reporter).order_by("created_at", "id")


# --- Held posts -----------------------------------------------------------------------------------


def hold_for_approval(
    target_kind: str, target_id: str, *, author: Any, now: datetime | None = None
) -> ModerationCase:
    """A new member's post waits in the queue for a moderator's approval."""
    return _open_case(
        target_kind, target_id, member=author, case_kind=CaseKind.APPROVAL, now=now or timezone.now()
    )


# --- The crisis-language watch ---------------------------------------------------------------------


def watch_post(target_kind: str, target_id: str, *, author: Any, now: datetime | None = None) -> None:
    """A post whose words matched the crisis watch (``community.watch``): its open case (a held
    post's approval case, a reported post's case, or a new one) is marked ``watched`` and goes
    first in the queue. Nothing is hidden, and nothing of the words is stored. One update when
    the post has a case, else one insert (one open case per target: a concurrent one is caught)."""
    found = ModerationCase.objects.filter(
        target_kind=target_kind, target_id=target_id, status=CaseStatus.OPEN
    )
    if found.update(watched=True):
        return
    try:
        with transaction.atomic():
            ModerationCase.objects.create(
                kind=CaseKind.FLAGS,
                target_kind=target_kind,
                target_id=target_id,
                member=author,
                opened_at=now or timezone.now(),
                watched=True,
            )
    except IntegrityError:
        found.update(watched=True)


# --- The caring message -----------------------------------------------------------------------------

CONCERN_KIND = "community.concern"
CONCERN_EVERY = timedelta(days=1)  # one caring message per person at most: never a harassment channel


def concern_body(language: str) -> str:
    """The caring message as its recipient reads it, in their language: the instance's text (or
    the default), then the instance's crisis numbers and the help page. Never anything of a post."""
    with translation.override(language):
        row = instance.load_settings()
        text = watch.concern_template_of(row).strip() or watch.default_concern_text()
        lines = []
        for n in instance.PublicFacts.of(row).crisis_numbers:
            line = f"- {n.get('label', '')} : {n.get('number', '')}"
            if n.get("description"):
                line += f" — {n['description']}"
            lines.append(line)
        more = pgettext(
            "concern message", "More help, and what you can do in the next few minutes: %(url)s"
        ) % {"url": reverse("core:crisis-help")}
        sign = pgettext("moderation notice", "— The moderation team")
        return "\n\n".join([text, "\n".join(lines), more, sign])


@transaction.atomic
def send_concern(moderator: Any, case: ModerationCase, *, now: datetime | None = None) -> ModerationAction:
    """A moderator holding a case of worry (a "danger" report, or the crisis watch) sends the
    post's author a caring message (``CONCERN_KIND``): the instance's text and crisis numbers,
    never the post's text nor its topic. At most one per person per ``CONCERN_EVERY``: the check
    and the stamp are one conditional update on their standing, so of two moderators sending at
    once (from two cases) exactly one message goes. Logged; the case stays open."""
    check_moderate_permission(moderator)
    now = now or timezone.now()
    fresh = ModerationCase.objects.filter(pk=case.pk, status=CaseStatus.OPEN).first()
    if fresh is None or not (fresh.danger or fresh.watched):
        raise InvalidValuesError(
            {
                "concern": pgettext(
                    "concern message",
                    "A caring message can only be sent about an open worry: a report “I am worried "
                    "about this person”, or the crisis-language watch.",
                )
            }
        )
    if fresh.claimed_by_id != moderator.pk or fresh.claimed_until is None or fresh.claimed_until < now:
        raise InvalidValuesError(
            {"concern": pgettext("concern message", "Take the case first: then only you can send it.")}
        )
    member = fresh.member
    if member is None or not member.is_active:
        raise InvalidValuesError(
            {"concern": pgettext("concern message", "This person has left: there is nobody to write to.")}
        )
    standing_of(member)
    sent = MemberStanding.objects.filter(
        Q(last_concern_at__isnull=True) | Q(last_concern_at__lte=now - CONCERN_EVERY), member_id=member.pk
    ).update(last_concern_at=now)
    if not sent:
        raise InvalidValuesError(
            {
                "concern": pgettext(
                    "concern message",
                    "The team already sent this person a caring message less than a day ago: one a day "
                    "at most, so that it stays a kindness. Nothing was sent.",
                )
            }
        )
    anonymous = (
        fresh.target_kind == "community.post"
        and Post.objects.filter(pk__in=_post_ids([fresh.target_id]), anonymous=True).exists()
    )
    logged = ModerationAction.objects.create(
        case=fresh,
        moderator=moderator,
        action=ActionKind.CONCERN,
        target_kind=fresh.target_kind,
        target_id=fresh.target_id,
        # An anonymous post's author stays unnamed, in the log too.
        member=None if anonymous else member,
        extra={"anonymous": True} if anonymous else {},
        at=now,
    )
    language = member.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        title = pgettext("concern message", "We are thinking of you")
    notify(member, CONCERN_KIND, title=title, body=concern_body(language), link=reverse("core:crisis-help"))
    return logged


def _post_ids(ids: list[str]) -> list[Any]:
    found = []
    for value in ids:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


# --- Claims ---------------------------------------------------------------------------------------


def claim_case(case: ModerationCase, moderator: Any, *, now: datetime | None = None) -> bool:
    """Take the case for ``CLAIM_FOR``: one conditional update, so that of two moderators
    claiming at once exactly one gets it. A claim of one's own is renewed; an expired one is
    taken over. ``False``: another moderator holds it, or it is closed."""
    check_moderate_permission(moderator)
    now = now or timezone.now()
    free = Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=moderator)
    taken = ModerationCase.objects.filter(free, pk=case.pk, status=CaseStatus.OPEN).update(
        claimed_by=moderator, claimed_until=now + CLAIM_FOR
    )
    if taken:
        case.claimed_by, case.claimed_until = moderator, now + CLAIM_FOR
    return bool(taken)


def release_case(case: ModerationCase, moderator: Any) -> None:
    ModerationCase.objects.filter(pk=case.pk, claimed_by=moderator).update(
        claimed_by=None, claimed_until=None
    )


# --- Actions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What some actions need besides a reason."""

    body: str = ""  # edit
    title: str = ""  # edit of a topic
    space_id: Any = None  # move
    seconds: int = 0  # slow mode (0 turns it off)
    until: datetime | None = None  # suspend


def actions_for(kind: Reportable, *, case: ModerationCase | None, has_member: bool) -> list[str]:
    """The actions offered on a thing: approval ones for a held post, else its kind's actions,
    then the member's, then "nothing to do" for a case."""
    if case is not None and case.kind == CaseKind.APPROVAL:
        return [ActionKind.APPROVE, ActionKind.REFUSE, *(MEMBER_ACTIONS if has_member else ())]
    own = [a for a in kind.actions if a not in {ActionKind.APPROVE, ActionKind.REFUSE}]
    listed = [*own, *(MEMBER_ACTIONS if has_member else ())]
    return [*listed, ActionKind.DISMISS] if case is not None else listed


def _action_values(action: str, *, allowed: list[str], reason: str, options: Options, now: datetime) -> None:
    errors: dict[str, str] = {}
    if action not in allowed:
        errors["action"] = pgettext("moderation form", "Choose one of the actions offered.")
    elif action not in NO_REASON_NEEDED and not reason.strip():
        errors["reason"] = pgettext(
            "moderation form", "Write the reason: the member reads it, signed “the moderation team”."
        )
    if len(reason) > REASON_MAX:
        errors["reason"] = pgettext("moderation form", "Keep the reason under %(max)s characters.") % {
            "max": REASON_MAX
        }
    if action == ActionKind.SUSPEND and (options.until is None or options.until <= now):
        errors["until"] = pgettext("moderation form", "Choose the date the suspension ends, after today.")
    if action == ActionKind.EDIT and not (options.body.strip() or options.title.strip()):
        errors["body"] = pgettext("moderation form", "Write the new text.")
    if action == ActionKind.MOVE and options.space_id is None:
        errors["space"] = pgettext("moderation form", "Choose the space to move the topic to.")
    if errors:
        raise InvalidValuesError(errors)


@transaction.atomic
def act(
    moderator: Any,
    *,
    target_kind: str,
    target_id: str,
    action: str,
    reason: str = "",
    case: ModerationCase | None = None,
    options: Options | None = None,
    now: datetime | None = None,
) -> ModerationAction:
    """One moderation action, logged, and told to the member concerned with its reason, signed
    "the moderation team". On a case, the moderator must hold its claim (or take it now, if
    nobody holds it): the check and the resolution are one conditional update, so two moderators
    never both act on one case (``CaseTakenError``). Acting resolves the case."""
    check_moderate_permission(moderator)
    now = now or timezone.now()
    options = options or Options()
    kind = reportable(target_kind)
    member = kind.author_of(target_id)
    allowed = actions_for(kind, case=case, has_member=member is not None)
    _action_values(action, allowed=allowed, reason=reason, options=options, now=now)
    if case is not None:
        mine_or_free = (
            Q(claimed_by=moderator, claimed_until__gte=now)
            | Q(claimed_by__isnull=True)
            | Q(claimed_until__lt=now)
        )
        resolved = ModerationCase.objects.filter(mine_or_free, pk=case.pk, status=CaseStatus.OPEN).update(
            status=CaseStatus.RESOLVED,
            resolved_at=now,
            claimed_by=moderator,
            claimed_until=None,
            upheld=action in UPHOLDING,
        )
        if not resolved:
            raise CaseTakenError
    extra: dict[str, object] = {}
    if _anonymous(target_kind, target_id):
        # The log then shows "Membre anonyme" for this row, even once the post is gone.
        extra["anonymous"] = True
    if action == ActionKind.WARN:
        MemberStanding.objects.get_or_create(member_id=member.pk)
        MemberStanding.objects.filter(member_id=member.pk).update(warnings=F("warnings") + 1)
    elif action == ActionKind.SUSPEND and options.until is not None:  # a date: checked above
        standing_of(member)
        MemberStanding.objects.filter(member_id=member.pk).update(suspended_until=options.until)
        extra["until"] = options.until.isoformat()
    elif action != ActionKind.DISMISS:
        done = kind.act(action, target_id, by=moderator, reason=reason.strip(), options=options)
        if isinstance(done, dict):
            extra.update(done)
    # Only reports count against trust: a case the watch alone opened has no flag (weight 0).
    if (
        case is not None
        and action in UPHOLDING
        and member is not None
        and case.kind == CaseKind.FLAGS
        and case.weight > 0
    ):
        standing_of(member)
        MemberStanding.objects.filter(member_id=member.pk).update(last_upheld_flag_at=now)
    logged = ModerationAction.objects.create(
        case=case,
        moderator=moderator,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        member=member,
        reason=reason.strip(),
        extra={k: v for k, v in extra.items() if k != "link"},
        at=now,
    )
    if member is not None and action in TOLD:
        _tell(
            member,
            action,
            reason=reason.strip(),
            link=str(extra.get("link", "")),
            extra={"until": options.until},
        )
    return logged


# --- Telling the member ---------------------------------------------------------------------------


def _told() -> dict[str, str]:
    return {
        ActionKind.APPROVE: pgettext("moderation notice", "Your message was approved: it is now published."),
        ActionKind.REFUSE: pgettext("moderation notice", "Your message was not published."),
        ActionKind.HIDE: pgettext("moderation notice", "Your message was hidden."),
        ActionKind.RESTORE: pgettext("moderation notice", "Your message is shown again."),
        ActionKind.EDIT: pgettext("moderation notice", "Your message was edited."),
        ActionKind.MOVE: pgettext("moderation notice", "Your topic was moved to another space."),
        ActionKind.LOCK: pgettext("moderation notice", "Your topic was closed to replies."),
        ActionKind.UNLOCK: pgettext("moderation notice", "Your topic is open to replies again."),
        ActionKind.DELETE: pgettext("moderation notice", "Your message was deleted."),
        ActionKind.WARN: pgettext("moderation notice", "The moderation team sends you a warning."),
        ActionKind.SUSPEND: pgettext(
            "moderation notice",
            "You cannot write in the community until %(until)s. Your personal space, the help page and "
            "your circle stay open to you as before.",
        ),
        ActionKind.AUTO_HIDE: pgettext(
            "moderation notice",
            "Several members reported your message while no moderator was on duty, so it is hidden "
            "until a moderator reads it. This is not a sanction: a moderator will look at it when "
            "moderation hours start again (%(start)s to %(end)s), and it comes back if all is well.",
        ),
    }


TOLD = frozenset(
    {
        ActionKind.APPROVE,
        ActionKind.REFUSE,
        ActionKind.HIDE,
        ActionKind.RESTORE,
        ActionKind.EDIT,
        ActionKind.MOVE,
        ActionKind.LOCK,
        ActionKind.UNLOCK,
        ActionKind.DELETE,
        ActionKind.WARN,
        ActionKind.SUSPEND,
    }
)


def _tell(member: Any, action: str, *, reason: str, link: str, extra: dict[str, Any]) -> None:
    """A notification in the member's centre, in their language: what was done and why, signed
    by the team, never by a moderator's name. Its title names no topic, post or space."""
    with translation.override(member.preferred_language):
        text = _told()[action]
        if action == ActionKind.SUSPEND and extra.get("until"):
            text %= {"until": formats.date_format(timezone.localtime(extra["until"]), "j F Y")}
        elif action == ActionKind.AUTO_HIDE:
            rules: moderation_rules.Rules = extra["rules"]
            text %= {"start": rules.hours_start, "end": rules.hours_end}
        parts = [text]
        if reason:
            parts.append(pgettext("moderation notice", "Reason: %(reason)s") % {"reason": reason})
        parts.append(pgettext("moderation notice", "— The moderation team"))
        notify(
            member,
            NOTIFICATION_KIND,
            title=pgettext("moderation notice", "A message from the moderation team"),
            body="\n\n".join(parts),
            link=link,
        )


# --- Canned replies -------------------------------------------------------------------------------


def _canned_values(*, title: str, body: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = pgettext("canned replies", "Give the reply a short name.")
    if not body.strip():
        errors["body"] = pgettext("canned replies", "Write the reply.")
    if errors:
        raise InvalidValuesError(errors)


@transaction.atomic
def save_canned_reply(
    by: Any, *, title: str, body: str, position: int = 100, reply: CannedReply | None = None
) -> CannedReply:
    check_moderate_permission(by)
    _canned_values(title=title, body=body)
    reply = reply or CannedReply()
    reply.title, reply.body, reply.position = title.strip(), body.strip(), position
    reply.save()
    return reply


@transaction.atomic
def delete_canned_reply(by: Any, reply: CannedReply) -> None:
    check_moderate_permission(by)
    reply.delete()


# --- A member's account erased --------------------------------------------------------------------


def forget_reporter(person: Any) -> None:
    """Their flags stay (the queue's weights and the public figures hold) without their name or
    note; their standing goes with the account."""
    Flag.objects.filter(reporter=person).update(reporter=None, note="")
    MemberStanding.objects.filter(member_id=person.pk).delete()


# --- Before a post: may this member write here, and is the post held? ------------------------------


def check_may_post(author: Any, *, space: Any, topic: Any = None, now: datetime | None = None) -> bool:
    """Raise ``InvalidValuesError`` (a kind message) when ``author`` may not post now: taking a
    break (``pause``), suspended, a locked topic, or slow mode not yet over. Returns whether the post waits for approval (a new
    member's first posts). Moderators are never held nor slowed."""
    if author is None:
        return False
    now = now or timezone.now()
    standing = MemberStanding.objects.filter(member_id=author.pk).first() or MemberStanding(
        member_id=author.pk
    )
    if standing.paused_until is not None and standing.paused_until > now:
        raise pause.refusal(standing.paused_until)  # their own choice: moderators too
    if is_moderator(author):
        return False
    if standing.suspended_until is not None and standing.suspended_until > now:
        raise InvalidValuesError(
            {
                "body": pgettext(
                    "post form", "The moderation team has paused your writing here until %(until)s."
                )
                % {"until": formats.date_format(timezone.localtime(standing.suspended_until), "j F Y")}
            }
        )
    if topic is not None and topic.locked:
        raise InvalidValuesError({"body": pgettext("post form", "This topic is closed to replies.")})
    wait = max(space.slow_mode_seconds, topic.slow_mode_seconds if topic is not None else 0)
    if wait:
        where = Post.objects.filter(author=author, created_at__gt=now - timedelta(seconds=wait))
        where = (
            where.filter(topic=topic)
            if topic is not None and topic.slow_mode_seconds >= space.slow_mode_seconds
            else where.filter(topic__space=space)
        )
        if where.exists():
            minutes = max(1, wait // 60)
            raise InvalidValuesError(
                {
                    "body": pgettext(
                        "post form",
                        "Slow mode is on here: one message every %(minutes)s minutes. Your text is kept; "
                        "send it a little later.",
                    )
                    % {"minutes": minutes}
                }
            )
    rules = moderation_rules.current()
    return moderation_rules.must_wait_for_approval(rules, published_posts=standing.published_posts)
