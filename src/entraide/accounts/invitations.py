"""Roles an administrator grants, and invitations to sign up: permission checks and services.

Roles are capabilities, not account types: one person may hold several. Every grant and
revocation goes through ``services.grant_role`` / ``services.revoke_role`` (they write the
security events); this module adds the rules around them.

An invitation's token is shown or sent once and never stored: the database keeps its sha256 only.
Opening the link keeps the invitation's id in the session, which opens allauth's sign-up for that
visitor even when the instance is "by invitation" (``AccountAdapter.is_open_for_signup``); the
``user_signed_up`` receiver below marks it used with a conditional UPDATE, so one invitation
creates one account at most, however many browsers race with it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.signals import user_signed_up
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.accounts import services
from entraide.accounts.models import Invitation, Role, RoleGrant, SecurityEvent, User
from entraide.accounts.pseudonyms import canonical
from entraide.core import instance, mail
from entraide.core.models import SignupMode

INVITATION_SESSION_KEY = "_entraide_invitation"

# We have no birth dates: whoever grants these roles ticks that they checked the person is an adult.
ADULT_ROLES = frozenset({Role.PEER_HELPER, Role.PROFESSIONAL})
# Only administrators hand out the roles that administer people.
ADMIN_ONLY_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
# A professional's profession and how it was checked are written when the role is granted on the
# person's page; an invitation has nowhere to keep them, so it cannot pre-assign that role.
NOT_BY_INVITATION = frozenset({Role.PROFESSIONAL})

PROFESSION_MAX_LENGTH = 80
VERIFICATION_NOTE_MAX_LENGTH = 200
DEFAULT_INVITATION_DAYS = 14
MAX_INVITATION_DAYS = 30


class Status:
    PENDING = "pending"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


# --- Who may do what ----------------------------------------------------------------------------


def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and Role.ADMIN in services.active_roles(user))


def check_manage_people_permission(user: Any) -> None:
    if not is_administrator(user):
        raise PermissionDenied(
            pgettext("permission", "Only the administrators of this instance can manage people's roles.")
        )


def invitation_roles_for(user: Any) -> list[str]:
    """The roles ``user`` may pre-assign in an invitation, in the order of ``Role``."""
    held = services.active_roles(user) if user.is_authenticated and user.is_active else set()
    if Role.ADMIN in held:
        allowed = {r.value for r in Role} - NOT_BY_INVITATION
    elif Role.COORDINATOR in held:
        allowed = {r.value for r in Role} - NOT_BY_INVITATION - ADMIN_ONLY_ROLES
    else:
        return []
    return [r.value for r in Role if r.value in allowed]


def check_invite_permission(user: Any) -> None:
    held = services.active_roles(user) if user.is_authenticated and user.is_active else set()
    if not held & {Role.ADMIN, Role.COORDINATOR}:
        raise PermissionDenied(
            pgettext("permission", "Only administrators and coordinators can invite people.")
        )


def check_revoke_invitation_permission(user: Any, invitation: Invitation) -> None:
    check_invite_permission(user)
    if invitation.role and invitation.role not in invitation_roles_for(user):
        raise PermissionDenied(
            pgettext("permission", "Only an administrator can cancel an invitation that gives this role.")
        )


# --- People and their roles ----------------------------------------------------------------------


class RoleRuleError(ValueError):
    """A grant that breaks a rule the form should have caught (adult check, profession)."""


class LastAdministratorError(Exception):
    """Revoking this would leave the instance without any administrator."""


def filter_people(*, query: str = "") -> QuerySet[User]:
    """Everyone, by pseudonym, with their active grants in one extra query (``active_grants``)."""
    people = (
        User.objects.only("id", "pseudonym", "pseudonym_key", "date_joined", "is_superuser", "is_active")
        .order_by(Lower("pseudonym"), "pk")
        .prefetch_related(
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.filter(revoked_at__isnull=True).order_by("role"),
                to_attr="active_grants",
            )
        )
    )
    query = query.strip()
    if query:
        match = Q(pseudonym__icontains=query)
        key = canonical(query)
        if key:  # "zoe" finds "Zoé" and "Z0E", as pseudonyms are compared at sign-up
            match |= Q(pseudonym_key__contains=key)
        people = people.filter(match)
    return people


def roles_of(person: User) -> list[str]:
    """Active roles of a person loaded by ``filter_people`` (no query)."""
    held = {grant.role for grant in getattr(person, "active_grants", [])}
    if person.is_superuser:
        held.add(Role.ADMIN)
    return [r.value for r in Role if r.value in held]


def get_person(person_id: object) -> User:
    """The person for the administration pages (404 when unknown); their private fields stay
    deferred: an administrator never reads them."""
    return get_object_or_404(User.objects.defer("private", "password"), pk=person_id)


@dataclass(frozen=True)
class HistoryRow:
    grant: RoleGrant
    profession: str
    verification_note: str
    adult_checked: bool
    via_invitation: bool


def role_history_of(person: User) -> list[HistoryRow]:
    """Every grant of the person, newest first, with what was recorded when it was made."""
    grants = list(
        RoleGrant.objects.filter(user=person)
        .select_related("granted_by", "revoked_by")
        .order_by("-granted_at", "-pk")
    )
    details: dict[int, dict[str, Any]] = {}
    for extra in SecurityEvent.objects.filter(user=person, kind=SecurityEvent.Kind.ROLE_GRANTED).values_list(
        "extra", flat=True
    ):
        if isinstance(extra, dict) and isinstance(extra.get("grant"), int):
            details[extra["grant"]] = extra
    return [
        HistoryRow(
            grant=g,
            profession=str(details.get(g.pk, {}).get("profession", "")),
            verification_note=str(details.get(g.pk, {}).get("verification_note", "")),
            adult_checked=bool(details.get(g.pk, {}).get("adult_checked")),
            via_invitation=bool(details.get(g.pk, {}).get("invitation")),
        )
        for g in grants
    ]


def _grant_with_details(person: User, *, role: str, by: User, details: dict[str, Any]) -> RoleGrant:
    """``services.grant_role``, then the details written on the security event it just recorded."""
    with transaction.atomic():
        already = RoleGrant.objects.filter(user=person, role=role, revoked_at__isnull=True).exists()
        grant = services.grant_role(person, role=role, by=by)
        if not already:
            event = (
                SecurityEvent.objects.filter(user=person, kind=SecurityEvent.Kind.ROLE_GRANTED, actor=by)
                .order_by("-at", "-pk")
                .first()
            )
            if event is not None and event.extra.get("role") == role:
                event.extra = {**event.extra, "grant": grant.pk, **details}
                event.save(update_fields=["extra"])
    return grant


def grant_person_role(
    person: User,
    *,
    role: str,
    by: User,
    adult_checked: bool = False,
    profession: str = "",
    verification_note: str = "",
) -> RoleGrant:
    """Grant ``role``; peer helpers and professionals are adults, professionals say how their
    profession was checked (kept on the grant's security event, nothing else is stored)."""
    check_manage_people_permission(by)
    if role not in Role.values:
        raise RoleRuleError("unknown role")
    details: dict[str, Any] = {}
    if role in ADULT_ROLES:
        if not adult_checked:
            raise RoleRuleError("peer helpers and professionals must be checked to be adults")
        details["adult_checked"] = True
    if role == Role.PROFESSIONAL:
        profession, verification_note = profession.strip(), verification_note.strip()
        if not profession or not verification_note:
            raise RoleRuleError("a professional needs a profession and how it was checked")
        details["profession"] = profession[:PROFESSION_MAX_LENGTH]
        details["verification_note"] = verification_note[:VERIFICATION_NOTE_MAX_LENGTH]
    return _grant_with_details(person, role=role, by=by, details=details)


def other_administrators_exist(person: User) -> bool:
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=person.pk)
        .filter(Q(is_superuser=True) | Q(role_grants__role=Role.ADMIN, role_grants__revoked_at__isnull=True))
        .exists()
    )


