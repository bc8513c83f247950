"""Every write to a person's journal, named ``verb_object``: pages, the API and the demo data
call these, so the rules in ``journal.values`` hold whatever the door."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core import dates
from entraide.core.errors import InvalidValuesError
from entraide.core.localtime import local_date
from entraide.journal import day_means, signals
from entraide.journal import values as v
from entraide.journal.access import (
    filter_checkins_of,
    filter_entries_of,
    filter_indicators_of,
    indicators_of,
)
from entraide.journal.models import Checkin, Indicator, IndicatorKind, JournalEntry, JournalSettings

MAX_ACTIVE_INDICATORS = 50
MAX_INDICATOR_NAME = 60
MAX_UNIT = 20
MAX_CHOICES = 20
MAX_ENTRY_TITLE = 200
MAX_ENTRY_BODY = 50_000
REMINDER_KIND = "journal.checkin"
WEEKLY_REMINDER_KIND = "journal.weekly"
WEEKLY_AT = time(9, 0)  # Mondays, local time


# --- Check-ins -----------------------------------------------------------------------------------


def indicators_by_id(owner: Any) -> dict[str, Indicator]:
    """All the person's indicators, archived ones included (old values keep their meaning)."""
    return {str(i.pk): i for i in indicators_of(owner)}


def _clean_moment(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise InvalidValuesError({"moment": pgettext_lazy("check-in values", "Give a date and a time.")})
    if moment > timezone.now() + timedelta(days=1):
        raise InvalidValuesError(
            {
                "moment": pgettext_lazy(
                    "check-in values", "This moment is in the future: choose today or a past day."
                )
            }
        )
    if not dates.in_range(moment):
        raise InvalidValuesError({"moment": pgettext_lazy("check-in values", "Choose a date after 1900.")})
    return moment


def _after_commit(signal: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: signal.send(sender=Checkin, **kwargs))


def record_checkin(
    owner: Any,
    *,
    moment: datetime,
    values: Mapping[str, Any],
    indicators: Mapping[str, Indicator] | None = None,
    private: bool = False,
) -> Checkin:
    """A new check-in, its local date taken in the person's zone now (ARCHITECTURE.md, "Time").
    ``indicators``: the person's, from ``indicators_by_id``, when the caller already loaded them."""
    moment = _clean_moment(moment)
    payload = v.clean_checkin(
        values, indicators=indicators if indicators is not None else indicators_by_id(owner)
    )
    zone = owner.time_zone
    checkin = Checkin(
        owner=owner,
        moment=moment,
        time_zone=zone,
        local_date=local_date(moment, ZoneInfo(zone)),
        private=private,
        payload=payload,
    )
    with transaction.atomic():
        checkin.save()
        day_means.changed(owner, after=day_means.Side.of(checkin))
        _remember_own_emotions(owner, payload.get("own_emotions", []))
        _after_commit(signals.checkin_recorded, owner=owner, checkin=checkin, checkin_id=checkin.pk)
    return checkin


def update_checkin(
    checkin: Checkin,
    *,
    moment: datetime,
    values: Mapping[str, Any],
    indicators: Mapping[str, Indicator] | None = None,
) -> Checkin:
    """New values for a check-in. A changed moment takes the person's current zone; an unchanged
    one keeps the zone and the local date it was recorded with."""
    moment = _clean_moment(moment)
    owner = checkin.owner
    known = indicators if indicators is not None else indicators_by_id(owner)
    before = day_means.Side.of(checkin)
    checkin.payload = v.clean_checkin(values, indicators=known)
    if moment != checkin.moment:
        checkin.moment = moment
        checkin.time_zone = owner.time_zone
        checkin.local_date = local_date(moment, ZoneInfo(owner.time_zone))
    checkin.updated_at = timezone.now()
    with transaction.atomic():
        checkin.save()
        day_means.changed(owner, before=before, after=day_means.Side.of(checkin))
        _remember_own_emotions(owner, checkin.payload.get("own_emotions", []))
        _after_commit(signals.checkin_changed, owner=owner, checkin=checkin, checkin_id=checkin.pk)
    return checkin


def same_checkin_since(
    owner: Any,
    *,
    since: datetime,
    values: Mapping[str, Any],
    indicators: Mapping[str, Indicator] | None = None,
) -> Checkin | None:
    """The person's last check-in, if it was recorded since ``since`` and holds exactly these
    values (its moment aside): the one a form sent again would repeat. One row decrypted."""
    last = filter_checkins_of(owner).filter(created_at__gte=since).order_by("-created_at").first()
    if last is None:
        return None
    try:
        payload = v.clean_checkin(
            values, indicators=indicators if indicators is not None else indicators_by_id(owner)
        )
    except InvalidValuesError:
        return None  # not the same: saving it will say what is wrong
    return last if last.payload == payload else None


def mark_checkin_private(checkin: Checkin, *, private: bool) -> Checkin:
    """ "Reste privé": the check-in never reaches anyone the person shares with."""
    if checkin.private == private:
        return checkin
    before = day_means.Side.of(checkin)
    checkin.private = private
    with transaction.atomic():
        checkin.save(update_fields=["private"])
        day_means.changed(checkin.owner, before=before, after=day_means.Side.of(checkin))
        _after_commit(signals.checkin_changed, owner=checkin.owner, checkin=checkin, checkin_id=checkin.pk)
    return checkin


def delete_checkin(checkin: Checkin) -> None:
    owner, checkin_id, day = checkin.owner, checkin.pk, checkin.local_date
    with transaction.atomic():
        before = day_means.Side.of(checkin)
        checkin.delete()
        day_means.changed(owner, before=before)
        _after_commit(signals.checkin_deleted, owner=owner, checkin_id=checkin_id, local_date=day)


@dataclass(frozen=True)
class DayValues:
    """One local day: the mean of that day's check-ins for each measure recorded that day."""

    day: date
    checkins: int
    means: dict[str, float]


MEASURES = ("mood", "anxiety", "energy", "sleep_minutes", "sleep_quality")


def day_values(owner: Any, start: date, end: date) -> list[DayValues]:
    """Each day from ``start`` to ``end`` (inclusive) that has check-ins, oldest first."""
    found = []
    for month in day_means.months(owner, start, end):
        for day, totals in zip(month.days, month.totals, strict=True):
            if start <= day <= end:
                means = {key: mean for key in MEASURES if (mean := totals.all.mean(key)) is not None}
                found.append(DayValues(day=day, checkins=totals.all.n, means=means))
    return found


# --- The person's settings and own emotions -----------------------------------------------------


def journal_settings_of(owner: Any) -> JournalSettings:
    """The person's settings row (an unsaved default when they never changed anything)."""
    found = JournalSettings.objects.filter(owner_id=owner.pk).first()
    return found or JournalSettings(owner=owner, payload={"track_substances": False, "own_emotions": []})


def update_journal_settings(
    owner: Any, *, track_substances: bool, own_emotions: Iterable[str] | None = None
) -> JournalSettings:
    row = journal_settings_of(owner)
    payload = dict(row.payload)
    payload["track_substances"] = bool(track_substances)
    if own_emotions is not None:
        words, problem = v.clean_words(
            list(own_emotions), limit=v.MAX_OWN_EMOTIONS, length=v.MAX_OWN_EMOTION, what="emotions"
        )
        if problem:
            raise InvalidValuesError({"own_emotions": problem})
        payload["own_emotions"] = words
    row.payload = payload
    row.updated_at = timezone.now()
    row.save()
    return row


def _remember_own_emotions(owner: Any, words: list[str]) -> None:
    """An emotion typed in a check-in is offered as a box the next time."""
    if not words:
        return
    row = journal_settings_of(owner)
    known = row.own_emotions
    folded = {unicodedata.normalize("NFKD", w.casefold()) for w in known}
    new = [w for w in words if unicodedata.normalize("NFKD", w.casefold()) not in folded]
    if not new:
        return
    row.payload = {**row.payload, "own_emotions": (known + new)[-v.MAX_OWN_EMOTIONS :]}
    row.updated_at = timezone.now()
    row.save()


# --- Custom indicators --------------------------------------------------------------------------


LIMIT_MESSAGE = pgettext_lazy(
    "indicator list",
    "You follow 50 indicators, the most there can be at once. To add another one, archive one "
    "you follow less: its past values stay.",
)


class IndicatorLimitError(InvalidValuesError):
    """The person already follows ``MAX_ACTIVE_INDICATORS``: a form shows it on the whole form, the
    API answers 409."""

    def __init__(self) -> None:
        super().__init__({"limit": LIMIT_MESSAGE})


def _clean_indicator(kind: str, name: str, unit: str, choices: Iterable[str]) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not name:
        errors["name"] = pgettext_lazy("indicator", "Give it a name.")
    elif len(name) > MAX_INDICATOR_NAME:
        errors["name"] = pgettext_lazy("indicator", "Keep the name under 60 characters.")
    unit = " ".join((unit or "").split())
    if len(unit) > MAX_UNIT:
        errors["unit"] = pgettext_lazy("indicator", "Keep the unit under 20 characters.")
    payload: dict[str, Any] = {"name": name}
    if kind == IndicatorKind.NUMBER and unit:
        payload["unit"] = unit
    if kind == IndicatorKind.CHOICE:
        options, problem = v.clean_words(list(choices), limit=MAX_CHOICES, length=40, what="choices")
        if problem:
            errors["choices"] = problem
        elif len(options) < 2:
            errors["choices"] = pgettext_lazy("indicator", "Give at least two options, one per line.")
        payload["choices"] = options
    if errors:
        raise InvalidValuesError(errors)
    return payload


def create_indicator(
    owner: Any, *, name: str, kind: str, unit: str = "", choices: Iterable[str] = ()
) -> Indicator:
    if kind not in IndicatorKind.values:
        raise InvalidValuesError({"kind": pgettext_lazy("indicator", "Choose a kind from the list.")})
    payload = _clean_indicator(kind, name, unit, choices)
    with transaction.atomic():
        active = filter_indicators_of(owner).filter(archived_at__isnull=True)
        if active.count() >= MAX_ACTIVE_INDICATORS:
            raise IndicatorLimitError
        last = filter_indicators_of(owner).aggregate(last=Max("position"))["last"]
        indicator = Indicator(owner=owner, kind=kind, position=(last or 0) + 1, payload=payload)
        indicator.save()
    return indicator


def update_indicator(
    indicator: Indicator, *, name: str, unit: str = "", choices: Iterable[str] = ()
) -> Indicator:
    """Rename it, change its unit or its options. Its kind stays: past values keep their meaning.
    An option removed from a choice list stays in the check-ins that used it."""
    indicator.payload = _clean_indicator(indicator.kind, name, unit, choices)
    indicator.save()
    return indicator


def archive_indicator(indicator: Indicator) -> None:
    indicator.archived_at = timezone.now()
    indicator.save(update_fields=["archived_at"])


def restore_indicator(indicator: Indicator) -> None:
    if (
        filter_indicators_of(indicator.owner).filter(archived_at__isnull=True).count()
        >= MAX_ACTIVE_INDICATORS
    ):
        raise IndicatorLimitError
    indicator.archived_at = None
    indicator.save(update_fields=["archived_at"])


def move_indicator(indicator: Indicator, *, offset: int) -> None:
    """Move it up (-1) or down (+1) among the person's active indicators."""
    with transaction.atomic():
        ordered = list(
            filter_indicators_of(indicator.owner)
            .filter(archived_at__isnull=True)
            .select_for_update()
            .order_by("position", "created_at")
        )
        ids = [i.pk for i in ordered]
        if indicator.pk not in ids:
            return
        at = ids.index(indicator.pk)
        target = max(0, min(len(ordered) - 1, at + offset))
        ordered.insert(target, ordered.pop(at))
        for position, row in enumerate(ordered, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])


