"""Local-time reminders, for later apps: "at this local time, on these days, in this person's time
zone, unless this condition already holds, send this notification".

An app registers a ``ReminderKind`` (its notification kind, its condition, the page its link opens)
and creates ``Reminder`` rows for people who ask for one. Each reminder stores its next firing as a
UTC instant; the periodic job ``fire_due_reminders`` (every minute) sends what is due and computes
the next one with ``core.localtime``: a local time that does not exist that day fires at the next
valid minute, an ambiguous one once, at its first occurrence. A firing is a unique row, so a job
run twice never notifies twice.

Besides "every day" and "these weekdays", a reminder may follow a cycle (``cycle_on`` days on then
``cycle_off`` days off, counted in local dates from ``cycle_start``) or fire once (``once_at``, an
instant). ``target`` names what the reminder is about for its kind's callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core import jobs
from entraide.core.localtime import local_date, next_occurrence, occurrence
from entraide.core.registries import Registry

# A reminder found more than this late (the worker was stopped) is skipped, not sent at 3 a.m.
GRACE = timedelta(hours=2)
SNOOZE = timedelta(hours=1)
TOKEN_SALT = "entraide.notifications.reminder-action"  # noqa: S105 — a signing salt, not a secret
TOKEN_MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class ReminderKind:
    key: str
    notification_kind: str  # the notification sent (its channel follows the person's preference)
    title: str | Promise  # the notification's title: gentle, never health details
    link: Callable[[Any], str]  # the page the notification opens, given the reminder
    # Whether the reminder is pointless that local day (e.g. already checked in): (person, day).
    already_done: Callable[[Any, date], bool] | None = None
    # Whether this firing is pointless: (reminder, the due instant), e.g. that dose already noted.
    done_for: Callable[[Any, datetime], bool] | None = None
    # Links added at the top of the email sent now: (reminder, due instant) -> [(label, URL)].
    # They must open pages that change nothing on GET.
    email_links: Callable[[Any, datetime], list[tuple[Any, str]]] | None = None
    order: int = 100


reminder_kinds: Registry[ReminderKind] = Registry("reminder kind")


def register_reminder_kind(kind: ReminderKind) -> None:
    reminder_kinds.register(kind)


# --- Scheduling ----------------------------------------------------------------------------------


def zone_of(reminder: Any) -> ZoneInfo:
    return ZoneInfo(reminder.owner.time_zone)


def on_cycle(reminder: Any, day: date) -> bool:
    """Whether local date ``day`` is an "on" day of the reminder's cycle (always, without one)."""
    if reminder.cycle_start is None or not reminder.cycle_on:
        return True
    elapsed = (day - reminder.cycle_start).days
    return bool(
        elapsed >= 0 and elapsed % (reminder.cycle_on + (reminder.cycle_off or 0)) < reminder.cycle_on
    )


def next_fire_after(reminder: Any, after: datetime) -> datetime | None:
    """The next firing strictly after ``after``; None for a one-off reminder already past."""
    if reminder.once_at is not None:
        return reminder.once_at if reminder.once_at > after else None
    zone = zone_of(reminder)
    weekdays = frozenset(reminder.weekdays) if reminder.weekdays else None
    if reminder.cycle_start is not None and local_date(after, zone) < reminder.cycle_start:
        # Nothing before the cycle's first day, however far ahead: start from its midnight.
        after = occurrence(reminder.cycle_start, time(0, 0), zone) - timedelta(microseconds=1)
    instant = next_occurrence(after, reminder.local_time, zone, weekdays, skip=reminder.skip_date)
    # A cycle's "off" days are skipped one by one: a cycle is at most a year long, so this ends.
    for _ in range(800):
        if on_cycle(reminder, local_date(instant, zone)):
            return instant
        instant = next_occurrence(instant, reminder.local_time, zone, weekdays, skip=reminder.skip_date)
    raise RuntimeError("no day of this cycle matches its weekdays")


def schedule(reminder: Any, *, after: datetime | None = None) -> None:
    """Set the reminder's next firing (after a change of time, days, zone or "not today")."""
    reminder.next_fire_at = next_fire_after(reminder, after or jobs.now()) if reminder.enabled else None


