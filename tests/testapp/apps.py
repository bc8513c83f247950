from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A small personal app, installed only in tests, to prove the envelope and the registries."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from entraide.core.registries import (
            ErasureRegistration,
            ExportedPart,
            ExportRegistration,
            register_erasure,
            register_export,
        )
        from tests.testapp.models import CheckedDay, Note

        def export(person):
            return ExportedPart(
                records=[
                    {"id": str(n.pk), "created_at": n.created_at, **n.payload}
                    for n in Note.objects.filter(owner=person)
                ],
                tabular=True,
            )

        register_export(ExportRegistration(key="testapp.notes", models=(Note,), export=export))
        register_erasure(
            ErasureRegistration(
                key="testapp.checked_days",
                models=(CheckedDay,),
                erase=lambda p: CheckedDay.objects.filter(owner=p).delete(),
            )
        )
        register_erasure(
            ErasureRegistration(
                key="testapp.notes", models=(Note,), erase=lambda p: Note.objects.filter(owner=p).delete()
            )
        )

        # Notification kinds for the notifications tests (production registers none yet).
        from entraide.core.registries import NotificationKind, register_notification_kind

        register_notification_kind(
            NotificationKind(
                key="testapp.reply",
                label="A reply in the tests",
                description="Someone answered you (a kind for the tests).",
                default_channel="email",
            )
        )
        register_notification_kind(
            NotificationKind(
                key="testapp.news",
                label="News in the tests",
                description="Something new in a space you follow (a kind for the tests).",
                default_channel="digest",
            )
        )
        register_notification_kind(
            NotificationKind(
                key="testapp.reminder",
                label="A reminder in the tests",
                description="A reminder at the time you chose (a kind for the tests).",
                default_channel="email",
            )
        )
        from entraide.notifications.reminders import ReminderKind, register_reminder_kind

        register_reminder_kind(
            ReminderKind(
                key="testapp.checkin",
                notification_kind="testapp.reminder",
                title="Time for your check-in",
                link=lambda reminder: "/",
                already_done=lambda person, day: CheckedDay.objects.filter(owner=person, day=day).exists(),
            )
        )
        register_notification_kind(
            NotificationKind(
                key="testapp.security",
                label="A security notice in the tests",
                description="Something changed in your account's security (a kind for the tests).",
                default_channel="email",
                security=True,
                order=10,
            )
        )