def active_indicators(owner: Any) -> list[Indicator]:
    return list(
        filter_indicators_of(owner).filter(archived_at__isnull=True).order_by("position", "created_at")
    )


# --- Journal entries ----------------------------------------------------------------------------


def _clean_entry(*, day: date, title: str, body: str, mood: Any, tags: Any) -> dict[str, Any]:
    errors: dict[str, str | Promise] = {}
    title = " ".join(unicodedata.normalize("NFC", title or "").split())
    body = unicodedata.normalize("NFC", body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(title) > MAX_ENTRY_TITLE:
        errors["title"] = pgettext_lazy("journal entry", "Keep the title under 200 characters.")
    if not body and not title:
        errors["body"] = pgettext_lazy("journal entry", "Write something, even a few words.")
    if len(body) > MAX_ENTRY_BODY:
        errors["body"] = pgettext_lazy(
            "journal entry",
            "This entry is very long: split it into two entries of at most 50,000 characters.",
        )
    payload: dict[str, Any] = {"title": title, "body": body, "mood": None, "tags": []}
    if mood not in (None, ""):
        number = v._int_between(mood, 0, 10)
        if number is None:
            errors["mood"] = pgettext_lazy("journal entry", "Choose a whole number from 0 to 10.")
        payload["mood"] = number
    if tags:
        words, problem = v.clean_words(tags, limit=v.MAX_TAGS, length=v.MAX_TAG, what="tags")
        if problem:
            errors["tags"] = problem
        payload["tags"] = words
    if day < dates.MIN_DATE:
        errors["day"] = pgettext_lazy("journal entry", "Choose a date after 1900.")
    elif day > timezone.localdate() + timedelta(days=1):
        errors["day"] = pgettext_lazy("journal entry", "Choose today or a past day.")
    if errors:
        raise InvalidValuesError(errors)
    return payload


def create_entry(
    owner: Any,
    *,
    day: date,
    title: str = "",
    body: str = "",
    mood: Any = None,
    tags: Any = (),
    private: bool = False,
) -> JournalEntry:
    payload = _clean_entry(day=day, title=title, body=body, mood=mood, tags=tags)
    entry = JournalEntry(owner=owner, day=day, payload=payload, private=private)
    entry.save()
    return entry


def same_entry_since(
    owner: Any,
    *,
    since: datetime,
    day: date,
    title: str = "",
    body: str = "",
    mood: Any = None,
    tags: Any = (),
) -> JournalEntry | None:
    """The person's last entry, if it was written since ``since`` with exactly this title, text,
    mood and tags (its day aside): the one a form sent again would repeat. One row decrypted."""
    last = filter_entries_of(owner).filter(created_at__gte=since).order_by("-created_at").first()
    if last is None:
        return None
    try:
        payload = _clean_entry(day=day, title=title, body=body, mood=mood, tags=tags)
    except InvalidValuesError:
        return None
    return last if last.payload == payload else None


def update_entry(
    entry: JournalEntry, *, day: date, title: str = "", body: str = "", mood: Any = None, tags: Any = ()
) -> JournalEntry:
    entry.payload = _clean_entry(day=day, title=title, body=body, mood=mood, tags=tags)
    entry.day = day
    entry.updated_at = timezone.now()
    entry.save()
    return entry


def mark_entry_private(entry: JournalEntry, *, private: bool) -> JournalEntry:
    """ "Reste privé": the journal entry never reaches anyone the person shares with."""
    if entry.private != private:
        entry.private = private
        entry.save(update_fields=["private"])
    return entry


def delete_entry(entry: JournalEntry) -> None:
    entry.delete()


def search_entries(owner: Any, query: str) -> list[JournalEntry]:
    """Entries whose title, text or tags hold every word of ``query`` (case and accents aside),
    newest first. Decrypted in memory: fine at one person's scale."""
    words = [v._fold(w) for w in query.split() if w.strip()][:10]
    entries = list(filter_entries_of(owner).order_by("-day", "-created_at"))
    if not words:
        return entries
    found = []
    for entry in entries:
        p = entry.payload
        haystack = v._fold(" ".join([p.get("title", ""), p.get("body", ""), " ".join(p.get("tags", []))]))
        if all(w in haystack for w in words):
            found.append(entry)
    return found


# --- Daily reminder -----------------------------------------------------------------------------


def checkin_reminder_of(owner: Any) -> Any:
    from entraide.notifications.models import Reminder

    return Reminder.objects.filter(owner_id=owner.pk, kind=REMINDER_KIND).first()


def checkin_reminder_time(owner: Any) -> time | None:
    """The local time of the person's daily check-in reminder, ``None`` when it is off."""
    from entraide.notifications.models import Reminder

    return (
        Reminder.objects.filter(owner_id=owner.pk, kind=REMINDER_KIND, enabled=True)
        .values_list("local_time", flat=True)
        .first()
    )


def set_checkin_reminder(owner: Any, *, enabled: bool, at: time) -> Any:
    """Switch the daily check-in reminder on or off, at a local time."""
    from entraide.notifications.reminders import create_reminder, schedule

    with transaction.atomic():
        reminder = checkin_reminder_of(owner)
        if reminder is None:
            if not enabled:
                return None
            return create_reminder(owner, REMINDER_KIND, at=at)
        reminder.enabled = enabled
        reminder.local_time = at
        reminder.skip_date = None
        schedule(reminder)
        reminder.save()
    return reminder


def weekly_summary_reminder_of(owner: Any) -> Any:
    from entraide.notifications.models import Reminder

    return Reminder.objects.filter(owner_id=owner.pk, kind=WEEKLY_REMINDER_KIND).first()


def set_weekly_summary(owner: Any, *, enabled: bool) -> Any:
    """The opt-in Monday email: a link to the summary of the week, nothing else."""
    from entraide.notifications.reminders import create_reminder, schedule

    with transaction.atomic():
        reminder = weekly_summary_reminder_of(owner)
        if reminder is None:
            if not enabled:
                return None
            return create_reminder(owner, WEEKLY_REMINDER_KIND, at=WEEKLY_AT, weekdays=frozenset({0}))
        reminder.enabled = enabled
        schedule(reminder)
        reminder.save()
    return reminder
