"""Removing the second factor of someone who lost it together with their recovery codes.

The procedure (docs/second-factor-recovery.md): a coordinator and an administrator, two different
people, each check the person's identity outside the site, then confirm here. The one who asks
counts as the confirmation of their role. The removal takes effect 24 hours after the second
confirmation, so the real owner of the account, emailed at every step, has a day to object.
It is applied when the person next logs in (``AccountAdapter.pre_login``, before allauth's
second-factor stage) or by the periodic ``apply_second_factor_removals`` command, whichever
comes first; applying twice changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.accounts.models import Role, SecondFactorRemoval, SecurityEvent, User
from entraide.accounts.pseudonyms import canonical
from entraide.accounts.services import active_roles, record_security_event
from entraide.core import mail

logger = logging.getLogger(__name__)

REMOVAL_DELAY = timedelta(hours=24)
RECENT = timedelta(days=30)  # how long applied and cancelled removals stay listed
CONFIRMING_ROLES = frozenset({Role.COORDINATOR.value, Role.ADMIN.value})
CANCELLED_KIND = SecurityEvent.Kind.SECOND_FACTOR_REMOVAL_CANCELLED


class RemovalError(Exception):
    """A step that cannot be taken now; ``str(error)`` is a translated message for the actor."""


# --- Permission checks ---------------------------------------------------------------------------


def confirming_roles(user: Any) -> set[str]:
    """The roles (coordinator, admin) in which ``user`` may take part in a removal."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return active_roles(user) & CONFIRMING_ROLES


def check_manage_second_factor_removals_permission(user: Any) -> None:
    if not confirming_roles(user):
        raise PermissionDenied(
            pgettext("second factor removal", "This page is for the coordinators and administrators.")
        )


# --- Reads ---------------------------------------------------------------------------------------


def find_person(*, query: str) -> User | None:
    """The one person with this exact email address, or this pseudonym (ignoring case and accents)."""
    query = query.strip()
    if "@" in query:
        return User.objects.filter(email__iexact=query).first()
    key = canonical(query)
    return User.objects.filter(pseudonym_key=key).first() if key else None


def _pending() -> Q:
    return Q(applied_at__isnull=True, cancelled_at__isnull=True)


def pending_removals() -> QuerySet[SecondFactorRemoval]:
    return (
        SecondFactorRemoval.objects.filter(_pending())
        .select_related("user", "requested_by", "coordinator", "admin")
        .order_by("requested_at")
    )


def recent_removals(*, now: datetime | None = None) -> QuerySet[SecondFactorRemoval]:
    since = (now or timezone.now()) - RECENT
    return (
        SecondFactorRemoval.objects.filter(Q(applied_at__gte=since) | Q(cancelled_at__gte=since))
        .select_related("user", "requested_by", "coordinator", "admin")
        .order_by("-requested_at")[:50]
    )


def due_second_factor_removals(
    now: datetime | None = None, *, user: User | None = None
) -> QuerySet[SecondFactorRemoval]:
    due = SecondFactorRemoval.objects.filter(_pending(), effective_at__lte=now or timezone.now())
    return due.filter(user=user) if user is not None else due


def missing_role(removal: SecondFactorRemoval) -> str | None:
    """The role whose confirmation is still awaited (None once both confirmed)."""
    if removal.coordinator_confirmed_at is None:
        return Role.COORDINATOR.value
    if removal.admin_confirmed_at is None:
        return Role.ADMIN.value
    return None


def can_confirm(removal: SecondFactorRemoval, user: User, *, roles: set[str]) -> bool:
    """Whether ``user``, holding ``roles`` (``confirming_roles(user)``), may give the confirmation
    still awaited: for showing the button; the service checks again."""
    role = missing_role(removal)
    return (
        role is not None
        and removal.applied_at is None
        and removal.cancelled_at is None
        and user.pk not in {removal.user_id, removal.coordinator_id, removal.admin_id}
        and role in roles
    )


# --- Writes --------------------------------------------------------------------------------------


def request_second_factor_removal(
    person: User,
    *,
    by: User,
    identity_check_note: str,
    as_role: str | None = None,
    now: datetime | None = None,
) -> SecondFactorRemoval:
    """Ask for the removal; ``by`` counts as the confirmation of ``as_role`` (needed only when
    ``by`` is both coordinator and administrator). Emails the person."""
    check_manage_second_factor_removals_permission(by)
    role = _role_of_requester(by, as_role)
    note = " ".join(identity_check_note.split())
    if not note:
        raise RemovalError(pgettext("second factor removal", "Say how you checked this person's identity."))
    if person.pk == by.pk:
        raise RemovalError(
            pgettext(
                "second factor removal",
                "You cannot ask for the removal of your own second factor: ask two other members of the team.",
            )
        )
    now = now or timezone.now()
    with transaction.atomic():
        # One request at a time per person, even when two people submit at once.
        User.objects.select_for_update().filter(pk=person.pk).first()
        if not Authenticator.objects.filter(user_id=person.pk).exists():
            raise RemovalError(
                pgettext("second factor removal", "This person has no second factor to remove.")
            )
        if SecondFactorRemoval.objects.filter(_pending(), user=person).exists():
            raise RemovalError(
                pgettext(
                    "second factor removal",
                    "A removal is already under way for this person: confirm or cancel it below.",
                )
            )
        removal = SecondFactorRemoval(
            user=person, requested_by=by, requested_at=now, identity_check_note=note
        )
        _fill(removal, role=role, by=by, at=now)
        removal.save()
        record_security_event(
            person,
            SecurityEvent.Kind.SECOND_FACTOR_REMOVAL_REQUESTED,
            actor=by,
            removal=removal.pk,
            role=role,
        )
        # Inside the transaction: without the warning to the person, the step must not happen
        # (#5 turns this into a job enqueued with the row).
        _email(removal, "requested")
    return removal


