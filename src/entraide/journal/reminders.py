"""The optional daily check-in reminder, on the notifications app's reminder primitive: sent at
the person's local time only if they have not checked in yet that local day."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from entraide.core import jobs
from entraide.core.localtime import local_date
from entraide.core.registries import EMAIL, NotificationKind, register_notification_kind
from entraide.notifications.reminders import ReminderKind, register_reminder_kind

NOTIFICATION_KIND = "journal.checkin_reminder"
REMINDER_KIND = "journal.checkin"
WEEKLY_NOTIFICATION_KIND = "journal.weekly_summary"
WEEKLY_REMINDER_KIND = "journal.weekly"
WEEKLY_AT = time(9, 0)  # on Mondays, in the person's zone


def last_week_link(reminder: Any) -> str:
    """The summary of the week that just ended, in the person's zone."""
    today = local_date(jobs.now(), ZoneInfo(reminder.owner.time_zone))
    monday = today - timedelta(days=today.weekday() + 7)
    return f"{reverse('journal:week')}?semaine={monday.isoformat()}"


def checked_in_on(person: Any, day: date) -> bool:
    from entraide.journal.models import Checkin

    return Checkin.objects.filter(owner_id=person.pk, local_date=day).exists()


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=NOTIFICATION_KIND,
            # The subject of its emails: gentle, and nothing about health.
            label=pgettext_lazy("notification kind", "Your daily reminder"),
            description=pgettext_lazy(
                "notification kind",
                "At the time you chose, only on days you have not filled in your check-in yet.",
            ),
            default_channel=EMAIL,
            order=50,
        )
    )
    register_reminder_kind(
        ReminderKind(
            key=REMINDER_KIND,
            notification_kind=NOTIFICATION_KIND,
            title=pgettext_lazy(
                "check-in reminder", "A moment for you? Your check-in is open when you wish."
            ),
            link=lambda reminder: reverse("journal:checkin-new"),
            already_done=checked_in_on,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=WEEKLY_NOTIFICATION_KIND,
            label=pgettext_lazy("notification kind", "Your week at a glance"),
            description=pgettext_lazy(
                "notification kind",
                "On Monday mornings, if you asked for it: a link to the summary of your week.",
            ),
            default_channel=EMAIL,
            order=51,
        )
    )
    register_reminder_kind(
        ReminderKind(
            key=WEEKLY_REMINDER_KIND,
            notification_kind=WEEKLY_NOTIFICATION_KIND,
            title=pgettext_lazy("weekly summary", "The summary of your week is ready."),
            link=last_week_link,
        )
    )
