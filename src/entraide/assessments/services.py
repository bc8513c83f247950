"""Every write to a person's questionnaires, named ``verb_object``: pages, the API, the demo data and
the reminders call these, so the rules hold whatever the door.

Domain errors raise ``entraide.core.errors.InvalidValuesError`` (keys ``questionnaire``,
``answers.<n>``, ``difficulty``, ``every_days``, ``at``). Scores are computed here, by the engine,
from the answers: no door can give a score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from entraide.assessments import engine, signals
from entraide.assessments import values as v
from entraide.assessments.access import filter_responses_of, filter_schedules_of
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.core.errors import InvalidValuesError
from entraide.core.localtime import local_date
from entraide.core.signals import crisis_signalled

REMINDER_KIND = "assessments.due"
DEFAULT_REMINDER_AT = time(18, 0)


def _zone(owner: Any) -> ZoneInfo:
    return ZoneInfo(owner.time_zone)


def today_of(owner: Any) -> date:
    return local_date(timezone.now(), _zone(owner))


def instrument_or_error(key: Any) -> engine.Instrument:
    try:
        return engine.get(str(key))
    except KeyError:
        raise InvalidValuesError(
            {"questionnaire": pgettext_lazy("questionnaire values", "There is no such questionnaire here.")}
        ) from None


# --- Responses ----------------------------------------------------------------------------------


def record_response(
    owner: Any,
    *,
    questionnaire: str,
    answers: Sequence[Any] | Mapping[Any, Any],
    difficulty: Any = None,
    language: str | None = None,
    at: datetime | None = None,
    private: bool = False,
) -> QuestionnaireResponse:
    """Score and keep one filled questionnaire. ``language`` is the language its wording was shown
    in; ``at`` (demo data only) a past moment; ``private``: "reste privé" from the start, and so is
    the crisis moment it may cause. When an item with a crisis threshold is answered
    above it (PHQ-9 item 9 above 0), ``core.signals.crisis_signalled`` is sent in the transaction:
    the safety app records a crisis moment, and the caller shows the crisis screen."""
    instrument = instrument_or_error(questionnaire)
    values, kept = engine.clean(instrument, answers, difficulty)
    result = engine.score(instrument, values)
    moment = at or timezone.now()
    row = QuestionnaireResponse(
        owner=owner,
        instrument=instrument.key,
        answered_at=moment,
        local_date=local_date(moment, _zone(owner)),
        private=private,
        payload={
            "version": instrument.version,
            "language": engine.wording_language(instrument.stem, language),
            "answers": values,
            "difficulty": kept,
            "raw": result.raw,
            "percentage": result.percentage,
            "band": result.band,
            "cutoffs": list(result.cutoffs),
            "crisis": result.crisis,
        },
    )
    with transaction.atomic():
        row.save()
        if row.crisis:
            crisis_signalled.send(
                sender=QuestionnaireResponse, person=owner, source=row.instrument, cause=str(row.pk)
            )
        transaction.on_commit(
            lambda: signals.response_recorded.send(sender=QuestionnaireResponse, owner=owner, response=row)
        )
    return row


def same_response_since(
    owner: Any,
    *,
    since: datetime,
    questionnaire: str,
    answers: Sequence[Any] | Mapping[Any, Any],
    difficulty: Any = None,
    language: str | None = None,
) -> QuestionnaireResponse | None:
    """The person's last response to this questionnaire, if it was answered since ``since`` with
    exactly these answers: the one a form sent again would repeat. One row decrypted.
    ``language`` is accepted (the form's values) and ignored: the same answers are the same."""
    try:
        instrument = instrument_or_error(questionnaire)
        values, kept = engine.clean(instrument, answers, difficulty)
    except InvalidValuesError:
        return None  # not the same: saving it will say what is wrong
    last = (
        filter_responses_of(owner)
        .filter(instrument=instrument.key, answered_at__gte=since)
        .order_by("-answered_at")
        .first()
    )
    if last is None:
        return None
    same = last.payload.get("answers") == values and last.payload.get("difficulty") == kept
    return last if same else None


def mark_response_private(response: QuestionnaireResponse, *, private: bool) -> QuestionnaireResponse:
    """ "Reste privé": the answers, the score, and the crisis moment they may have caused never
    reach anyone the person shares with (the moment names its cause; the circle leaves out a
    moment whose cause is not a shared response)."""
    if response.private != private:
        response.private = private
        response.save(update_fields=["private"])
    return response


def delete_response(response: QuestionnaireResponse) -> None:
    owner, response_id, instrument = response.owner, response.pk, response.instrument
    with transaction.atomic():
        response.delete()
        transaction.on_commit(
            lambda: signals.response_deleted.send(
                sender=QuestionnaireResponse, owner=owner, response_id=response_id, instrument=instrument
            )
        )


# --- Schedules ----------------------------------------------------------------------------------


def set_schedule(owner: Any, *, questionnaire: str, every_days: Any) -> QuestionnaireSchedule:
    """How often the person wants to answer ``questionnaire`` (``values.FREQUENCIES``; 0: never)."""
    instrument = instrument_or_error(questionnaire)
    if isinstance(every_days, str) and every_days.strip().isdigit():
        every_days = int(every_days)
    if isinstance(every_days, bool) or every_days not in v.FREQUENCIES:
        raise InvalidValuesError(
            {"every_days": pgettext_lazy("questionnaire values", "Choose one of the rhythms offered.")}
        )
    today = today_of(owner)
    with transaction.atomic():
        row = filter_schedules_of(owner).select_for_update().filter(instrument=instrument.key).first()
        if row is None:
            row = QuestionnaireSchedule(owner=owner, instrument=instrument.key, since=today)
        elif row.every_days == 0 and every_days:
            row.since = today  # switched on again: due from today if never answered
        row.every_days = every_days
        row.updated_at = timezone.now()
        row.save()
    return row


@dataclass(frozen=True)
class Due:
    """Where one questionnaire stands for a person: its rhythm, the last answer, the day it is due."""

    instrument: engine.Instrument
    every_days: int
    chosen: bool  # the person chose this rhythm (else the default applies)
    last: date | None
    due_on: date | None  # None: nothing due (no rhythm, or never answered nor scheduled)

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today


def due_of(owner: Any, latest: Mapping[str, QuestionnaireResponse] | None = None) -> dict[str, Due]:
    """Every questionnaire's ``Due``, in two queries (one when the caller gives the ``latest``
    response to each, from ``access.latest_responses_of``). Without a chosen rhythm a questionnaire
    answered once comes back every two weeks; one never answered nor scheduled is not due."""
    schedules = {s.instrument: s for s in filter_schedules_of(owner)}
    if latest is not None:
        lasts = {key: response.local_date for key, response in latest.items()}
    else:
        lasts = dict(
            filter_responses_of(owner)
            .values_list("instrument")
            .annotate(last=Max("local_date"))
            .values_list("instrument", "last")
        )
    found: dict[str, Due] = {}
    for instrument in engine.all_instruments():
        schedule = schedules.get(instrument.key)
        every = schedule.every_days if schedule is not None else v.DEFAULT_EVERY_DAYS
        last = lasts.get(instrument.key)
        due_on: date | None = None
        if every:
            if last is not None:
                due_on = last + timedelta(days=every)
            elif schedule is not None:
                due_on = schedule.since
        found[instrument.key] = Due(instrument, every, schedule is not None, last, due_on)
    return found


def reminder_due_on(owner: Any, day: date) -> bool:
    """Whether the questionnaire reminder has something to say on local date ``day``: a
    questionnaire becomes due that day, or was due a week before and is still not answered. Never
    more: no nagging."""
    again = timedelta(days=v.REMIND_AGAIN_AFTER)
    return any(
        d.due_on is not None and (day == d.due_on or day == d.due_on + again) for d in due_of(owner).values()
    )


# --- Reminder -----------------------------------------------------------------------------------


def questionnaire_reminder_of(owner: Any) -> Any:
    from entraide.notifications.models import Reminder

    return Reminder.objects.filter(owner_id=owner.pk, kind=REMINDER_KIND).first()


def set_questionnaire_reminder(owner: Any, *, enabled: bool, at: time | None) -> Any:
    """One reminder for every questionnaire, at a local time: it speaks only on the days one is
    due (``reminder_due_on``), and never names the questionnaire."""
    from entraide.notifications.reminders import create_reminder, schedule

    if enabled and at is None:
        raise InvalidValuesError({"at": pgettext_lazy("questionnaire values", "Give a time like 18:00.")})
    with transaction.atomic():
        reminder = questionnaire_reminder_of(owner)
        if reminder is None:
            if not enabled:
                return None
            return create_reminder(owner, REMINDER_KIND, at=at)
        reminder.enabled = enabled
        if at is not None:
            reminder.local_time = at
        reminder.skip_date = None
        schedule(reminder)
        reminder.save()
    return reminder
