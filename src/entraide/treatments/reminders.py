"""Dose and renewal reminders, on the notifications app's reminder primitive.

A fixed schedule (daily, weekdays, cycle) has one reminder per local time, as a cycle starting on
the schedule's first day (a daily schedule is "1 day on, 0 off"), so no reminder fires before it.
An on-demand start has one one-off reminder per dose of its pattern still to come. A treatment
with a prescription end date has one one-off reminder, ``renewal_days`` before it at 09:00 local.

What leaves the site is discreet: the kinds' labels (the email subjects) and the titles say
nothing of the treatment; the link opens a page (login needed) where the person sees and notes it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from entraide.core import jobs
from entraide.core.localtime import occurrence
from entraide.core.registries import EMAIL, NotificationKind, register_notification_kind
from entraide.notifications.models import Reminder
from entraide.notifications.reminders import ReminderKind, register_reminder_kind
from entraide.treatments import values as v
from entraide.treatments.models import OnDemandStart, Schedule, ScheduleKind, Treatment

DOSE_NOTIFICATION_KIND = "treatments.dose_reminder"
DOSE_REMINDER_KIND = "treatments.dose"
RENEWAL_NOTIFICATION_KIND = "treatments.renewal_reminder"
RENEWAL_REMINDER_KIND = "treatments.renewal"
RENEWAL_AT = time(9, 0)  # local time of the renewal reminder


def _schedule_of(reminder: Any) -> Schedule | None:
    return (
        Schedule.objects.select_related("treatment", "owner")
        .filter(pk=reminder.target, owner_id=reminder.owner_id)
        .first()
    )


def dose_due(reminder: Any, fired_for: datetime) -> tuple[Schedule, datetime] | None:
    """The schedule and the dose a firing is about (the dose before a snoozed firing)."""
    from entraide.treatments.services import dose_at_or_before

    schedule = _schedule_of(reminder)
    if schedule is None:
        return None
    if reminder.once_at is not None:
        return schedule, reminder.once_at
    due = dose_at_or_before(schedule, fired_for)
    return (schedule, due) if due is not None else None


def dose_url(schedule_id: Any, due_at: datetime) -> str:
    return reverse("treatments:dose", kwargs={"schedule_id": schedule_id, "dose_at": v.stamp(due_at)})


def dose_link(reminder: Any) -> str:
    found = dose_due(reminder, reminder.next_fire_at or jobs.now())
    return dose_url(found[0].pk, found[1]) if found else reverse("treatments:today")


def dose_done(reminder: Any, fired_for: datetime) -> bool:
    """No reminder for a dose already noted, nor for a stopped or deleted treatment."""
    from entraide.treatments.services import dose_noted

    found = dose_due(reminder, fired_for)
    if found is None or not found[0].treatment.active:
        return True
    return dose_noted(found[0].pk, found[1])


def dose_email_links(reminder: Any, fired_for: datetime) -> list[tuple[Any, str]]:
    found = dose_due(reminder, fired_for)
    if found is None:
        return []
    return [
        (pgettext_lazy("dose reminder email", "Note it"), settings.SITE_URL + dose_url(found[0].pk, found[1]))
    ]


def renewal_link(reminder: Any) -> str:
    return reverse("treatments:treatment", kwargs={"treatment_id": reminder.target})


def renewal_done(reminder: Any, fired_for: datetime) -> bool:
    return not Treatment.objects.filter(pk=reminder.target, owner_id=reminder.owner_id, active=True).exists()


# --- Keeping reminders in step with the schedules ------------------------------------------------


def sync_schedule(schedule: Schedule) -> None:
    """Replace a fixed schedule's reminders (times, days or cycle changed, treatment stopped)."""
    Reminder.objects.filter(
        owner_id=schedule.owner_id, kind=DOSE_REMINDER_KIND, target=str(schedule.pk), once_at__isnull=True
    ).delete()
    if not schedule.treatment.active:
        Reminder.objects.filter(
            owner_id=schedule.owner_id, kind=DOSE_REMINDER_KIND, target=str(schedule.pk)
        ).update(enabled=False, next_fire_at=None)
        return
    if schedule.kind == ScheduleKind.ON_DEMAND:
        return
    if schedule.kind == ScheduleKind.CYCLE:
        cycle = (schedule.starts_on, schedule.cycle_on or 1, schedule.cycle_off or 0)
    else:
        cycle = (schedule.starts_on, 1, 0)  # every day from its first day
    weekdays = frozenset(schedule.weekdays) if schedule.kind == ScheduleKind.WEEKDAYS else None
    from entraide.notifications import reminders

    for at in schedule.local_times:
        reminders.create_reminder(
            schedule.owner, DOSE_REMINDER_KIND, at=at, weekdays=weekdays, cycle=cycle, target=str(schedule.pk)
        )