def confirm_second_factor_removal(
    removal: SecondFactorRemoval, *, by: User, now: datetime | None = None
) -> SecondFactorRemoval:
    """The second confirmation, by someone else holding the other role; starts the 24 hours."""
    check_manage_second_factor_removals_permission(by)
    now = now or timezone.now()
    with transaction.atomic():
        removal = SecondFactorRemoval.objects.select_for_update().select_related("user").get(pk=removal.pk)
        role = missing_role(removal)
        if role is None or removal.applied_at or removal.cancelled_at:
            raise RemovalError(
                pgettext("second factor removal", "This removal is no longer waiting for a confirmation.")
            )
        if by.pk == removal.user_id:
            raise RemovalError(
                pgettext("second factor removal", "You cannot confirm the removal of your own second factor.")
            )
        if by.pk in {removal.coordinator_id, removal.admin_id}:
            raise RemovalError(
                pgettext(
                    "second factor removal",
                    "You already confirmed this removal: the other confirmation must come from someone else.",
                )
            )
        if role not in confirming_roles(by):
            raise RemovalError(
                pgettext("second factor removal", "The confirmation still awaited must come from a %(role)s.")
                % {"role": Role(role).label.lower()}
            )
        _fill(removal, role=role, by=by, at=now)
        removal.effective_at = now + REMOVAL_DELAY
        removal.save()
        record_security_event(
            removal.user,
            SecurityEvent.Kind.SECOND_FACTOR_REMOVAL_CONFIRMED,
            actor=by,
            removal=removal.pk,
            role=role,
            effective_at=removal.effective_at.isoformat(),
        )
        _email(removal, "confirmed")
    return removal


def cancel_second_factor_removal(
    removal: SecondFactorRemoval, *, by: User, now: datetime | None = None
) -> SecondFactorRemoval:
    """Stop a removal that has not taken effect; anyone of the two roles may."""
    check_manage_second_factor_removals_permission(by)
    now = now or timezone.now()
    with transaction.atomic():
        removal = SecondFactorRemoval.objects.select_for_update().select_related("user").get(pk=removal.pk)
        if removal.applied_at or removal.cancelled_at:
            raise RemovalError(
                pgettext("second factor removal", "This removal has already been applied or cancelled.")
            )
        removal.cancelled_at = now
        removal.save(update_fields=["cancelled_at"])
        record_security_event(removal.user, CANCELLED_KIND, actor=by, removal=removal.pk)
        _email(removal, "cancelled")
    return removal


def apply_due_second_factor_removals(
    now: datetime | None = None, *, user: User | None = None
) -> list[SecondFactorRemoval]:
    """Remove the authenticators (TOTP, recovery codes) of every removal due at ``now`` (of
    ``user`` only, when given). Idempotent and safe to run from several processes: each removal
    is claimed by a conditional update before anything is deleted."""
    now = now or timezone.now()
    applied = []
    for removal in due_second_factor_removals(now, user=user).select_related("user", "coordinator", "admin"):
        with transaction.atomic():
            claimed = SecondFactorRemoval.objects.filter(
                _pending(), pk=removal.pk, effective_at__lte=now
            ).update(applied_at=now)
            if not claimed:
                continue  # applied or cancelled meanwhile
            Authenticator.objects.filter(user_id=removal.user_id).delete()
            last = _last_confirmer(removal)
            record_security_event(
                removal.user, SecurityEvent.Kind.SECOND_FACTOR_REMOVED, actor=last, removal=removal.pk
            )
        removal.applied_at = now
        applied.append(removal)
        # After the commit, and never raising: the person was told twice already, and this may
        # run inside their login, which an unreachable mail server must not break.
        try:
            _email(removal, "applied")
        except Exception:
            logger.exception("could not send the notice of applied second-factor removal %s", removal.pk)
    return applied


# --- Helpers -------------------------------------------------------------------------------------


def _role_of_requester(by: User, as_role: str | None) -> str:
    held = confirming_roles(by)
    if as_role:
        if as_role not in held:
            raise RemovalError(pgettext("second factor removal", "You do not hold this role."))
        return as_role
    if len(held) > 1:
        raise RemovalError(
            pgettext("second factor removal", "Choose the role in which you confirm this removal.")
        )
    return next(iter(held))


def _fill(removal: SecondFactorRemoval, *, role: str, by: User, at: datetime) -> None:
    if role == Role.COORDINATOR:
        removal.coordinator, removal.coordinator_confirmed_at = by, at
    else:
        removal.admin, removal.admin_confirmed_at = by, at


def _last_confirmer(removal: SecondFactorRemoval) -> User | None:
    if removal.coordinator_confirmed_at and removal.admin_confirmed_at:
        if removal.coordinator_confirmed_at > removal.admin_confirmed_at:
            return removal.coordinator
        return removal.admin
    return None


def _email(removal: SecondFactorRemoval, step: str) -> None:
    person = removal.user
    mail.send_mail(
        to=person.email,
        template_prefix=f"accounts/email/second_factor_removal_{step}",
        context={
            "person": person,
            "time_zone": person.time_zone,
            "effective_at": removal.effective_at,
            "applied_at": removal.applied_at,
        },
        language=person.preferred_language,
    )
