"""Every URL declares who may reach it; a project test fails on any route that does not.

Audiences: ``public`` (anyone), ``login`` (any logged-in person), ``owner`` (a person's own data),
``gate`` (another person's data, through circle's consent gate), ``role`` (a capability such as
administration or moderation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

Audience = Literal["public", "login", "owner", "gate", "role"]
AUDIENCES: frozenset[str] = frozenset({"public", "login", "owner", "gate", "role"})
# Pages about a person: their <title> stays neutral (see core.context_processors).
PRIVATE_AUDIENCES: frozenset[str] = frozenset({"login", "owner", "gate"})

V = TypeVar("V", bound=Callable[..., object])

# Views we do not write (allauth, Django), by URL name.
THIRD_PARTY_AUDIENCES: dict[str, Audience] = {
    # allauth: entering, leaving and recovering an account
    "account_login": "public",
    "account_signup": "public",
    "account_inactive": "public",
    "account_confirm_email": "public",
    "account_email_verification_sent": "public",
    "account_reset_password": "public",
    "account_reset_password_done": "public",
    "account_reset_password_from_key": "public",
    "account_reset_password_from_key_done": "public",
    "mfa_authenticate": "public",  # the second step of a login in progress
    "mfa_trust": "public",
    "account_confirm_login_code": "public",
    "mfa_login_webauthn": "public",  # logging in with a passkey
    "account_logout": "login",
    # allauth: managing one's own account
    "account_email": "login",
    "account_change_password": "login",
    "account_set_password": "login",
    "account_reauthenticate": "login",
    "mfa_index": "login",
    "mfa_reauthenticate": "login",
    "mfa_activate_totp": "login",
    "mfa_deactivate_totp": "login",
    "mfa_view_recovery_codes": "login",
    "mfa_generate_recovery_codes": "login",
    "mfa_download_recovery_codes": "login",
    "mfa_list_webauthn": "login",
    "mfa_add_webauthn": "login",
    "mfa_reauthenticate_webauthn": "login",
    "mfa_remove_webauthn": "login",
    "mfa_edit_webauthn": "login",
    "usersessions_list": "login",
}


def audience(value: Audience) -> Callable[[V], V]:
    """Declare a view's audience (read by the route-classification test)."""
    if value not in AUDIENCES:
        raise ValueError(f"unknown audience {value!r}")

    def mark(view: V) -> V:
        view.audience = value  # type: ignore[attr-defined]  # a plain marker attribute
        return view

    return mark


def audience_of(view: Callable[..., object], url_name: str | None) -> str | None:
    declared = getattr(view, "audience", None)
    if declared is None and hasattr(view, "view_class"):
        declared = getattr(view.view_class, "audience", None)
    if declared is None and url_name:
        declared = THIRD_PARTY_AUDIENCES.get(url_name)
    return declared
