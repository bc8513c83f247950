"""Reminder times: the person's wall clock, first occurrence when ambiguous, next valid minute when
the time does not exist, once per local date; checked at known transitions and against a brute-force
reading of the wall clock in every zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from entraide.core.localtime import local_date, next_occurrence, occurrence

PARIS = ZoneInfo("Europe/Paris")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # shifts by 30 minutes
HAVANA = ZoneInfo("America/Havana")  # 00:00 -> 01:00 in March, 01:00 -> 00:00 in November
SANTIAGO = ZoneInfo("America/Santiago")  # 00:00 -> 01:00 in September, 24:00 -> 23:00 in April
APIA = ZoneInfo("Pacific/Apia")  # skipped the whole of 2011-12-30
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    shift = instant.astimezone(zone).utcoffset()
    assert shift is not None
    return shift


# Known answers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (date(2026, 1, 15), time(8), utc(2026, 1, 15, 7)),  # CET
        (date(2026, 7, 15), time(8), utc(2026, 7, 15, 6)),  # CEST
        # 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z); 02:00-02:59 do not exist.
        (date(2026, 3, 29), time(1, 59), utc(2026, 3, 29, 0, 59)),
        (date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(2, 59), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(3, 0), utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(3, 1), utc(2026, 3, 29, 1, 1)),
        # 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:00-02:59 happen twice.
        (date(2026, 10, 25), time(2, 0), utc(2026, 10, 25, 0)),
        (date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), time(3, 0), utc(2026, 10, 25, 2)),
    ],
)
def test_occurrence_at_paris_transitions(day: date, at: time, expected: datetime) -> None:
    result = occurrence(day, at, PARIS)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


def test_occurrence_half_hour_shifts_at_lord_howe() -> None:
    # 2020-10-04: 02:00 +10:30 becomes 02:30 +11:00 (15:30Z the day before).
    assert occurrence(date(2020, 10, 4), time(2, 0), LORD_HOWE) == utc(2020, 10, 3, 15, 30)
    assert occurrence(date(2020, 10, 4), time(2, 15), LORD_HOWE) == utc(2020, 10, 3, 15, 30)
    assert occurrence(date(2020, 10, 4), time(2, 30), LORD_HOWE) == utc(2020, 10, 3, 15, 30)
    assert occurrence(date(2020, 10, 4), time(1, 59), LORD_HOWE) == utc(2020, 10, 3, 15, 29)
    # 2020-04-05: 02:00 +11:00 becomes 01:30 +10:30; 01:30-01:59 happen twice: the first is at +11.
    assert occurrence(date(2020, 4, 5), time(1, 45), LORD_HOWE) == utc(2020, 4, 4, 14, 45)
    assert occurrence(date(2020, 4, 5), time(2, 0), LORD_HOWE) == utc(2020, 4, 4, 15, 30)
    assert occurrence(date(2020, 7, 1), time(8), LORD_HOWE) == utc(2020, 6, 30, 21, 30)
    # Once per day: the second 01:45 (15:15Z) is not a reminder.
    assert next_occurrence(utc(2020, 4, 4, 14, 45), time(1, 45), LORD_HOWE) == utc(2020, 4, 5, 15, 15)


def test_occurrence_gap_at_midnight() -> None:
    # Havana 2020-03-08: midnight -05:00 becomes 01:00 -04:00 (05:00Z); the day starts at 01:00.
    for at in (time(0, 0), time(0, 30), time(0, 59), time(1, 0)):
        result = occurrence(date(2020, 3, 8), at, HAVANA)
        assert result == utc(2020, 3, 8, 5)
        assert local_date(result, HAVANA) == date(2020, 3, 8)
    assert occurrence(date(2020, 3, 7), time(23, 59), HAVANA) == utc(2020, 3, 8, 4, 59)
    # Santiago 2019-09-08, likewise at 04:00Z.
    assert occurrence(date(2019, 9, 8), time(0, 30), SANTIAGO) == utc(2019, 9, 8, 4)
    # Santiago 2019-04-06: at 24:00 -03:00 clocks go back to 23:00 -04:00; 23:30 is first at -03:00.
    first = occurrence(date(2019, 4, 6), time(23, 30), SANTIAGO)
    assert first == utc(2019, 4, 7, 2, 30)
    assert next_occurrence(first, time(23, 30), SANTIAGO) == utc(2019, 4, 8, 3, 30)
    # Havana 2019-11-03: 01:00 -04:00 goes back to 00:00 -05:00; 00:30 is first at -04:00.
    assert occurrence(date(2019, 11, 3), time(0, 30), HAVANA) == utc(2019, 11, 3, 4, 30)


def test_a_day_that_does_not_exist_gets_no_reminder() -> None:
    # Apia went from 2011-12-29 23:59:59 -10:00 to 2011-12-31 00:00 +14:00 (10:00Z).
    assert occurrence(date(2011, 12, 30), time(8), APIA) == utc(2011, 12, 30, 10)
    # Reminders for the 29th and then the 31st, only once on the 31st (at 08:00, not at midnight).
    on_29th = next_occurrence(utc(2011, 12, 29, 12), time(8), APIA)
    assert on_29th.astimezone(APIA).isoformat() == "2011-12-29T08:00:00-10:00"
    on_31st = next_occurrence(on_29th, time(8), APIA)
    assert on_31st.astimezone(APIA).isoformat() == "2011-12-31T08:00:00+14:00"
    assert on_31st == utc(2011, 12, 30, 18)


def test_next_occurrence_ambiguous_time_fires_once() -> None:
    first = utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    assert next_occurrence(utc(2026, 10, 25, 0, 29), time(2, 30), PARIS) == first
    # Never the second 02:30 of the 25th (01:30Z, CET): the next one is 02:30 CET on the 26th.
    assert next_occurrence(first, time(2, 30), PARIS) == utc(2026, 10, 26, 1, 30)
    assert next_occurrence(utc(2026, 10, 25, 1, 0), time(2, 30), PARIS) == utc(2026, 10, 26, 1, 30)


def test_next_occurrence_ordinary_days_and_spring_forward() -> None:
    assert next_occurrence(utc(2026, 1, 15, 6, 59), time(8), PARIS) == utc(2026, 1, 15, 7)
    # Strictly after: sending at 08:00 schedules tomorrow.
    assert next_occurrence(utc(2026, 1, 15, 7), time(8), PARIS) == utc(2026, 1, 16, 7)
    assert next_occurrence(utc(2026, 3, 28, 7), time(8), PARIS) == utc(2026, 3, 29, 6)
    assert next_occurrence(utc(2026, 3, 28, 1), time(2, 30), PARIS) == utc(2026, 3, 28, 1, 30)
    assert next_occurrence(utc(2026, 3, 28, 1, 30), time(2, 30), PARIS) == utc(2026, 3, 29, 1)
    assert next_occurrence(utc(2026, 3, 29, 1), time(2, 30), PARIS) == utc(2026, 3, 30, 0, 30)
    # Days are local: 02:00Z on the 15th is 21:00 on the 14th in New York, 11:00 on the 15th in Tokyo.
    assert next_occurrence(utc(2026, 1, 15, 2), time(22), NEW_YORK) == utc(2026, 1, 15, 3)
    assert next_occurrence(utc(2026, 1, 15, 2), time(8), TOKYO) == utc(2026, 1, 15, 23)


def test_next_occurrence_weekdays() -> None:
    wednesday = utc(2026, 1, 14, 11, 30)
    assert next_occurrence(wednesday, time(8), PARIS, weekdays=frozenset({0})) == utc(2026, 1, 19, 7)
    assert next_occurrence(wednesday, time(8), PARIS, weekdays=frozenset({5, 6})) == utc(2026, 1, 17, 7)
    assert next_occurrence(wednesday, time(13), PARIS, weekdays=frozenset({2})) == utc(2026, 1, 14, 12)
    assert next_occurrence(wednesday, time(12), PARIS, weekdays=frozenset({2})) == utc(2026, 1, 21, 11)
    for bad in (frozenset(), frozenset({7}), frozenset({-1, 3})):
        with pytest.raises(ValueError, match="weekdays"):
            next_occurrence(wednesday, time(8), PARIS, weekdays=bad)


def test_next_occurrence_skip_is_a_local_date() -> None:
    # "Pas aujourd'hui" at 06:00Z on Thursday 15th: Friday at 08:00.
    assert next_occurrence(utc(2026, 1, 15, 6), time(8), PARIS, skip=date(2026, 1, 15)) == utc(2026, 1, 16, 7)
    # Skipping another day changes nothing today.
    assert next_occurrence(utc(2026, 1, 15, 6), time(8), PARIS, skip=date(2026, 1, 14)) == utc(2026, 1, 15, 7)
    # Thursdays only, skipping this one: next Thursday.
    thursdays = frozenset({3})
    assert next_occurrence(
        utc(2026, 1, 15, 6), time(8), PARIS, weekdays=thursdays, skip=date(2026, 1, 15)
    ) == utc(2026, 1, 22, 7)
    # 20:00Z on the 15th is already the 16th in Tokyo: skipping the 16th means 08:00 on the 17th.
    assert next_occurrence(utc(2026, 1, 15, 20), time(8), TOKYO, skip=date(2026, 1, 16)) == utc(
        2026, 1, 16, 23
    )


def test_local_date() -> None:
    assert local_date(utc(2026, 1, 15, 20), TOKYO) == date(2026, 1, 16)
    assert local_date(utc(2026, 1, 15, 20), PARIS) == date(2026, 1, 15)
    assert local_date(datetime(2026, 1, 16, 5, tzinfo=TOKYO), PARIS) == date(2026, 1, 15)


def test_naive_and_aware_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(datetime(2026, 1, 15, 6), time(8), PARIS)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 1, 15, 6), PARIS)  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        occurrence(date(2026, 1, 15), time(8, tzinfo=UTC), PARIS)


# Properties over every zone ----------------------------------------------------------------------


def wall_clock_reaches(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Brute force: the first UTC minute at which clocks in `zone` read `at` on `day` or later."""
    target = datetime.combine(day, at)
    # UTC offsets lie within -12:00..+14:00: at target - 14 h - 1 min (as UTC) clocks read before it.
    instant = target.replace(tzinfo=UTC) - timedelta(hours=14, minutes=1)
    while wall(instant, zone) < target:
        instant += timedelta(minutes=1)
    return instant


