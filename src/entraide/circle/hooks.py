"""What the circle registers in core's registries, so that lower apps let it act without importing
it: sign-up for an invitee, a second factor and the 12-hour cap for a grantee, a notification
kind, the circle's section of the instance settings, and its two API areas."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import pgettext_lazy

from entraide.core.registries import (
    EMAIL,
    OFF,
    ApiArea,
    NotificationKind,
    OthersDataHolder,
    SettingsSection,
    SignupOpener,
    register_api_area,
    register_notification_kind,
    register_others_data_holder,
    register_settings_section,
    register_signup_opener,
)

INVITATION_SESSION_KEY = "_entraide_circle_invitation"


def held_invitation(request: HttpRequest) -> Any:
    """The usable circle invitation this visitor opened (its id kept in the session), if any."""
    from entraide.circle.services import usable_invitations

    session = getattr(request, "session", None)
    invitation_id = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not isinstance(invitation_id, str):
        return None
    try:
        return usable_invitations().select_related("owner").filter(pk=invitation_id).first()
    except Exception:  # a malformed id kept from elsewhere
        return None


def opens_signup(request: HttpRequest) -> bool:
    from entraide.circle.services import invitations_without_account_allowed

    invitation = held_invitation(request)
    return bool(
        invitation is not None and invitation.signed_up_at is None and invitations_without_account_allowed()
    )


def _holds(user: Any) -> bool:
    from entraide.circle.gate import holds_grants

    return holds_grants(user)


@receiver(user_signed_up, dispatch_uid="entraide_circle_invitation_signup")
def on_signed_up(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """An invitation opens one sign-up: the next holder of the same link must log in instead."""
    from entraide.circle.services import note_signup

    session = getattr(request, "session", None)
    invitation_id = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if isinstance(invitation_id, str):
        note_signup(invitation_id)


def register() -> None:
    from entraide.circle.forms import CircleSettingsForm

    register_signup_opener(SignupOpener(key="circle.invitation", opens=opens_signup))
    register_others_data_holder(OthersDataHolder(key="circle.grants", holds=_holds))
    register_notification_kind(
        NotificationKind(
            key="circle.link_ended",
            label=pgettext_lazy("notification kind", "Changes in my circle"),
            description=pgettext_lazy("notification kind", "When someone in your circle ends your link."),
            order=60,
        )
    )
    register_notification_kind(
        NotificationKind(
            key="circle.proposal",
            label=pgettext_lazy("notification kind", "Requests to join my circle"),
            description=pgettext_lazy(
                "notification kind",
                "When someone asks to join your circle (the email only says you have a notification).",
            ),
            default_channel=EMAIL,
            order=59,
        )
    )
    register_notification_kind(
        NotificationKind(
            key="circle.renewal",
            label=pgettext_lazy("notification kind", "Sharing about to end"),
            description=pgettext_lazy(
                "notification kind", "A week before what you share with someone ends: renew it or not."
            ),
            order=61,
        )
    )
    register_notification_kind(
        NotificationKind(
            key="circle.access_summary",
            label=pgettext_lazy("notification kind", "Who saw what, every week"),
            description=pgettext_lazy(
                "notification kind", "Once a week, who in your circle looked at what you share."
            ),
            order=62,
        )
    )
    register_notification_kind(
        NotificationKind(
            key="circle.access_notice",
            label=pgettext_lazy("notification kind", "Each look at what I share"),
            description=pgettext_lazy(
                "notification kind",
                "When someone in your circle opens what you share (once an hour for each thing).",
            ),
            default_channel=OFF,
            order=63,
        )
    )
    # The API: the person's own circle, and (only when ticked, read only) what others share.
    register_api_area(
        ApiArea(
            key="circle",
            label=pgettext_lazy("api area", "My circle"),
            description=pgettext_lazy(
                "api area", "Your invitations, links, what you share, the pause, and who saw what."
            ),
            order=80,
        )
    )
    register_api_area(
        ApiArea(
            key="circle_shared",
            label=pgettext_lazy("api area", "What others share with me"),
            description=pgettext_lazy(
                "api area",
                "Lets the program read what people in your circle share with you. Read only; each "
                "read appears in their “who saw what”.",
            ),
            order=90,
            others=True,
        )
    )
    register_settings_section(
        SettingsSection(
            key="circle",
            title=pgettext_lazy("instance settings", "Circle"),
            build_form=CircleSettingsForm.for_settings,
            order=40,
        )
    )
