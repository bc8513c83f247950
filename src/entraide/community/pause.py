"""Taking a break ("Faire une pause"): a member steps back from the community for a time they choose. Nobody is
told why, nor that they do: not the moderators' queue, not other members.

While paused, they do not post, reply or say "je te soutiens", and they are not sent the
community's notifications (replies, mentions, follows: skipped, not kept for later). They still
read, keep bookmarks, and may still report something to the moderators (a report is a private
word to the team, and someone who steps back may be doing so because of what they report).

Stored as ``MemberStanding.paused_until``, apart from the moderators' ``suspended_until``: ending
one's pause never ends a suspension. Neither touches the person's private space, ``/aide/`` or
their circle (this app does not import them; ``tests/project`` walks those pages).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import pgettext, pgettext_lazy

from entraide.community.models import MemberStanding
from entraide.core.errors import InvalidValuesError

MAX_PAUSE = timedelta(days=365)
# The choices offered, then "until a date" (at most MAX_PAUSE away).
DURATIONS: dict[str, tuple[timedelta, Any]] = {
    "1d": (timedelta(days=1), pgettext_lazy("pause", "One day")),
    "3d": (timedelta(days=3), pgettext_lazy("pause", "Three days")),
    "1w": (timedelta(days=7), pgettext_lazy("pause", "One week")),
    "2w": (timedelta(days=14), pgettext_lazy("pause", "Two weeks")),
    "1m": (timedelta(days=30), pgettext_lazy("pause", "One month")),
}


def paused_until(member: Any, *, now: datetime | None = None) -> datetime | None:
    """The end of the member's pause, or ``None`` when they are not taking one."""
    if member is None or not getattr(member, "is_authenticated", False):
        return None
    until = MemberStanding.objects.filter(member_id=member.pk).values_list("paused_until", flat=True).first()
    return until if until is not None and until > (now or timezone.now()) else None


def paused_among(person_ids: set[Any], *, now: datetime | None = None) -> set[Any]:
    """Those of ``person_ids`` taking a pause now: one query."""
    if not person_ids:
        return set()
    return set(
        MemberStanding.objects.filter(
            member_id__in=person_ids, paused_until__gt=now or timezone.now()
        ).values_list("member_id", flat=True)
    )


def until_text(until: datetime) -> str:
    return formats.date_format(timezone.localtime(until), "j F Y, H:i")


def refusal(until: datetime) -> InvalidValuesError:
    """What a paused member is told when they try to post or react: kind, their text kept."""
    return InvalidValuesError(
        {
            "body": pgettext(
                "pause",
                "You are taking a break from the community until %(until)s. Your text is kept here; "
                "you can resume now from the “Faire une pause” page.",
            )
            % {"until": until_text(until)}
        }
    )


def check_not_paused(member: Any, *, now: datetime | None = None) -> None:
    until = paused_until(member, now=now)
    if until is not None:
        raise refusal(until)


def _values(until: datetime | None, *, now: datetime) -> datetime:
    if until is None or until <= now:
        raise InvalidValuesError({"until": pgettext("pause", "Choose how long, or a date after today.")})
    if until > now + MAX_PAUSE:
        raise InvalidValuesError(
            {"until": pgettext("pause", "Choose a date within a year: you can take another break then.")}
        )
    return until


def end_of(choice: str, *, now: datetime) -> datetime | None:
    found = DURATIONS.get(choice)
    return now + found[0] if found is not None else None


@transaction.atomic
def pause_member(member: Any, *, until: datetime | None, now: datetime | None = None) -> datetime:
    """Start (or change) the member's pause until ``until``. Their standing row is created if
    they have none; only ``paused_until`` changes."""
    now = now or timezone.now()
    until = _values(until, now=now)
    if not MemberStanding.objects.filter(member_id=member.pk).update(paused_until=until):
        try:
            with transaction.atomic():
                MemberStanding.objects.create(member_id=member.pk, paused_until=until)
        except IntegrityError:  # created meanwhile by another request
            MemberStanding.objects.filter(member_id=member.pk).update(paused_until=until)
    return until


@transaction.atomic
def resume_member(member: Any) -> None:
    """End the member's own pause now. Never a moderators' suspension (another field)."""
    MemberStanding.objects.filter(member_id=member.pk).update(paused_until=None)
