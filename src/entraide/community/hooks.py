"""What the community adds to core's registries: its notification kinds and its API area."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from entraide.community import services
from entraide.core.registries import (
    DIGEST,
    IN_APP,
    ApiArea,
    NotificationKind,
    register_api_area,
    register_notification_kind,
)


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=services.KIND_REPLY,
            label=pgettext_lazy("notification kind", "Replies to me in the community"),
            description=pgettext_lazy(
                "notification kind", "When someone quotes your message, or replies in a topic you opened."
            ),
            default_channel=IN_APP,
            order=70,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=services.KIND_MENTION,
            label=pgettext_lazy("notification kind", "Mentions of my pseudonym"),
            description=pgettext_lazy(
                "notification kind", "When someone writes @ and your pseudonym in a message."
            ),
            default_channel=IN_APP,
            order=71,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=services.KIND_FOLLOWED,
            label=pgettext_lazy("notification kind", "Topics and spaces I follow"),
            description=pgettext_lazy(
                "notification kind",
                "A new message in a topic you follow, a new topic in a space you follow.",
            ),
            default_channel=DIGEST,
            order=72,
        )
    )
    register_api_area(
        ApiArea(
            key="community",
            label=pgettext_lazy("api area", "Community"),
            description=pgettext_lazy(
                "api area",
                "Read the spaces you may read, post and say “je te soutiens” under your pseudonym.",
            ),
            order=70,
        )
    )
