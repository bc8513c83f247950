"""The day means kept month by month: every write keeps them in step with the check-ins, a month
that missed a change is rebuilt on the next read, and the stored row is encrypted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.journal import day_means, insights, services
from entraide.journal.models import Checkin, DayMeans

PARIS = ZoneInfo("Europe/Paris")
MARCH = date(2026, 3, 1)
YEAR = timedelta(days=365)


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def from_checkins(owner, start, end):
    """What the means must be: computed straight from the check-ins."""
    days: dict[date, list[dict]] = {}
    for c in Checkin.objects.filter(owner=owner, local_date__range=(start, end)):
        days.setdefault(c.local_date, []).append(c.payload)
    return {day: day_means.mean_of(payloads) for day, payloads in sorted(days.items())}


def test_a_day_entry_is_the_mean_of_each_number_yes_no_as_one_or_zero():
    entry = day_means.mean_of(
        [
            {"mood": 4, "regular_meals": True, "note": "x", "emotions": ["calm"], "indicators": {"a": 2}},
            {"mood": 7, "regular_meals": False, "sleep_minutes": 420, "indicators": {"a": 5, "b": "texte"}},
        ]
    )
    assert entry == {
        "n": 2,
        "mood": 5.5,
        "regular_meals": 0.5,
        "sleep_minutes": 420.0,
        "indicators": {"a": 3.5},
    }


@pytest.mark.django_db
def test_writes_keep_the_month_rows_in_step(owner):
    first = services.record_checkin(owner, moment=at(1, 9), values={"mood": 4})
    services.record_checkin(owner, moment=at(1, 21), values={"mood": 7, "anxiety": 3})
    moved = services.record_checkin(owner, moment=at(31, 9), values={"mood": 2})
    assert day_means.day_entries(owner, MARCH, date(2026, 4, 30)) == from_checkins(
        owner, MARCH, date(2026, 4, 30)
    )
    assert DayMeans.objects.get(owner=owner, month=MARCH).checkins == 3

    # An edit that moves a check-in to the next month refreshes both months.
    services.update_checkin(moved, moment=at(2, 9, month=4), values={"mood": 9})
    entries = day_means.day_entries(owner, MARCH, date(2026, 4, 30))
    assert entries[date(2026, 4, 2)]["mood"] == 9
    assert date(2026, 3, 31) not in entries
    assert DayMeans.objects.get(owner=owner, month=MARCH).checkins == 2

    services.update_checkin(first, moment=first.moment, values={"mood": 6})
    assert day_means.day_entries(owner, MARCH, MARCH)[MARCH]["mood"] == 6.5

    services.delete_checkin(moved)
    assert not DayMeans.objects.filter(owner=owner, month=date(2026, 4, 1)).exists()
    assert day_means.day_entries(owner, MARCH, date(2026, 4, 30)) == from_checkins(
        owner, MARCH, date(2026, 4, 30)
    )


@pytest.mark.django_db
def test_a_month_that_missed_a_bulk_insert_is_rebuilt_on_read(owner, stranger):
    services.record_checkin(owner, moment=at(5, 9), values={"mood": 5})
    services.record_checkin(stranger, moment=at(5, 9), values={"mood": 1})
    Checkin.objects.bulk_create(
        [
            Checkin(owner=owner, moment=at(5, 20), local_date=date(2026, 3, 5), time_zone="Europe/Paris",
                    payload={"mood": 8}),
            Checkin(owner=owner, moment=at(9, 9, month=1), local_date=date(2026, 1, 9),
                    time_zone="Europe/Paris", payload={"energy": 3}),
        ]
    )  # fmt: skip
    values = insights.daily_values(owner, insights.BASE_MEASURES[:3], date(2026, 1, 1), date(2026, 3, 31))
    assert values["mood"] == [(date(2026, 3, 5), 6.5)]
    assert values["energy"] == [(date(2026, 1, 9), 3)]
    assert {r.month: r.checkins for r in DayMeans.objects.filter(owner=owner)} == {
        date(2026, 1, 1): 1,
        MARCH: 2,
    }
    # The other person's row is theirs, untouched.
    assert day_means.day_entries(stranger, MARCH, date(2026, 3, 31)) == {
        date(2026, 3, 5): {"n": 1, "mood": 1.0}
    }


@pytest.mark.django_db
def test_rebuild_all_matches_the_check_ins_and_the_row_is_encrypted(owner):
    for day in range(1, 29):
        services.record_checkin(owner, moment=at(day, 8, month=2), values={"mood": day % 11})
    DayMeans.objects.all().delete()
    day_means.rebuild_all(owner)
    assert day_means.day_entries(owner, date(2026, 2, 1), date(2026, 2, 28)) == from_checkins(
        owner, date(2026, 2, 1), date(2026, 2, 28)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM journal_daymeans")
        (stored,) = cursor.fetchone()
    assert b'"mood"' not in bytes(stored)


@pytest.mark.django_db
def test_reading_a_year_of_kept_months_takes_two_queries(owner, django_assert_num_queries):
    for month in range(1, 13):
        services.record_checkin(owner, moment=at(10, 9, month=month) - YEAR, values={"mood": month % 11})
    with django_assert_num_queries(2):  # the month rows, and the count that checks them
        entries = day_means.day_entries(owner, date(2025, 1, 1), date(2025, 12, 31))
    assert len(entries) == 12


@pytest.mark.django_db
def test_a_write_costs_the_same_however_many_check_ins_the_day_has(owner):
    """Adding a check-in adds to the day's sums: it never reads the day's other check-ins."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_one_more() -> int:
        with CaptureQueriesContext(connection) as captured:
            services.record_checkin(owner, moment=at(12, 10), values={"mood": 5})
        return len(captured.captured_queries)

    second = (services.record_checkin(owner, moment=at(12, 9), values={"mood": 4}), queries_of_one_more())[1]
    for _ in range(8):
        queries_of_one_more()
    assert queries_of_one_more() == second
    assert day_means.day_entries(owner, date(2026, 3, 12), date(2026, 3, 12))[date(2026, 3, 12)] == {
        "n": 11,
        "mood": round((4 + 5 * 10) / 11, 6),
    }


