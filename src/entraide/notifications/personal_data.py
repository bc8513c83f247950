"""A person's notifications and choices in their export; gone with their account."""

from __future__ import annotations

from entraide.accounts.models import User
from entraide.core.registries import (
    ErasureRegistration,
    ExportedPart,
    ExportRegistration,
    register_erasure,
    register_export,
)
from entraide.notifications.access import filter_notifications_of
from entraide.notifications.models import (
    DigestRun,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderFiring,
)


def export_notifications(person: User) -> ExportedPart:
    return ExportedPart(
        description="Your notifications: what the site told you, when, and whether you read it.",
        records=[
            {
                "id": str(n.pk),
                "kind": n.kind,
                "channel": n.channel,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "emailed_at": n.emailed_at,
                "digested_at": n.digested_at,
                "title": n.title,
                "body": n.body,
                "link": n.link,
            }
            for n in filter_notifications_of(person).order_by("created_at", "id")
        ],
        tabular=True,
    )


def export_preferences(person: User) -> ExportedPart:
    return ExportedPart(
        description="How you chose to receive each kind of notification (kinds not listed use their default).",
        records=[
            {"kind": p.kind, "channel": p.channel, "updated_at": p.updated_at}
            for p in NotificationPreference.objects.filter(user=person).order_by("kind")
        ],
        tabular=True,
    )


def export_digests(person: User) -> ExportedPart:
    return ExportedPart(
        description="The daily summary emails sent to you: for which day, when, listing how many notifications.",
        records=[
            {"local_date": d.local_date, "sent_at": d.sent_at, "notifications": d.notifications}
            for d in DigestRun.objects.filter(user=person).order_by("local_date")
        ],
        tabular=True,
    )


def export_reminders(person: User) -> ExportedPart:
    return ExportedPart(
        description="Your reminders: what, at what local time, on which days, and when each was sent.",
        records=[
            {
                "id": str(r.pk),
                "kind": r.kind,
                "local_time": r.local_time,
                "weekdays": r.weekdays,
                "enabled": r.enabled,
                "next_fire_at": r.next_fire_at,
                "skip_date": r.skip_date,
                "sent": [f.scheduled_for for f in r.firings.all()],
            }
            for r in Reminder.objects.filter(owner=person).prefetch_related("firings").order_by("created_at")
        ],
        tabular=False,
    )


def erase(person: User) -> None:
    # The foreign keys cascade too; written out so that the rule is visible here.
    filter_notifications_of(person).delete()
    NotificationPreference.objects.filter(user=person).delete()
    DigestRun.objects.filter(user=person).delete()
    Reminder.objects.filter(owner=person).delete()  # and their firings


def register() -> None:
    register_export(
        ExportRegistration(
            key="notifications.notifications", models=(Notification,), export=export_notifications, order=40
        )
    )
    register_export(
        ExportRegistration(
            key="notifications.preferences",
            models=(NotificationPreference,),
            export=export_preferences,
            order=41,
        )
    )
    register_export(
        ExportRegistration(key="notifications.digests", models=(DigestRun,), export=export_digests, order=42)
    )
    register_export(
        ExportRegistration(
            key="notifications.reminders",
            models=(Reminder, ReminderFiring),
            export=export_reminders,
            order=43,
        )
    )
    register_erasure(
        ErasureRegistration(
            key="notifications",
            models=(Notification, NotificationPreference, DigestRun, Reminder, ReminderFiring),
            erase=erase,
            order=40,
        )
    )