def exists(day: date, at: time, zone: ZoneInfo) -> bool:
    target = datetime.combine(day, at)
    return wall(target.replace(tzinfo=zone).astimezone(UTC), zone) == target


@cache
def transitions(key: str, year: int) -> tuple[datetime, ...]:
    """The instants (to the minute) at which the UTC offset of `key` changes during `year`."""
    zone, found = ZoneInfo(key), list[datetime]()
    instant = datetime(year, 1, 1, tzinfo=UTC)
    while instant.year == year:
        following = instant + timedelta(days=1)
        if offset(instant, zone) != offset(following, zone):
            low, high = 0, 24 * 60  # minutes: the offset at `low` is the old one, at `high` the new
            while high - low > 1:
                middle = (low + high) // 2
                if offset(instant + timedelta(minutes=middle), zone) == offset(instant, zone):
                    low = middle
                else:
                    high = middle
            found.append(instant + timedelta(minutes=high))
        instant = following
    return tuple(found)


ZONES = sorted(available_timezones())


@cache
def changing_zones() -> list[str]:
    """Zones whose offset differs between some Januaries and Julys of 2000-2037: they have transitions.
    Computed on first use (about 0.4 s), not when the test suite is collected."""
    return [
        key
        for key in ZONES
        if len(
            {
                offset(datetime(year, month, 1, tzinfo=UTC), ZoneInfo(key))
                for year in range(2000, 2038)
                for month in (1, 7)
            }
        )
        > 1
    ]


