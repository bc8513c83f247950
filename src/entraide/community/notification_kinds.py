"""What the community tells a member through the notification centre. Titles name no topic,
post or restricted space: a digest email lists them."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from entraide.core.registries import IN_APP, NotificationKind, register_notification_kind


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
    # In the site at once by default, never in a digest: a caring message read a day late is
    # worth less. Its title names nothing ("We are thinking of you").
    register_notification_kind(
        NotificationKind(
            key="community.concern",
            label=pgettext_lazy("notification kind", "A caring message from the moderation team"),
            description=pgettext_lazy(
                "notification kind",
                "A few kind words and the numbers to call when things are hard, at most once a day.",
            ),
            default_channel=IN_APP,
            order=71,
        )
    )
