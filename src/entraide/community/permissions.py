"""Role checks for the community: each raises a translated PermissionDenied (403)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.utils.translation import pgettext

from entraide.accounts.models import Role
from entraide.accounts.roles import mfa_required_roles
from entraide.accounts.services import active_roles
from entraide.core import instance

MODERATING_ROLES = frozenset({Role.MODERATOR.value, Role.ADMIN.value})


def check_manage_spaces_permission(user: Any) -> None:
    """Creating and editing spaces, and the list of a restricted space's members: administrators."""
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise PermissionDenied(
            pgettext("permission", "Only the administrators of this instance can create and change spaces.")
        )


def is_moderator(user: Any, *, roles: set[str] | None = None) -> bool:
    """Holds the moderator role (or administers the instance). ``roles``: the roles already
    known for this request (``accounts.roles.roles_of``), which spares a query."""
    if not (user.is_authenticated and user.is_active):
        return False
    held = active_roles(user) if roles is None else roles
    return bool(held & MODERATING_ROLES)


def check_moderate_permission(user: Any) -> None:
    """The moderation queue, its actions, the log and the canned replies: moderators and
    administrators, with a second factor when the instance asks one of their role (the
    middleware sends them to set it up first; this check holds outside a web request too)."""
    held = active_roles(user) if user.is_authenticated and user.is_active else set()
    if not held & MODERATING_ROLES:
        raise PermissionDenied(pgettext("permission", "This page is for the moderators of this instance."))
    if held & mfa_required_roles(instance.load_settings()) & MODERATING_ROLES and not is_mfa_enabled(user):
        raise PermissionDenied(
            pgettext("permission", "Protect your account with a second step at login before moderating.")
        )
