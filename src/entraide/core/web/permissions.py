"""Role checks: each raises a translated PermissionDenied (403), never a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import pgettext


def check_administer_instance_permission(user: Any) -> None:
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise PermissionDenied(
            pgettext("permission", "This page is for the administrators of this instance.")
        )