@pytest.mark.django_db
def test_decimals_added_and_taken_away_leave_no_drift(owner):
    indicator = services.create_indicator(owner, name="Poids", kind="number", unit="kg", choices=[])
    key = str(indicator.pk)
    kept = services.record_checkin(owner, moment=at(20, 8), values={"indicators": {key: "72.3"}})
    for value in ("0.1", "0.2", "71.7", "0.3"):
        passing = services.record_checkin(owner, moment=at(20, 9), values={"indicators": {key: value}})
        services.delete_checkin(passing)
    entry = day_means.day_entries(owner, date(2026, 3, 20), date(2026, 3, 20))[date(2026, 3, 20)]
    assert entry == {"n": 1, "indicators": {key: kept.payload["indicators"][key]}}


# An emotion in each: a check-in holds at least one value, and one without any measure still counts.
_values = st.fixed_dictionaries(
    {"emotions": st.just(["calm"])},
    optional={key: st.integers(0, 10) for key in ("mood", "anxiety", "energy")},
)
_steps = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(1, 3), st.integers(0, 50), _values),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_steps)
def test_any_sequence_of_writes_keeps_the_means_those_of_the_check_ins(owner, steps):
    """Writes that touch only a few columns of a day already there, and writes that add or
    remove a day or a column, in any order: the stored means stay those of the check-ins."""
    Checkin.objects.filter(owner=owner).delete()
    DayMeans.objects.filter(owner=owner).delete()
    kept: list[Checkin] = []
    for action, day, pick, values in steps:
        if action == "add" or not kept:
            kept.append(services.record_checkin(owner, moment=at(day, 9 + len(kept) % 12), values=values))
        elif action == "edit":
            checkin = kept[pick % len(kept)]
            services.update_checkin(checkin, moment=checkin.moment, values=values)
        else:
            services.delete_checkin(kept.pop(pick % len(kept)))
        stored = DayMeans.objects.filter(owner=owner, month=MARCH).first()
        assert (stored.checkins if stored else 0) == len(kept)
        assert day_means.day_entries(owner, MARCH, date(2026, 3, 31)) == from_checkins(
            owner, MARCH, date(2026, 3, 31)
        )


