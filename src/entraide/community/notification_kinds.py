"""What the community tells a member through the notification centre. Titles name no topic,
post or restricted space: a digest email lists them."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from entraide.core.registries import NotificationKind, register_notification_kind


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key="community.moderation",
            label=pgettext_lazy("notification kind", "Moderation of my messages"),
            description=pgettext_lazy(
                "notification kind",
                "When the moderation team approves, hides, edits or moves one of your messages, or "
                "writes to you about them: what was done and why.",
            ),
            order=70,
        )
    )