def revoke_person_role(person: User, *, role: str, by: User) -> None:
    check_manage_people_permission(by)
    with transaction.atomic():
        if role == Role.ADMIN and not person.is_superuser:
            # Lock the active admin grants: two administrators removing themselves at the same
            # moment must not both succeed and leave nobody.
            list(RoleGrant.objects.select_for_update().filter(role=Role.ADMIN, revoked_at__isnull=True))
            if not other_administrators_exist(person):
                raise LastAdministratorError
        services.revoke_role(person, role=role, by=by)


# --- Invitations ---------------------------------------------------------------------------------


class InvitationUnavailableError(Exception):
    """The invitation is used, revoked or expired (or never existed)."""


class InvitationNotSentError(Exception):
    """The email could not be sent; the invitation was withdrawn."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation-accept", kwargs={"token": token})


def status_of(invitation: Invitation, *, now: datetime | None = None) -> str:
    if invitation.used_at is not None:
        return Status.USED
    if invitation.revoked_at is not None:
        return Status.REVOKED
    if invitation.expires_at <= (now or timezone.now()):
        return Status.EXPIRED
    return Status.PENDING


def _usable(now: datetime) -> Q:
    return Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def filter_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("created_by", "used_by").order_by("-created_at", "-pk")


def create_invitation(
    *,
    by: User,
    email: str = "",
    role: str = "",
    days: int = DEFAULT_INVITATION_DAYS,
    adult_checked: bool = False,
) -> tuple[Invitation, str]:
    """A new invitation and its token: the only time the token exists. With an email address, the
    link is sent there at once (in the instance's default language)."""
    check_invite_permission(by)
    if role and role not in invitation_roles_for(by):
        raise PermissionDenied(pgettext("permission", "You cannot give this role in an invitation."))
    if role in ADULT_ROLES and not adult_checked:
        raise RoleRuleError("peer helpers must be checked to be adults")
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise ValueError("an invitation lasts from 1 to 30 days")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        token_hash=hash_token(token),
        email=email.strip().lower(),
        role=role,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    if invitation.email:
        try:
            mail.send_mail(
                to=invitation.email,
                template_prefix="accounts/email/invitation",
                context={"link": invitation_link(token), "days": days},
                language=instance.load_settings().default_language,
            )
        except Exception as exc:
            invitation.delete()  # an invitation nobody received must not linger as "pending"
            raise InvitationNotSentError from exc
    return invitation, token


def revoke_invitation(invitation: Invitation, *, by: User) -> bool:
    """Cancel a pending invitation; False when it was already used or cancelled."""
    check_revoke_invitation_permission(by, invitation)
    updated = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return updated == 1


def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=hash_token(token)).first() if token else None


