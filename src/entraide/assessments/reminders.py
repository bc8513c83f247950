"""The questionnaire reminder, on the notifications app's reminder primitive: at the person's local
time, only on a day a questionnaire they chose becomes due (and once more a week later if it is
still not answered). Its title, email and preview never name the questionnaire."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from entraide.assessments.services import REMINDER_KIND, reminder_due_on
from entraide.core.registries import EMAIL, NotificationKind, register_notification_kind
from entraide.notifications.reminders import ReminderKind, register_reminder_kind

NOTIFICATION_KIND = "assessments.due"


def nothing_due(person: Any, day: date) -> bool:
    return not reminder_due_on(person, day)


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=NOTIFICATION_KIND,
            # The subject of its emails: gentle, and nothing about health.
            label=pgettext_lazy("notification kind", "A reminder you asked for"),
            description=pgettext_lazy(
                "notification kind",
                "At the time you chose, on the days one of your questionnaires comes back, if you asked for it.",
            ),
            default_channel=EMAIL,
            order=52,
        )
    )
    register_reminder_kind(
        ReminderKind(
            key=REMINDER_KIND,
            notification_kind=NOTIFICATION_KIND,
            title=pgettext_lazy(
                "questionnaire reminder", "A moment for you? Something you chose is ready when you wish."
            ),
            link=lambda reminder: reverse("assessments:questionnaires"),
            already_done=nothing_due,
        )
    )