@pytest.mark.django_db
def test_private_check_ins_count_in_the_owners_means_but_not_in_the_shared_ones(owner):
    """The format keeps, beside the totals, the sums of the check-ins not marked private: what the
    circle will show a supporter never includes a private record."""
    services.record_checkin(owner, moment=at(6, 9), values={"mood": 2})
    secret = services.record_checkin(owner, moment=at(6, 12), values={"mood": 8, "energy": 9}, private=True)
    services.record_checkin(owner, moment=at(7, 9), values={"mood": 5})
    end = date(2026, 3, 31)
    assert day_means.day_entries(owner, MARCH, end) == from_checkins(owner, MARCH, end)
    assert day_means.day_entries(owner, MARCH, end, shared=True) == {
        date(2026, 3, 6): {"n": 1, "mood": 2},
        date(2026, 3, 7): {"n": 1, "mood": 5},
    }
    # Marked shared again, then private again, then edited and deleted: both stay right.
    services.mark_checkin_private(secret, private=False)
    assert day_means.day_entries(owner, MARCH, end, shared=True)[date(2026, 3, 6)]["mood"] == 5
    services.mark_checkin_private(secret, private=True)
    services.update_checkin(secret, moment=secret.moment, values={"mood": 0})
    assert day_means.day_entries(owner, MARCH, end, shared=True)[date(2026, 3, 6)] == {"n": 1, "mood": 2}
    assert day_means.day_entries(owner, MARCH, end)[date(2026, 3, 6)]["mood"] == 1
    services.delete_checkin(secret)
    assert day_means.day_entries(owner, MARCH, end, shared=True) == day_means.day_entries(owner, MARCH, end)
    # A rebuilt month keeps them apart too.
    services.record_checkin(owner, moment=at(7, 12), values={"mood": 9}, private=True)
    day_means.rebuild_all(owner)
    assert day_means.day_entries(owner, MARCH, end, shared=True)[date(2026, 3, 7)] == {"n": 1, "mood": 5}
    assert day_means.day_entries(owner, MARCH, end)[date(2026, 3, 7)] == {"n": 2, "mood": 7}


@pytest.mark.django_db
def test_a_month_in_an_older_format_is_rebuilt_on_first_read(owner):
    services.record_checkin(owner, moment=at(8, 9), values={"mood": 3})
    services.record_checkin(owner, moment=at(9, 9), values={"mood": 6})
    # The format before version 2: columns as JSON text, no version.
    DayMeans.objects.filter(owner=owner).update(checkins=2)
    row = DayMeans.objects.get(owner=owner)
    row.payload = {"days": [8, 9], "n": [1, 1], "sum": {"mood": "[3,6]"}, "count": {"mood": "[1,1]"},
                   "isum": {}, "icount": {}}  # fmt: skip
    row.save()
    assert day_means.day_entries(owner, MARCH, date(2026, 3, 31)) == {
        date(2026, 3, 8): {"n": 1, "mood": 3},
        date(2026, 3, 9): {"n": 1, "mood": 6},
    }
    assert DayMeans.objects.get(owner=owner).payload["v"] == day_means.FORMAT
    # A write to an old-format month rebuilds it too, counting the new check-in once.
    row = DayMeans.objects.get(owner=owner)
    row.payload = {"days": [8], "n": [1], "sum": {}, "count": {}, "isum": {}, "icount": {}}
    row.save()
    services.record_checkin(owner, moment=at(9, 20), values={"mood": 8})
    assert DayMeans.objects.get(owner=owner).checkins == 3
    assert day_means.day_entries(owner, MARCH, date(2026, 3, 31))[date(2026, 3, 9)] == {"n": 2, "mood": 7}


@pytest.mark.django_db(transaction=True)
def test_day_means_change_only_inside_the_writes_transaction(owner):
    with pytest.raises(transaction.TransactionManagementError):
        day_means.changed(owner, after=day_means.Side(MARCH, {"mood": 3}))
    assert not DayMeans.objects.exists()


@pytest.mark.django_db
def test_rebuild_day_means_command_rebuilds_one_person_or_everyone(owner, stranger):
    from io import StringIO

    from django.core.management import call_command

    services.record_checkin(owner, moment=at(5, 9), values={"mood": 5})
    services.record_checkin(stranger, moment=at(5, 9), values={"mood": 1})
    DayMeans.objects.all().delete()
    out = StringIO()
    call_command("rebuild_day_means", "--dry-run", "--all", stdout=out)
    assert not DayMeans.objects.exists() and "2" in out.getvalue()
    call_command("rebuild_day_means", str(owner.pk), stdout=out)
    assert list(DayMeans.objects.values_list("owner_id", flat=True)) == [owner.pk]
    call_command("rebuild_day_means", "--all", stdout=out)
    assert DayMeans.objects.count() == 2
    assert day_means.day_entries(stranger, MARCH, date(2026, 3, 31)) == {
        date(2026, 3, 5): {"n": 1, "mood": 1}
    }