def remember_invitation(request: HttpRequest, invitation: Invitation) -> None:
    """The visitor holds a valid invitation: keep its id (never the token) for the sign-up."""
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    if invitation.email:
        # allauth pre-fills this address and counts it as verified when kept (the link proved it).
        get_adapter(request).stash_verified_email(request, invitation.email)


def pending_invitation(request: HttpRequest) -> Invitation | None:
    """The usable invitation this visitor opened, if any."""
    session = getattr(request, "session", None)
    invitation_id = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not isinstance(invitation_id, int):
        return None
    return Invitation.objects.filter(_usable(timezone.now()), pk=invitation_id).first()


def use_invitation(invitation_id: int, *, user: User) -> Invitation:
    """Mark the invitation used by ``user`` and grant its role (granted by the inviter).

    The conditional UPDATE is the lock: of two sign-ups racing with one invitation, one wins and
    the other gets ``InvitationUnavailableError``.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(_usable(now), pk=invitation_id).update(used_by=user, used_at=now)
        if claimed != 1:
            raise InvitationUnavailableError
        invitation = Invitation.objects.select_related("created_by").get(pk=invitation_id)
        inviter = invitation.created_by
        # The role comes from the inviter: it holds only if they may still give it.
        granted = bool(
            invitation.role and inviter is not None and invitation.role in invitation_roles_for(inviter)
        )
        if granted and inviter is not None:
            details: dict[str, Any] = {"invitation": invitation.pk}
            if invitation.role in ADULT_ROLES:
                details["adult_checked"] = True  # ticked by the inviter when inviting
            _grant_with_details(user, role=invitation.role, by=inviter, details=details)
        services.record_security_event(
            user,
            SecurityEvent.Kind.INVITATION_USED,
            actor=inviter,
            invitation=invitation.pk,
            role=invitation.role if granted else "",
        )
    return invitation


@receiver(user_signed_up, dispatch_uid="entraide_invitation_used")
def on_signed_up(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The sign-up of someone holding an invitation uses it; if it can no longer be used and the
    instance is by invitation only, the account just created is removed and the sign-up fails."""
    session = getattr(request, "session", None)
    if request is None or session is None or INVITATION_SESSION_KEY not in session:
        return
    invitation_id = session.pop(INVITATION_SESSION_KEY)
    try:
        use_invitation(int(invitation_id), user=user)
    except (InvitationUnavailableError, TypeError, ValueError):
        if instance.load_settings().signup_mode == SignupMode.OPEN:
            return  # anyone may sign up here: the account stays, without the invitation's role
        user.delete()
        raise ImmediateHttpResponse(
            render(
                request,
                "accounts/invitation_accept/index.html",
                {"state": Status.USED, "status": 410},
                status=410,
            )
        ) from None
