"""Every write of the circle: invitations, links, grants and their consent records.

Each service runs in one transaction and writes a ``GrantChange`` for what the person consented
to (or what ended). Views, the API, the demo and jobs call these, never the models directly.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import override, pgettext

from entraide.accounts.models import Role, User
from entraide.accounts.services import active_roles
from entraide.circle.access import filter_links_of
from entraide.circle.models import (
    Block,
    Grant,
    GrantChange,
    Invitation,
    Link,
    LinkKind,
    Proposal,
    ProposalAnswer,
    Side,
)
from entraide.circle.scopes import BY_KEY, DEFAULT_GRANT_DAYS, LOOK_BACK_DAYS, READ
from entraide.core import instance, mail
from entraide.core.web import ratelimits

INVITATION_DAYS = 14
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's: no I, L, O, U to misread
CODE_LENGTH = 10  # 32**10 = 2**50
CODE_TRIES = 5  # wrong codes per account (or address, logged out) per hour
CODE_TRIES_WINDOW = 3600
MAX_PENDING_INVITATIONS = 20
KIND_ROLES: dict[str, str] = {
    LinkKind.PEER_HELPER: Role.PEER_HELPER,
    LinkKind.PROFESSIONAL: Role.PROFESSIONAL,
}


class CircleError(Exception):
    """A rule of the circle the caller should explain (the message is for people)."""


class InvitationUnavailableError(CircleError):
    """Used, cancelled, expired, or never existed: the same answer for all four."""


class TooManyTriesError(CircleError):
    """Five wrong codes within the hour."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_code(typed: str) -> str:
    """What a person types, as stored: case, spaces and dashes do not matter; O is 0, I and L are 1."""
    kept = "".join(ch for ch in typed.upper() if ch.isalnum())
    return kept.translate(str.maketrans("OIL", "011"))[: CODE_LENGTH * 2]


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("circle:invitation-open", kwargs={"token": token})


def _record(
    link: Link | None,
    *,
    owner: Any,
    action: str,
    by: str,
    scope: str = "",
    details: dict[str, object] | None = None,
    supporter_pseudonym: str = "",
) -> GrantChange:
    pseudonym = supporter_pseudonym or (link.supporter.pseudonym if link is not None else "")
    return GrantChange.objects.create(
        owner_id=owner.pk,
        link=link,
        supporter_pseudonym=pseudonym,
        action=action,
        scope=scope,
        by=by,
        details=details or {},
    )


def invitations_without_account_allowed() -> bool:
    """The instance setting "members may invite people who have no account" (on by default)."""
    return bool(instance.load_settings().extra.get("circle", {}).get("invite_without_account", True))


# --- Invitations ---------------------------------------------------------------------------------


def usable_invitations(now: datetime | None = None) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def invite_person(owner: User, *, kind: str, email: str = "") -> tuple[Invitation, str]:
    """An invitation into the owner's circle and its secret, shown or sent once: with ``email``,
    a link sent there (whether or not the address has an account: nothing tells); without, a
    10-character code to hand over in person."""
    if kind not in LinkKind.values:
        raise CircleError("unknown kind of link")
    email = email.strip().lower()
    if usable_invitations().filter(owner_id=owner.pk).count() >= MAX_PENDING_INVITATIONS:
        raise CircleError(
            pgettext("circle", "You have many invitations waiting: cancel some before sending more.")
        )
    secret = secrets.token_urlsafe(32) if email else _new_code()
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            owner=owner,
            kind=kind,
            email=email,
            token_hash=hash_token(secret),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        _record(None, owner=owner, action=GrantChange.Action.INVITED, by=Side.OWNER, details={"kind": kind})
        if email:
            # Discreet: the subject names the instance, never health nor the circle's purpose.
            mail.send_mail(
                to=email,
                template_prefix="circle/email/invitation",
                context={
                    "link": invitation_link(secret),
                    "days": INVITATION_DAYS,
                    "pseudonym": owner.pseudonym,
                },
                language=instance.load_settings().default_language,
            )
    return invitation, secret