def create_reminder(
    owner: Any,
    kind_key: str,
    *,
    at: time | None = None,
    weekdays: frozenset[int] | None = None,
    cycle: tuple[date, int, int] | None = None,
    once_at: datetime | None = None,
    target: str = "",
) -> Any:
    """A reminder at local time ``at`` (every day, on ``weekdays``, on the "on" days of ``cycle`` =
    (first local date, days on, days off)), or once at the aware instant ``once_at``."""
    from entraide.notifications.models import Reminder

    if reminder_kinds.get(kind_key) is None:
        raise ValueError(f"unknown reminder kind {kind_key!r}")
    if (at is None) == (once_at is None):
        raise ValueError("give either a local time or a one-off instant")
    if once_at is not None and once_at.utcoffset() is None:
        raise ValueError("once_at must be aware")
    if cycle is not None and (cycle[1] < 1 or cycle[2] < 0):
        raise ValueError("a cycle has at least one day on")
    reminder = Reminder(
        owner=owner,
        kind=kind_key,
        local_time=at if at is not None else once_at.astimezone(ZoneInfo(owner.time_zone)).time(),  # type: ignore[union-attr]
        weekdays=sorted(weekdays or []),
        once_at=once_at,
        target=target,
    )
    if cycle is not None:
        reminder.cycle_start, reminder.cycle_on, reminder.cycle_off = cycle
    schedule(reminder)
    reminder.save()
    return reminder


def not_today(reminder: Any) -> None:
    """ "Pas aujourd'hui": nothing more today, in the person's zone; tomorrow as usual."""
    reminder.skip_date = local_date(jobs.now(), zone_of(reminder))
    schedule(reminder)
    reminder.save(update_fields=["skip_date", "next_fire_at"])


def snooze(reminder: Any) -> None:
    """Once more in an hour (unless the condition holds by then)."""
    now = jobs.now()
    following = next_fire_after(reminder, now)
    reminder.next_fire_at = now + SNOOZE if following is None else min(now + SNOOZE, following)
    reminder.save(update_fields=["next_fire_at"])


# --- Firing --------------------------------------------------------------------------------------


@jobs.periodic("notifications.reminders", every=timedelta(minutes=1))
@jobs.job(max_attempts=3, first_delay=10)
def fire_due_reminders(due: str) -> None:
    from entraide.notifications.models import Reminder

    now = jobs.now()
    due_ids = list(
        Reminder.objects.filter(enabled=True, next_fire_at__lte=now).values_list("pk", flat=True)[:1000]
    )
    for reminder_id in due_ids:
        fire(reminder_id, now)


def fire(reminder_id: Any, now: datetime) -> bool:
    """Send one due reminder (if still due, not done, not late) and schedule its next firing.
    Returns whether a notification was sent."""
    from entraide.notifications.models import Reminder, ReminderFiring
    from entraide.notifications.services import notify

    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("owner")
            .filter(pk=reminder_id, enabled=True, next_fire_at__lte=now)
            .first()
        )
        if reminder is None:
            return False  # another worker took it, or it was changed meanwhile
        kind = reminder_kinds.get(reminder.kind)
        scheduled_for: datetime = reminder.next_fire_at  # type: ignore[assignment]  # filtered on it
        day = local_date(scheduled_for, zone_of(reminder))
        sent = False
        if kind is not None and now - scheduled_for <= GRACE and day != reminder.skip_date:
            done = (kind.already_done is not None and kind.already_done(reminder.owner, day)) or (
                kind.done_for is not None and kind.done_for(reminder, scheduled_for)
            )
            if not done:
                try:
                    with transaction.atomic():
                        ReminderFiring.objects.create(reminder=reminder, scheduled_for=scheduled_for)
                except IntegrityError:
                    pass  # this firing was sent by an earlier attempt
                else:
                    notify(
                        reminder.owner,
                        kind.notification_kind,
                        title=str(kind.title),
                        link=kind.link(reminder),
                        dedupe_key=f"reminder:{reminder.pk}:{scheduled_for.isoformat()}",
                        email_links=[
                            *(kind.email_links(reminder, scheduled_for) if kind.email_links else []),
                            (
                                pgettext_lazy("reminder email", "Remind me in an hour"),
                                action_url(reminder, "snooze"),
                            ),
                            (pgettext_lazy("reminder email", "Not today"), action_url(reminder, "not_today")),
                        ],
                    )
                    sent = True
        schedule(reminder, after=max(now, scheduled_for))
        reminder.save(update_fields=["next_fire_at"])
    return sent


# --- Links in emails: snooze and "not today", without logging in ---------------------------------


def action_url(reminder: Any, action: str) -> str:
    return settings.SITE_URL + reverse("notifications:reminder-action", args=[action_token(reminder, action)])


def action_token(reminder: Any, action: str) -> str:
    return signing.dumps({"r": str(reminder.pk), "a": action}, salt=TOKEN_SALT, compress=True)


def read_action_token(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") not in {"snooze", "not_today"}:
        return None
    return str(data["r"]), str(data["a"])