times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def zone_and_wall_time(draw: st.DrawFn) -> tuple[ZoneInfo, date, time]:
    """A zone and a wall time in 2000-2037, mostly within 70 minutes of one of its transitions
    (where wall times go missing or happen twice)."""
    year = draw(st.integers(2000, 2037))
    if draw(st.integers(0, 3)):
        key = draw(st.sampled_from(changing_zones()))
        zone, near = ZoneInfo(key), transitions(key, year)
        if near:
            change = draw(st.sampled_from(near))
            # The wall time at which the old offset ends: the start of a gap or of a repeated hour.
            start = wall(change - timedelta(minutes=1), zone) + timedelta(minutes=1)
            target = start + timedelta(minutes=draw(st.integers(-70, 70)))
            return zone, target.date(), target.time()
    else:
        zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    return zone, draw(st.dates(date(year, 1, 1), date(year, 12, 31))), draw(times)


property_settings = hsettings(
    deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@property_settings
@given(zone_and_wall_time())
@example((PARIS, date(2026, 3, 29), time(2, 30)))
@example((LORD_HOWE, date(2020, 10, 4), time(2, 15)))
@example((APIA, date(2011, 12, 30), time(8)))
def test_occurrence_is_when_the_wall_clock_first_reads_at(where: tuple[ZoneInfo, date, time]) -> None:
    zone, day, at = where
    result = occurrence(day, at, zone)
    assert result == wall_clock_reaches(day, at, zone)
    target, shown = datetime.combine(day, at), wall(result, zone)
    if exists(day, at, zone):
        assert shown == target
        # First occurrence: one minute earlier, clocks read before `at`.
        assert wall(result - timedelta(minutes=1), zone) < target
    else:
        gap = offset(result, zone) - offset(result - timedelta(minutes=1), zone)
        assert timedelta(0) < shown - target <= gap


@st.composite
def schedules(
    draw: st.DrawFn,
) -> tuple[ZoneInfo, datetime, time, frozenset[int] | None, date | None]:
    """A zone, an instant `after` near a (transition) wall time, that time, weekdays and a date to skip."""
    zone, day, at = draw(zone_and_wall_time())
    # Within two days of that wall time, whatever the zone's offset.
    after = datetime.combine(day, at, tzinfo=UTC) + timedelta(minutes=draw(st.integers(-2880, 2880)))
    weekdays = draw(st.none() | st.frozensets(st.integers(0, 6), min_size=1))
    skip = draw(st.none() | st.builds(lambda shift: day + timedelta(days=shift), st.integers(-1, 3)))
    return zone, after, at, weekdays, skip


def allowed(day: date, weekdays: frozenset[int] | None, skip: date | None) -> bool:
    return day != skip and (weekdays is None or day.weekday() in weekdays)


@property_settings
@given(schedules())
@example((PARIS, utc(2026, 10, 25, 0, 30), time(2, 30), None, None))
@example((PARIS, utc(2026, 3, 28, 23), time(2, 30), frozenset({6}), None))
@example((NEW_YORK, utc(2026, 1, 15, 2), time(22), frozenset({2}), None))
@example((APIA, utc(2011, 12, 29, 20), time(8), None, date(2011, 12, 31)))
def test_next_occurrence_is_the_first_allowed_reading_after(
    schedule: tuple[ZoneInfo, datetime, time, frozenset[int] | None, date | None],
) -> None:
    zone, after, at, weekdays, skip = schedule
    result = next_occurrence(after, at, zone, weekdays, skip)
    assert result > after
    day = local_date(result, zone)
    assert allowed(day, weekdays, skip)
    # The wall clock reads `at`, or `at` does not exist that day and this is the end of the gap.
    assert result == wall_clock_reaches(day, at, zone) == occurrence(day, at, zone)
    # No allowed date between `after` and the result was passed over: on each, the wall clock had
    # read `at` already, or never read it on that date.
    earlier = local_date(after, zone) - timedelta(days=1)
    while earlier < day:
        if allowed(earlier, weekdays, skip):
            reached = wall_clock_reaches(earlier, at, zone)
            assert reached <= after or local_date(reached, zone) != earlier
        earlier += timedelta(days=1)


@hsettings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedules())
@example((PARIS, utc(2026, 10, 24, 12), time(2, 30), None, None))
@example((LORD_HOWE, utc(2020, 4, 3, 12), time(1, 45), None, None))
@example((APIA, utc(2011, 12, 28, 12), time(8), None, None))
def test_next_occurrence_fires_once_per_local_date(
    schedule: tuple[ZoneInfo, datetime, time, frozenset[int] | None, date | None],
) -> None:
    zone, after, at, weekdays, skip = schedule
    fired = [next_occurrence(after, at, zone, weekdays, skip)]
    for _ in range(9):
        fired.append(next_occurrence(fired[-1], at, zone, weekdays, skip))
    dates = [local_date(instant, zone) for instant in fired]
    assert fired == sorted(set(fired))
    assert dates == sorted(set(dates))
    # Every allowed date between two reminders is one whose `at` fell into a gap past midnight.
    for previous, following in pairwise(dates):
        between = previous + timedelta(days=1)
        while between < following:
            if allowed(between, weekdays, skip):
                assert local_date(occurrence(between, at, zone), zone) != between
            between += timedelta(days=1)
