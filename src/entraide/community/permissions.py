"""Role checks for the community: each raises a translated PermissionDenied (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import pgettext


def check_manage_spaces_permission(user: Any) -> None:
    """Creating and editing spaces, and the list of a restricted space's members: administrators
    for now; moderators join them with the moderation tools (issue 21, step 2)."""
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise PermissionDenied(
            pgettext("permission", "Only the administrators of this instance can create and change spaces.")
        )
