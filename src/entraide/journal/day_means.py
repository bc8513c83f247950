"""The means of each day, kept month by month (``DayMeans``) so that trends, comparisons and the
overview read a dozen encrypted rows for a year instead of decrypting every check-in.

A month's row is one encrypted dict (``FORMAT`` is its version)::

    {"v": 2, "days": {"14": {"n": 2, "sum": {"mood": 11, ...}, "count": {"mood": 2, ...},
                             "isum": {indicator id: 7.5}, "icount": {indicator id: 2},
                             "shared": {the same, without the check-ins marked private}}}}

For each day it keeps, per number of the check-ins (yes/no as 1 or 0), its sum and how many
check-ins gave it, so a write adds or takes away one check-in without reading the others.
``shared`` is there only for a day that has a private check-in (otherwise it is the day itself):
what a supporter may see never includes a private record (ARCHITECTURE.md, "reste privé").

The services call ``changed`` in the check-in's own transaction, after the write; it locks the
month's row (``select_for_update``). A reader checks the rows' check-in counts against the
check-ins and rebuilds a month that missed a change (bulk inserts, restored backups); a month in
an older format is rebuilt likewise (``rebuild_day_means`` rebuilds them all at once).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from entraide.journal.access import filter_checkins_of
from entraide.journal.models import Checkin, DayMeans

FORMAT = 2
Entry = dict[str, Any]
Payload = dict[str, Any]


def _numbers(values: dict[str, Any]) -> Iterable[tuple[str, float]]:
    for key, value in values.items():
        if isinstance(value, int | float):  # bool is an int: yes/no counts as 1 or 0
            yield key, float(value)


def _compact(value: float) -> float:
    """Six places (sums of decimals taken away again drift in the last digits); whole numbers as
    integers."""
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


@dataclass
class Totals:
    """Running sums and counts of some check-ins of one day."""

    n: int = 0
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    isums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    icounts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def take(self, payload: Payload, sign: int) -> None:
        self.n += sign
        for key, value in _numbers(payload):
            self.sums[key] = _compact(self.sums[key] + sign * value)
            self.counts[key] += sign
        for key, value in _numbers(payload.get("indicators") or {}):
            self.isums[key] = _compact(self.isums[key] + sign * value)
            self.icounts[key] += sign

    def entry(self) -> Entry:
        """The means, under the check-in's keys."""
        found: Entry = {"n": self.n}
        found.update({k: _compact(s / self.counts[k]) for k, s in self.sums.items() if self.counts[k] > 0})
        indicators = {k: _compact(s / self.icounts[k]) for k, s in self.isums.items() if self.icounts[k] > 0}
        if indicators:
            found["indicators"] = indicators
        return found

    def mean(self, key: str, *, indicator: bool = False) -> float | None:
        count = (self.icounts if indicator else self.counts).get(key, 0)
        return (self.isums if indicator else self.sums)[key] / count if count > 0 else None

    def dump(self) -> dict[str, Any]:
        def kept(sums: dict[str, float], counts: dict[str, int]) -> tuple[dict[str, float], dict[str, int]]:
            keys = [k for k, c in counts.items() if c > 0]
            return {k: sums[k] for k in keys}, {k: counts[k] for k in keys}

        sums, counts = kept(self.sums, self.counts)
        isums, icounts = kept(self.isums, self.icounts)
        return {"n": self.n, "sum": sums, "count": counts, "isum": isums, "icount": icounts}

    @classmethod
    def load(cls, stored: dict[str, Any]) -> Totals:
        return cls(
            n=stored["n"],
            sums=defaultdict(float, stored["sum"]),
            counts=defaultdict(int, stored["count"]),
            isums=defaultdict(float, stored["isum"]),
            icounts=defaultdict(int, stored["icount"]),
        )

    def copy(self) -> Totals:
        return Totals.load(self.dump())


@dataclass
class Day:
    """One day: the totals of all its check-ins, and those of the ones not marked private (``None``
    while the day has no private check-in: then they are the same)."""

    all: Totals = field(default_factory=Totals)
    shared_only: Totals | None = None

    @property
    def shared(self) -> Totals:
        return self.all if self.shared_only is None else self.shared_only

    def take(self, payload: Payload, sign: int, *, private: bool) -> None:
        if private and self.shared_only is None:
            self.shared_only = self.all.copy()  # from now on the two differ
        self.all.take(payload, sign)
        if not private and self.shared_only is not None:
            self.shared_only.take(payload, sign)

    def dump(self) -> dict[str, Any]:
        found = self.all.dump()
        if self.shared_only is not None:
            found["shared"] = self.shared_only.dump()
        return found

    @classmethod
    def load(cls, stored: dict[str, Any]) -> Day:
        shared = stored.get("shared")
        return cls(Totals.load(stored), Totals.load(shared) if shared is not None else None)


def mean_of(payloads: list[Payload]) -> Entry:
    """The means of one day's check-ins, computed straight from them."""
    totals = Totals()
    for payload in payloads:
        totals.take(payload, +1)
    return totals.entry()


# --- Months ---------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _months(start: date, end: date) -> list[date]:
    found, month = [], first_of_month(start)
    while month <= end:
        found.append(month)
        month = _next_month(month)
    return found


def _span(months: list[date]) -> tuple[date, date]:
    return months[0], _next_month(months[-1]) - timedelta(days=1)


def _days_of(row: DayMeans) -> dict[date, Day]:
    return {row.month.replace(day=int(d)): Day.load(stored) for d, stored in row.payload["days"].items()}