def revoke_invitation(owner: User, invitation: Invitation) -> bool:
    """Cancel a waiting invitation; False when it was already used or cancelled."""
    return (
        Invitation.objects.filter(
            pk=invitation.pk, owner_id=owner.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        == 1
    )


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation of this link's token, if any."""
    if not token or len(token) > 200:
        return None
    return usable_invitations().filter(token_hash=hash_token(token)).select_related("owner").first()


def find_invitation_by_code(typed: str, *, tries_key: str) -> Invitation | None:
    """The usable invitation of a typed code. ``tries_key`` names who is trying (the account, or the
    address when logged out): after 5 wrong codes in an hour, ``TooManyTriesError``."""
    key = f"circle:code-tries:{hashlib.sha256(tries_key.encode()).hexdigest()}"
    if int(cache.get(key, 0)) >= CODE_TRIES:
        raise TooManyTriesError
    code = normalize_code(typed)
    found = find_invitation(code) if len(code) == CODE_LENGTH else None
    if found is None and cache.add(key, 1, CODE_TRIES_WINDOW) is False:
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, CODE_TRIES_WINDOW)
    return found


def note_signup(invitation_id: uuid.UUID | str) -> bool:
    """The invitation opened a sign-up: it opens no other (conditional update: one wins a race)."""
    return (
        usable_invitations()
        .filter(pk=invitation_id, signed_up_at__isnull=True)
        .update(signed_up_at=timezone.now())
        == 1
    )


def check_kind_allowed(supporter: User, kind: str) -> None:
    """A peer helper's or a professional's link needs the supporter to hold that role."""
    role = KIND_ROLES.get(kind)
    if role is not None and role not in active_roles(supporter):
        label = LinkKind(kind).label
        raise CircleError(
            pgettext("circle", "This invitation is for a %(kind)s: your account does not hold that role.")
            % {"kind": str(label).lower()}
        )


def accept_invitation(supporter: User, invitation_id: uuid.UUID | str) -> Link:
    """The invitee joins the circle: the link is accepted by both sides (the invitation was the
    person's acceptance). Nothing is shared yet: the person then chooses what, on the link's page."""
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            usable_invitations(now)
            .select_related("owner")
            .select_for_update(of=("self",))
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            raise InvitationUnavailableError
        owner = invitation.owner
        if owner.pk == supporter.pk:
            raise CircleError(pgettext("circle", "This invitation is yours: give it to someone else."))
        if not owner.is_active:
            raise InvitationUnavailableError
        check_kind_allowed(supporter, invitation.kind)
        if Link.objects.open().filter(owner=owner, supporter=supporter).exists():
            raise CircleError(pgettext("circle", "You are already in this person's circle."))
        link = Link.objects.create(
            owner=owner,
            supporter=supporter,
            kind=invitation.kind,
            proposed_by=Side.OWNER,
            created_at=invitation.created_at,
            owner_accepted_at=invitation.created_at,
            supporter_accepted_at=now,
        )
        Invitation.objects.filter(pk=invitation.pk).update(used_at=now, used_by=supporter, link=link)
        _record(
            link,
            owner=owner,
            action=GrantChange.Action.LINKED,
            by=Side.SUPPORTER,
            details={"kind": link.kind},
        )
    return link


def decline_invitation(invitation_id: uuid.UUID | str) -> None:
    """The invitee says no: the invitation is spent; the person sees it as cancelled."""
    usable_invitations().filter(pk=invitation_id).update(revoked_at=timezone.now())


# --- Links ---------------------------------------------------------------------------------------


def accept_link(person: User, link: Link) -> Link:
    """The side that has not accepted yet accepts (a supporter's proposal, step 2)."""
    now = timezone.now()
    with transaction.atomic():
        if person.pk == link.owner_id and link.owner_accepted_at is None:
            Link.objects.filter(pk=link.pk, ended_at__isnull=True).update(owner_accepted_at=now)
            by = Side.OWNER
        elif person.pk == link.supporter_id and link.supporter_accepted_at is None:
            check_kind_allowed(person, link.kind)
            Link.objects.filter(pk=link.pk, ended_at__isnull=True).update(supporter_accepted_at=now)
            by = Side.SUPPORTER
        else:
            return link
        link.refresh_from_db()
        if link.is_accepted:
            _record(
                link, owner=link.owner, action=GrantChange.Action.LINKED, by=by, details={"kind": link.kind}
            )
    return link


def remaining_supporters(owner: User) -> list[str]:
    return sorted(
        filter_links_of(owner, Link.objects.accepted()).values_list("supporter__pseudonym", flat=True),
        key=str.lower,
    )


