"""Wall-clock times in a person's zone, as UTC instants.

The rule (ARCHITECTURE.md, "Time"): a reminder fires at the person's local time; a local time that
does not exist (spring forward) fires at the next valid minute; an ambiguous one (autumn) fires once,
at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["local_date", "next_occurrence", "occurrence"]

_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
# Far more than any run of allowed, unskipped dates lost to gaps; only guards against a bug looping.
_MAX_DAYS = 400


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall time `naive` is shown by clocks in `zone` (it is not in a gap)."""
    back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == naive


def _gap_end(naive: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant whose wall time in `zone` is past `naive`, which lies in a gap.

    PEP 495: inside a gap, fold=0 applies the offset from before the transition and fold=1 the one
    after, so the transition lies between the two readings; the wall clock is before the gap until
    the transition and after it from then on, so a binary search over whole seconds finds it.
    """
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the transition
    high = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)  # at or after it
    lo, hi = 0, int((high - low).total_seconds())
    while lo < hi:
        mid = (lo + hi) // 2
        wall = (low + timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None)
        if wall > naive:
            hi = mid
        else:
            lo = mid + 1
    return low + timedelta(seconds=lo)


def occurrence(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware UTC instant at which clocks in `zone` read `at` on local date `day`.

    Ambiguous (autumn): the first occurrence. Non-existent (spring forward): the first whole minute
    after the gap, e.g. Europe/Paris 2026-03-29 02:30 gives 03:00 CEST (01:00 UTC). When a gap swallows
    the rest of `day` (Pacific/Apia skipped 2011-12-30), that minute is on a later local date.
    `at` must be naive; its seconds are kept.
    """
    if at.tzinfo is not None:
        raise ValueError("at must be a naive wall-clock time")
    naive = datetime.combine(day, at.replace(fold=0))
    if _exists(naive, zone):
        # fold=0 is the earlier of two readings of an ambiguous wall time.
        return naive.replace(tzinfo=zone).astimezone(UTC)
    end = _gap_end(naive, zone)
    # Offsets with seconds (local mean time, before ~1970) can end a gap off the minute.
    wall = end.astimezone(zone)
    if wall.second or wall.microsecond:
        end += _MINUTE - timedelta(seconds=wall.second, microseconds=wall.microsecond)
    return end


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The date clocks in `zone` show at the aware `instant`."""
    if instant.utcoffset() is None:
        raise ValueError("instant must be aware")
    return instant.astimezone(zone).date()


def next_occurrence(
    after: datetime,
    at: time,
    zone: ZoneInfo,
    weekdays: frozenset[int] | None = None,
    skip: date | None = None,
) -> datetime:
    """The first occurrence of `at` in `zone` strictly after the aware instant `after`.

    Only local dates whose weekday (Monday=0) is in `weekdays` count (None: every day); local date
    `skip` never does ("pas aujourd'hui"). A date counts once: its occurrence (see `occurrence`) must
    fall on that same date, so a date whose `at` lies in a gap running past midnight gets none, and
    calling again from the result never fires twice on one local date.
    `weekdays` must be a non-empty subset of 0..6.
    """
    if after.utcoffset() is None:
        raise ValueError("after must be aware")
    if weekdays is not None and (not weekdays or not weekdays <= frozenset(range(7))):
        raise ValueError("weekdays must be a non-empty subset of 0..6")
    # The day before too: after a fall-back across midnight, clocks may show a date again.
    day = local_date(after, zone) - _DAY
    for _ in range(_MAX_DAYS):
        if day != skip and (weekdays is None or day.weekday() in weekdays):
            instant = occurrence(day, at, zone)
            if instant > after and local_date(instant, zone) == day:
                return instant
        day += _DAY
    raise RuntimeError(f"no occurrence of {at} in {zone.key} within {_MAX_DAYS} days")