def _store(row: DayMeans, days: dict[date, Day]) -> None:
    kept = {d: day for d, day in days.items() if day.all.n > 0}
    row.checkins = sum(day.all.n for day in kept.values())
    row.payload = {"v": FORMAT, "days": {str(d.day): kept[d].dump() for d in sorted(kept)}}


def _is_current(row: DayMeans) -> bool:
    payload = row.payload
    return isinstance(payload, dict) and payload.get("v") == FORMAT


# --- Writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a change to a check-in: its day, its values, whether it was private."""

    day: date
    payload: Payload
    private: bool = False

    @classmethod
    def of(cls, checkin: Checkin) -> Side:
        return cls(checkin.local_date, dict(checkin.payload), checkin.private)


def changed(owner: Any, *, before: Side | None = None, after: Side | None = None) -> None:
    """A check-in was added (``after``), deleted (``before``) or changed (both): the months they
    fall in follow. Called inside the write's transaction, after the write: a month whose row is
    missing or in an older format is rebuilt from the check-ins as they now stand."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("day means change in the write's transaction")
    steps = [(side, sign) for side, sign in ((before, -1), (after, +1)) if side is not None]
    for month in sorted({first_of_month(side.day) for side, _sign in steps}):
        row = DayMeans.objects.select_for_update().filter(owner_id=owner.pk, month=month).first()
        if row is None or not _is_current(row):
            rebuild_month(owner, month)
            continue
        days = _days_of(row)
        for side, sign in steps:
            if first_of_month(side.day) == month:
                days.setdefault(side.day, Day()).take(side.payload, sign, private=side.private)
        _store(row, days)
        if row.checkins:
            row.save(update_fields=["checkins", "payload"])
        else:
            row.delete()


def rebuild_month(owner: Any, month: date) -> None:
    """The month's row built again from all its check-ins."""
    days: dict[date, Day] = defaultdict(Day)
    for checkin in (
        filter_checkins_of(owner)
        .filter(local_date__range=_span([month]))
        .only("id", "owner_id", "local_date", "private", "payload")
    ):
        days[checkin.local_date].take(checkin.payload, +1, private=checkin.private)
    with transaction.atomic():
        row = DayMeans.objects.select_for_update().filter(owner_id=owner.pk, month=month).first()
        if not days:
            if row is not None:
                row.delete()
            return
        row = row or DayMeans(owner_id=owner.pk, month=month)
        _store(row, days)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # another request made the month's row meanwhile: theirs is as good
            pass


def rebuild_all(owner: Any) -> None:
    """Every month of the person built again (after a bulk insert: the demo, the bench seed)."""
    with transaction.atomic():
        DayMeans.objects.filter(owner_id=owner.pk).delete()
        for month in filter_checkins_of(owner).dates("local_date", "month"):
            rebuild_month(owner, month)


# --- Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    """One stored month: its days with check-ins, oldest first."""

    days: list[date]
    totals: list[Day]

    @property
    def checkins(self) -> list[int]:
        """How many check-ins each day has, aligned with ``days``."""
        return [day.all.n for day in self.totals]

    def means(self, key: str, *, indicator: bool = False, shared: bool = False) -> list[float | None]:
        """The day means of a check-in key (or an indicator id), aligned with ``days``;
        ``shared``: without the check-ins marked private."""
        return [(day.shared if shared else day.all).mean(key, indicator=indicator) for day in self.totals]

    def entries(self, *, shared: bool = False) -> Iterator[tuple[date, Entry]]:
        for d, day in zip(self.days, self.totals, strict=True):
            totals = day.shared if shared else day.all
            if totals.n > 0:
                yield d, totals.entry()


def months(owner: Any, start: date, end: date) -> list[Month]:
    """The stored months that overlap ``start``–``end``, oldest first (all their days: the caller
    keeps those of its period). Two queries: the rows, and the check-ins' count that checks them."""
    wanted = _months(start, end)
    rows = list(DayMeans.objects.filter(owner_id=owner.pk, month__range=(wanted[0], wanted[-1])))
    counted = filter_checkins_of(owner).filter(local_date__range=_span(wanted)).count()
    if counted != sum(row.checkins for row in rows) or not all(_is_current(row) for row in rows):
        rows = _mend(owner, wanted, rows)
    found = []
    for row in sorted(rows, key=lambda row: row.month):
        days = _days_of(row)
        found.append(Month(sorted(days), [days[d] for d in sorted(days)]))
    return found


def day_entries(owner: Any, start: date, end: date, *, shared: bool = False) -> dict[date, Entry]:
    """The means of each day from ``start`` to ``end`` (inclusive) that has check-ins."""
    return {
        day: entry
        for month in months(owner, start, end)
        for day, entry in month.entries(shared=shared)
        if start <= day <= end
    }


def _mend(owner: Any, wanted: list[date], rows: list[DayMeans]) -> list[DayMeans]:
    """Rebuild the months whose row does not match their check-ins or is in an older format; the
    rows, as they are now."""
    stored = {row.month: row.checkins for row in rows if _is_current(row)}
    stale = {row.month for row in rows if not _is_current(row)}
    counts: dict[date, int] = defaultdict(int)
    per_day = (
        filter_checkins_of(owner)
        .filter(local_date__range=_span(wanted))
        .values_list("local_date")
        .annotate(count=Count("id"))
        .order_by()
    )
    for day, count in per_day:
        counts[first_of_month(day)] += count
    for month in wanted:
        if month in stale or counts.get(month, 0) != stored.get(month, 0):
            rebuild_month(owner, month)
    return list(DayMeans.objects.filter(owner_id=owner.pk, month__in=wanted))