def end_link(link: Link, *, by: User | None) -> bool:
    """Either side ends the link (``by=None``: the instance, as when an account is erased). Every
    grant ends with it. When the supporter ends it, the person is told in the notification centre,
    with the help page and the supporters who remain; when the person ends it, the supporter sees
    it on their next visit (no email, no reason). False when it had already ended."""
    if by is None:
        side = Side.SYSTEM
    elif by.pk == link.owner_id:
        side = Side.OWNER
    elif by.pk == link.supporter_id:
        side = Side.SUPPORTER
    else:
        raise CircleError("only one of the two sides ends a link")
    now = timezone.now()
    with transaction.atomic():
        if Link.objects.filter(pk=link.pk, ended_at__isnull=True).update(ended_at=now, ended_by=side) != 1:
            return False
        Grant.objects.filter(link=link, revoked_at__isnull=True).update(revoked_at=now)
        link.ended_at, link.ended_by = now, side
        _record(link, owner=link.owner, action=GrantChange.Action.ENDED, by=side)
        if side == Side.SUPPORTER:
            _tell_owner_link_ended(link)
    return True


def _tell_owner_link_ended(link: Link) -> None:
    from entraide.notifications.services import notify

    owner = link.owner
    with override(owner.preferred_language or settings.LANGUAGE_CODE):
        remaining = remaining_supporters(owner)
        body = pgettext("circle notification", "%(pseudonym)s has ended your link.") % {
            "pseudonym": link.supporter.pseudonym
        }
        if remaining:
            body += " " + pgettext("circle notification", "Still in your circle: %(names)s.") % {
                "names": ", ".join(remaining)
            }
        body += " " + pgettext(
            "circle notification", "If you need to talk to someone now, the help page lists who to call."
        )
        notify(
            owner,
            "circle.link_ended",
            title=pgettext("circle notification", "A change in your circle"),
            body=body,
            link=reverse("core:crisis-help"),
        )


# --- Proposals: a supporter asks to join a person's circle -----------------------------------------

PROPOSAL_DAYS = 30  # a proposal waits 30 days; one per address and supporter every 30 days
MAX_PENDING_PROPOSALS = 3
PROPOSALS_PER_DAY = ratelimits.Limit("circle-proposal", limit=10, per=86400)  # withdrawing frees a slot


class ProposalLimitError(CircleError):
    """One of the proposal limits: the message says which, and when it lifts."""


def address_key(email: str) -> str:
    """The keyed hash a proposal keeps of an address: enough to apply the 30-day rule, and the
    address itself is never stored (it may be a stranger's). A new secret key forgets the rule."""
    return salted_hmac("entraide.circle.proposal", email.strip().lower()).hexdigest()


def address_hint(email: str) -> str:
    """What the supporter's own list shows of an address they typed: ``c…@example.org``."""
    local, _, domain = email.strip().lower().partition("@")
    return f"{local[:1]}…@{domain}"[:80]


def proposals_waiting_from(supporter: Any, now: datetime | None = None) -> QuerySet[Proposal]:
    """The supporter's proposals still waiting as far as they know: not accepted, not withdrawn,
    not expired. A refusal looks like silence to them: it waits until it expires."""
    return Proposal.objects.filter(
        supporter_id=supporter.pk, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now()
    ).exclude(answer=ProposalAnswer.ACCEPTED)


