"""Roles are capabilities an administrator grants; some require a second factor."""

from __future__ import annotations

from typing import Any

from entraide.accounts.models import Role
from entraide.accounts.services import active_roles
from entraide.core.models import InstanceSettings

DEFAULT_MFA_ROLES = (Role.PEER_HELPER, Role.PROFESSIONAL, Role.MODERATOR, Role.COORDINATOR, Role.ADMIN)


def mfa_required_roles(row: InstanceSettings) -> set[str]:
    extra = row.extra.get("accounts", {})
    return set(extra.get("mfa_required_roles", [str(r) for r in DEFAULT_MFA_ROLES]))


def requires_second_factor(user: Any, row: InstanceSettings) -> bool:
    held = active_roles(user)
    return bool(held and held & mfa_required_roles(row))