def sync_start(schedule: Schedule, start: OnDemandStart) -> None:
    """One one-off reminder per dose of the pattern still to come after this start."""
    from entraide.notifications import reminders

    now = jobs.now()
    # One-off reminders already fired are kept no longer than needed.
    Reminder.objects.filter(
        owner_id=schedule.owner_id,
        kind=DOSE_REMINDER_KIND,
        target=str(schedule.pk),
        once_at__lt=now - timedelta(days=2),
    ).delete()
    if not schedule.treatment.active:
        return
    for dose in schedule.pattern:
        instant = start.started_at + timedelta(minutes=int(dose["offset_minutes"]))
        if instant > now:
            reminders.create_reminder(
                schedule.owner, DOSE_REMINDER_KIND, once_at=instant, target=str(schedule.pk)
            )


def forget_start(start: OnDemandStart) -> None:
    instants = [
        start.started_at + timedelta(minutes=int(d["offset_minutes"])) for d in start.schedule.pattern
    ]
    Reminder.objects.filter(
        owner_id=start.owner_id, kind=DOSE_REMINDER_KIND, target=str(start.schedule_id), once_at__in=instants
    ).delete()


def forget_schedule(schedule: Schedule) -> None:
    Reminder.objects.filter(
        owner_id=schedule.owner_id, kind=DOSE_REMINDER_KIND, target=str(schedule.pk)
    ).delete()


def forget(treatment: Treatment) -> None:
    targets = [str(pk) for pk in treatment.schedules.values_list("pk", flat=True)]
    Reminder.objects.filter(owner_id=treatment.owner_id, kind=DOSE_REMINDER_KIND, target__in=targets).delete()
    Reminder.objects.filter(
        owner_id=treatment.owner_id, kind=RENEWAL_REMINDER_KIND, target=str(treatment.pk)
    ).delete()


def sync_renewal(treatment: Treatment) -> None:
    """The renewal reminder: ``renewal_days`` before the prescription end, at 09:00 local."""
    from entraide.notifications import reminders
    from entraide.treatments.services import zone_of

    Reminder.objects.filter(
        owner_id=treatment.owner_id, kind=RENEWAL_REMINDER_KIND, target=str(treatment.pk)
    ).delete()
    end = treatment.prescription_end
    if end is None or not treatment.active:
        return
    instant = occurrence(end - timedelta(days=treatment.renewal_days), RENEWAL_AT, zone_of(treatment.owner))
    if instant > jobs.now():
        reminders.create_reminder(
            treatment.owner, RENEWAL_REMINDER_KIND, once_at=instant, target=str(treatment.pk)
        )


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=DOSE_NOTIFICATION_KIND,
            # The subject of its emails: discreet, it names nothing.
            label=pgettext_lazy("notification kind", "A reminder you asked for"),
            description=pgettext_lazy(
                "notification kind", "At the times you set in your treatments, unless already noted."
            ),
            default_channel=EMAIL,
            order=60,
        )
    )
    register_reminder_kind(
        ReminderKind(
            key=DOSE_REMINDER_KIND,
            notification_kind=DOSE_NOTIFICATION_KIND,
            title=pgettext_lazy("dose reminder", "It is the time you chose. Open to see and note it."),
            link=dose_link,
            done_for=dose_done,
            email_links=dose_email_links,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=RENEWAL_NOTIFICATION_KIND,
            label=pgettext_lazy("notification kind", "A date you noted is coming"),
            description=pgettext_lazy(
                "notification kind", "Some days before a prescription ends, to think of renewing it."
            ),
            default_channel=EMAIL,
            order=61,
        )
    )
    register_reminder_kind(
        ReminderKind(
            key=RENEWAL_REMINDER_KIND,
            notification_kind=RENEWAL_NOTIFICATION_KIND,
            title=pgettext_lazy("renewal reminder", "A date you noted is coming. Open to see it."),
            link=renewal_link,
            done_for=renewal_done,
        )
    )