def proposals_for(person: Any, now: datetime | None = None) -> QuerySet[Proposal]:
    """The proposals a person may answer now (those that reached them)."""
    return Proposal.objects.filter(
        owner_id=person.pk, answer="", withdrawn_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def _member_with_address(email: str) -> User | None:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    return (
        User.objects.filter(Q(email__iexact=email) | Q(pk__in=verified), is_active=True)
        .order_by("date_joined")
        .first()
    )


def kinds_open_to(supporter: User) -> list[tuple[str, Any]]:
    """The kinds of link ``supporter`` may hold (peer helper and professional need their role)."""
    roles = active_roles(supporter)
    return [(value, label) for value, label in LinkKind.choices if KIND_ROLES.get(value) in (None, *roles)]


def propose_link(supporter: User, *, email: str, kind: str) -> Proposal:
    """The supporter asks the member with this address to let them into their circle. The caller
    answers "sent" whatever this finds: the proposal reaches the member (their circle page, and a
    notification) only when the address is a member's who has not blocked the supporter nor is
    linked to them already; otherwise it reaches nobody and nothing is sent anywhere (proposals
    never invite strangers). Raises ``CircleError`` only for what the supporter's own situation
    explains: their role for the kind, their own address, the limits."""
    if kind not in LinkKind.values:
        raise CircleError("unknown kind of link")
    email = email.strip().lower()
    check_kind_allowed(supporter, kind)
    if email == supporter.email.lower():
        raise CircleError(pgettext("circle proposal", "This is your own address."))
    now = timezone.now()
    key = address_key(email)
    with transaction.atomic():
        # One proposal at a time per supporter: the limits below are counted under this lock.
        User.objects.select_for_update().filter(pk=supporter.pk).first()
        if proposals_waiting_from(supporter, now).count() >= MAX_PENDING_PROPOSALS:
            raise ProposalLimitError(
                pgettext(
                    "circle proposal",
                    "You already have %(count)s proposals waiting. You can send another once one is "
                    "accepted, withdrawn, or ends after %(days)s days.",
                )
                % {"count": MAX_PENDING_PROPOSALS, "days": PROPOSAL_DAYS}
            )
        last = (
            Proposal.objects.filter(
                supporter_id=supporter.pk,
                address_hash=key,
                created_at__gt=now - timedelta(days=PROPOSAL_DAYS),
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            again = last + timedelta(days=PROPOSAL_DAYS)
            raise ProposalLimitError(
                pgettext(
                    "circle proposal",
                    "You already sent a proposal to this address less than %(days)s days ago. You can "
                    "send another from %(date)s.",
                )
                % {"days": PROPOSAL_DAYS, "date": formats.date_format(again.astimezone(_zone_of(supporter)))}
            )
        if ratelimits.hit(PROPOSALS_PER_DAY, str(supporter.pk)) is not None:
            raise ProposalLimitError(
                pgettext("circle proposal", "You have sent many proposals today: you can send more tomorrow.")
            )
        person = _member_with_address(email)
        if person is not None and (
            person.pk == supporter.pk
            or Block.objects.filter(owner_id=person.pk, supporter_id=supporter.pk).exists()
            or Link.objects.open().filter(owner_id=person.pk, supporter_id=supporter.pk).exists()
            or proposals_for(person, now).filter(supporter_id=supporter.pk).exists()
        ):
            person = None  # silently dropped: the supporter is told "sent" all the same
        proposal = Proposal.objects.create(
            supporter=supporter,
            owner=person,
            address_hash=key,
            address_hint=address_hint(email),
            kind=kind,
            created_at=now,
            expires_at=now + timedelta(days=PROPOSAL_DAYS),
        )
        if person is not None:
            _tell_owner_of_proposal(proposal, person)
    return proposal


def _tell_owner_of_proposal(proposal: Proposal, person: User) -> None:
    """In the notification centre (and by email if the person keeps this kind's default): a neutral
    title; the email itself only says there is a notification."""
    from entraide.notifications.services import notify

    with override(person.preferred_language or settings.LANGUAGE_CODE):
        notify(
            person,
            "circle.proposal",
            title=pgettext("circle notification", "A request in your circle"),
            body=pgettext(
                "circle notification",
                "%(pseudonym)s would like to join your circle. You decide: accept, refuse, or refuse "
                "and block. Nothing is shared unless you choose it.",
            )
            % {"pseudonym": proposal.supporter.pseudonym},
            link=reverse("circle:proposal", kwargs={"proposal_id": proposal.pk}),
            dedupe_key=f"circle.proposal:{proposal.pk}",
        )


def answer_proposal(
    person: User, proposal_id: uuid.UUID | str, *, answer: str, kind: str = ""
) -> Link | None:
    """The person answers a proposal that reached them: accept (a link both sides accepted, of
    ``kind`` — the proposal's unless the person chose another; nothing shared until they choose
    it), refuse, or refuse and block (the supporter's later proposals reach them no more). The
    supporter is told nothing of a refusal. Returns the link when accepted."""
    if answer not in ProposalAnswer.values:
        raise CircleError("unknown answer")
    now = timezone.now()
    with transaction.atomic():
        proposal = (
            proposals_for(person, now)
            .select_related("supporter")
            .select_for_update(of=("self",))
            .filter(pk=proposal_id)
            .first()
        )
        if proposal is None:
            raise CircleError(
                pgettext("circle proposal", "This proposal has already been answered or has ended.")
            )
        supporter = proposal.supporter
        link: Link | None = None
        if answer == ProposalAnswer.ACCEPTED:
            kind = kind or proposal.kind
            if kind not in LinkKind.values:
                raise CircleError("unknown kind of link")
            if not supporter.is_active:
                raise CircleError(
                    pgettext("circle proposal", "This proposal has already been answered or has ended.")
                )
            check_kind_allowed(supporter, kind)
            if Link.objects.open().filter(owner_id=person.pk, supporter_id=supporter.pk).exists():
                raise CircleError(pgettext("circle", "This person is already in your circle."))
            link = Link.objects.create(
                owner=person,
                supporter=supporter,
                kind=kind,
                proposed_by=Side.SUPPORTER,
                created_at=proposal.created_at,
                owner_accepted_at=now,
                supporter_accepted_at=proposal.created_at,
            )
            _record(
                link,
                owner=person,
                action=GrantChange.Action.LINKED,
                by=Side.OWNER,
                details={"kind": kind, "proposed_by": Side.SUPPORTER},
            )
        elif answer == ProposalAnswer.BLOCKED:
            Block.objects.get_or_create(
                owner_id=person.pk, supporter_id=supporter.pk, defaults={"created_at": now}
            )
        Proposal.objects.filter(pk=proposal.pk).update(answer=answer, answered_at=now, link=link)
        if answer == ProposalAnswer.BLOCKED:  # the supporter's other waiting proposals go with it
            proposals_for(person, now).filter(supporter_id=supporter.pk).update(
                answer=answer, answered_at=now
            )
    return link


def unblock(person: User, block: Block) -> bool:
    """The person lets a supporter they blocked propose again (one proposal at a time, as anyone)."""
    deleted, _ = Block.objects.filter(pk=block.pk, owner_id=person.pk).delete()
    return deleted > 0


def withdraw_proposal(supporter: User, proposal: Proposal) -> bool:
    """The supporter withdraws a waiting proposal: the person no longer sees it. False when it was
    already accepted, withdrawn or ended (the supporter learns nothing of a refusal)."""
    return proposals_waiting_from(supporter).filter(pk=proposal.pk).update(withdrawn_at=timezone.now()) == 1


# --- Pause ---------------------------------------------------------------------------------------


def _pausable(owner: User, link: Link | None) -> QuerySet[Link]:
    links = filter_links_of(owner, Link.objects.open())
    return links.filter(pk=link.pk) if link is not None else links


def pause_sharing(owner: User, *, link: Link | None = None) -> int:
    """Pause one link, or every open link of the person at once: nothing of theirs reaches those
    supporters any more (the gate refuses a paused link), who see only "sharing paused". The
    grants are left as they are, so resuming restores them. Distinct from revoking or ending. Each
    link paused is a consent record. Returns how many links were paused (0 when already paused)."""
    now = timezone.now()
    paused = 0
    with transaction.atomic():
        for found in _pausable(owner, link).filter(paused_at__isnull=True).select_for_update(of=("self",)):
            Link.objects.filter(pk=found.pk).update(paused_at=now)
            _record(found, owner=owner, action=GrantChange.Action.PAUSED, by=Side.OWNER)
            paused += 1
    return paused


def resume_sharing(owner: User, *, link: Link | None = None) -> int:
    """Resume one paused link, or every paused link: the grants apply again as they were (those
    that reached their end date meanwhile stay ended). Each link resumed is a consent record."""
    resumed = 0
    with transaction.atomic():
        for found in _pausable(owner, link).filter(paused_at__isnull=False).select_for_update(of=("self",)):
            Link.objects.filter(pk=found.pk).update(paused_at=None)
            _record(found, owner=owner, action=GrantChange.Action.RESUMED, by=Side.OWNER)
            resumed += 1
    return resumed


# --- Grants --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantChoice:
    """What the person chose for one scope on the sharing form."""

    scope: str
    until: datetime | None
    visible_from: date | None
    options: dict[str, bool] = field(default_factory=dict)
    level: str = READ


def _details(grant: Grant) -> dict[str, object]:
    return {
        "until": grant.until.isoformat() if grant.until else None,
        "visible_from": grant.visible_from.isoformat() if grant.visible_from else None,
        "options": dict(grant.options),
        "level": grant.level,
    }


def _check_choice(link: Link, choice: GrantChoice) -> None:
    scope = BY_KEY.get(choice.scope)
    if scope is None:
        raise CircleError("unknown scope")
    if choice.level not in scope.levels:
        raise CircleError("this scope has no such level")
    if set(choice.options) - {o.key for o in scope.options}:
        raise CircleError("this scope has no such option")
    if not link.is_open or not link.is_accepted:
        raise CircleError(pgettext("circle", "This link is not active."))


def grant_scope(link: Link, *, choice: GrantChoice, by: User) -> Grant:
    """Share one scope on the link (or change how it is shared), as the person chose. Only the
    person grants; every change is kept with its time."""
    if by.pk != link.owner_id:
        raise CircleError("only the person shares their own data")
    _check_choice(link, choice)
    now = timezone.now()
    with transaction.atomic():
        live = (
            Grant.objects.select_for_update()
            .filter(link=link, scope=choice.scope, revoked_at__isnull=True)
            .first()
        )
        options = {key: True for key, on in choice.options.items() if on}
        if live is not None:
            if (live.until, live.visible_from, live.options, live.level) == (
                choice.until,
                choice.visible_from,
                options,
                choice.level,
            ):
                return live
            live.until, live.visible_from, live.options, live.level = (
                choice.until,
                choice.visible_from,
                options,
                choice.level,
            )
            live.save(update_fields=["until", "visible_from", "options", "level"])
            action = GrantChange.Action.CHANGED
            grant = live
        else:
            try:
                with transaction.atomic():
                    grant = Grant.objects.create(
                        link=link,
                        scope=choice.scope,
                        level=choice.level,
                        options=options,
                        visible_from=choice.visible_from,
                        until=choice.until,
                        granted_at=now,
                    )
            except IntegrityError:  # a double submit created it a moment ago
                return Grant.objects.get(link=link, scope=choice.scope, revoked_at__isnull=True)
            action = GrantChange.Action.GRANTED
        _record(
            link, owner=link.owner, action=action, scope=choice.scope, by=Side.OWNER, details=_details(grant)
        )
    return grant


def revoke_scope(link: Link, *, scope: str, by: User) -> bool:
    """Stop sharing one scope on the link: effective at the supporter's next request."""
    if by.pk != link.owner_id:
        raise CircleError("only the person stops sharing their own data")
    now = timezone.now()
    with transaction.atomic():
        if Grant.objects.filter(link=link, scope=scope, revoked_at__isnull=True).update(revoked_at=now) != 1:
            return False
        _record(link, owner=link.owner, action=GrantChange.Action.REVOKED, scope=scope, by=Side.OWNER)
    return True


def set_grants(link: Link, *, choices: list[GrantChoice], by: User) -> None:
    """The sharing form: the ticked scopes as chosen, every other live one revoked."""
    wanted = {c.scope for c in choices}
    with transaction.atomic():
        for scope in (
            Grant.objects.filter(link=link, revoked_at__isnull=True)
            .exclude(scope__in=wanted)
            .values_list("scope", flat=True)
        ):
            revoke_scope(link, scope=scope, by=by)
        for choice in choices:
            grant_scope(link, choice=choice, by=by)


def live_grants_of(link: Link, *, at: datetime | None = None) -> list[Grant]:
    now = at or timezone.now()
    return list(
        Grant.objects.filter(
            Q(until__isnull=True) | Q(until__gt=now), link=link, revoked_at__isnull=True
        ).order_by("scope")
    )


# --- Renewal -------------------------------------------------------------------------------------

RENEWAL_NOTICE = timedelta(days=7)  # the person is asked a week before a grant ends


def renew_grants(link: Link, *, by: User, days: int = DEFAULT_GRANT_DAYS) -> int:
    """The person renews what they share on the link: every live grant with an end date ends
    ``days`` later than it would have (those without one are left alone). Only the person renews;
    each grant renewed is a consent record. Returns how many."""
    if by.pk != link.owner_id:
        raise CircleError("only the person renews what they share")
    if not link.is_open or not link.is_accepted:
        raise CircleError(pgettext("circle", "This link is not active."))
    now = timezone.now()
    renewed = 0
    with transaction.atomic():
        for grant in (
            Grant.objects.select_for_update()
            .filter(link=link, revoked_at__isnull=True, until__gt=now)
            .order_by("scope")
        ):
            ends = cast(datetime, grant.until)  # filtered on: never None here
            grant.until = ends + timedelta(days=days)
            grant.save(update_fields=["until"])
            details = {**_details(grant), "renewed": True}
            _record(
                link, owner=link.owner, action=GrantChange.Action.CHANGED, scope=grant.scope, by=Side.OWNER,
                details=details,
            )  # fmt: skip
            renewed += 1
    return renewed


def ask_renewals(now: datetime | None = None) -> int:
    """Ask each person, a week before what they share with someone ends, whether to renew it: one
    notification per link (to the person, never the supporter), once per end date. Paused links
    are asked too: a pause does not stop the end date. Returns how many links are due (asked now
    or before: a second run notifies nobody twice)."""
    from entraide.notifications.services import notify

    at = now or timezone.now()
    ending: dict[uuid.UUID, Grant] = {}
    for grant in (
        Grant.objects.filter(
            revoked_at__isnull=True,
            until__gt=at,
            until__lte=at + RENEWAL_NOTICE,
            link__ended_at__isnull=True,
            link__owner_accepted_at__isnull=False,
            link__supporter_accepted_at__isnull=False,
            link__owner__is_active=True,
        )
        .select_related("link__owner", "link__supporter")
        .order_by("until")
    ):
        ending.setdefault(grant.link_id, grant)
    for grant in ending.values():
        link, owner = grant.link, grant.link.owner
        ends = cast(datetime, grant.until)  # filtered on: never None here
        with override(owner.preferred_language or settings.LANGUAGE_CODE):
            when = formats.date_format(ends.astimezone(_zone_of(owner)), "j F Y")
            notify(
                owner,
                "circle.renewal",
                title=pgettext("circle notification", "Renew what you share?"),
                body=pgettext(
                    "circle notification",
                    "What you share with %(pseudonym)s ends on %(date)s. You can renew it, change it, "
                    "or let it end.",
                )
                % {"pseudonym": link.supporter.pseudonym, "date": when},
                link=reverse("circle:link", kwargs={"link_id": link.pk}),
                dedupe_key=f"circle.renewal:{link.pk}:{ends.isoformat()}",
            )
    return len(ending)


# --- "Qui a vu quoi": the weekly summary -----------------------------------------------------------

SUMMARY_WEEK = timedelta(days=7)


def send_access_summaries(now: datetime | None = None) -> int:
    """The weekly summary of who saw what (kind ``circle.access_summary``, in the centre unless the
    person chose otherwise): for each person whose data was read during the past week, who read
    which scopes and how often. Once per person and week. Returns how many people were due."""
    from entraide.circle.models import AccessEvent
    from entraide.notifications.services import notify

    at = now or timezone.now()
    week: dict[uuid.UUID, dict[str, dict[str, int]]] = {}
    for owner_id, pseudonym, scope, count in AccessEvent.objects.filter(
        hour__gte=at - SUMMARY_WEEK, hour__lt=at
    ).values_list("owner_id", "viewer_pseudonym", "scope", "count"):
        by_scope = week.setdefault(owner_id, {}).setdefault(pseudonym, {})
        by_scope[scope] = by_scope.get(scope, 0) + count
    monday = (at - SUMMARY_WEEK).date().isoformat()
    for owner in User.objects.filter(pk__in=list(week), is_active=True):
        with override(owner.preferred_language or settings.LANGUAGE_CODE):
            lines = [
                pgettext("circle notification", "%(pseudonym)s: %(scopes)s.")
                % {
                    "pseudonym": pseudonym,
                    "scopes": ", ".join(
                        f"{BY_KEY[scope].label if scope in BY_KEY else scope} ({count})"
                        for scope, count in sorted(scopes.items())
                    ),
                }
                for pseudonym, scopes in sorted(week[owner.pk].items(), key=lambda item: item[0].lower())
            ]
            notify(
                owner,
                "circle.access_summary",
                title=pgettext("circle notification", "Who saw what this week"),
                body=" ".join(lines),
                link=reverse("circle:access-log"),
                dedupe_key=f"circle.access-summary:{owner.pk}:{monday}",
            )
    return len(week)


def _zone_of(person: User) -> ZoneInfo:
    try:
        return ZoneInfo(person.time_zone)
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def proposed_visible_from(today: date) -> date:
    return today - timedelta(days=LOOK_BACK_DAYS)


# --- Erasure -------------------------------------------------------------------------------------


def end_links_of_erased(person: User) -> None:
    """Before an account is erased: its links end (the other side's record keeps the pseudonym)."""
    for link in (
        Link.objects.open().filter(Q(owner=person) | Q(supporter=person)).select_related("owner", "supporter")
    ):
        end_link(link, by=None)
