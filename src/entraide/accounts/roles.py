"""Roles are capabilities an administrator grants; some require a second factor."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest

from entraide.accounts.models import Role, User
from entraide.accounts.services import active_roles, roles_version
from entraide.core import instance
from entraide.core.models import InstanceSettings
from entraide.core.registries import others_data_holders

DEFAULT_MFA_ROLES = (Role.PEER_HELPER, Role.PROFESSIONAL, Role.MODERATOR, Role.COORDINATOR, Role.ADMIN)


def mfa_required_roles(row: InstanceSettings) -> set[str]:
    extra = row.extra.get("accounts", {})
    return set(extra.get("mfa_required_roles", [str(r) for r in DEFAULT_MFA_ROLES]))


ROLES_SESSION_KEY = "_entraide_roles"


def roles_of(request: HttpRequest) -> set[str]:
    """The visitor's roles, remembered in the session until any grant or revocation anywhere
    (a version in the instance settings, which every request loads anyway): revocation still
    takes effect at the next request, and most requests make no roles query."""
    row = instance.settings_for(request)
    version = roles_version(row)
    cached = request.session.get(ROLES_SESSION_KEY)
    if cached and cached[0] == version and cached[1] == str(request.user.pk):
        return set(cached[2])
    held = active_roles(request.user)
    request.session[ROLES_SESSION_KEY] = [version, str(request.user.pk), sorted(held)]
    return held


def requires_second_factor(request: HttpRequest) -> bool:
    held = roles_of(request)
    return bool(held and held & mfa_required_roles(instance.settings_for(request)))


def holds_others_data(user: object) -> bool:
    """Whether ``user`` reads someone else's data through another app (the circle's grants,
    registered in ``core.registries.others_data_holders``): a second factor and the 12-hour
    session cap apply, as for a role."""
    return any(holder.holds(user) for holder in others_data_holders.ordered())


def must_enrol_second_factor(user: User, row: InstanceSettings) -> bool:
    """A role that requires a second factor, and none set up: outside a request (the API, whose
    tokens carry no session to remember roles in), or a grant on someone else's data. A query or
    two, and one more for the circle's grants."""
    held = active_roles(user)
    required = bool(held & mfa_required_roles(row)) or holds_others_data(user)
    return required and not is_mfa_enabled(user)
