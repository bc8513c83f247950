"""The means of each day, kept month by month (``DayMeans``) so that trends, comparisons and the
overview read a dozen encrypted rows for a year instead of decrypting every check-in.

For each day the row keeps, per number of the check-ins (yes/no as 1 or 0), its sum and how many
check-ins gave it, so that a write adds or takes away one check-in without reading the others
(``add`` and ``remove``, called by the services in their transaction). A month is stored by columns,
each key once, not once a day::

    {"days": [day of month, ...], "n": [check-ins, ...],
     "sum": {"mood": "[...]", ...}, "count": {"mood": "[...]", ...},
     "isum": {indicator id: "[...]"}, "icount": {indicator id: "[...]"}}

(0 where a day has no such value; each column is JSON text, decoded only when read). A reader
checks the rows' check-in counts against the check-ins and rebuilds a month that missed a change
(bulk inserts, restored backups). ``day_entries`` gives a day's means under the check-in's own
keys, so that ``insights.Measure.value`` reads them as it reads a check-in.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, connections, transaction
from django.db.models import Count

from entraide.core.fields import seal
from entraide.core.owned_rows import columns_of, owned_rows, rows_from_sql
from entraide.core.row_writes import update_columns
from entraide.journal.access import filter_checkins_of
from entraide.journal.models import DayMeans

Entry = dict[str, Any]
Payload = dict[str, Any]


def _numbers(values: dict[str, Any]) -> Iterable[tuple[str, float]]:
    for key, value in values.items():
        if isinstance(value, int | float):  # bool is an int: yes/no counts as 1 or 0
            yield key, float(value)


@dataclass
class Day:
    """Running sums and counts of one day's check-ins."""

    n: int = 0
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    isums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    icounts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def take(self, payload: Payload, sign: int) -> None:
        self.n += sign
        for key, value in _numbers(payload):
            self.sums[key] += sign * value
            self.counts[key] += sign
        for key, value in _numbers(payload.get("indicators") or {}):
            self.isums[key] += sign * value
            self.icounts[key] += sign

    def entry(self) -> Entry:
        """The day's means, under the check-in's keys."""
        found: Entry = {"n": self.n}
        found.update({k: _mean(s, self.counts[k]) for k, s in self.sums.items() if self.counts[k] > 0})
        indicators = {k: _mean(s, self.icounts[k]) for k, s in self.isums.items() if self.icounts[k] > 0}
        if indicators:
            found["indicators"] = indicators
        return found


def _mean(total: float, count: int) -> float:
    return _compact(total / count)


def mean_of(payloads: list[Payload]) -> Entry:
    """The means of one day's check-ins, computed straight from them."""
    day = Day()
    for payload in payloads:
        day.take(payload, +1)
    return day.entry()


# --- A month's row: columns in, days out -------------------------------------------------------


def _to_columns(days: dict[date, Day]) -> dict[str, Any]:
    ordered = sorted(d for d, day in days.items() if day.n > 0)
    found: dict[str, Any] = {"days": [d.day for d in ordered], "n": [days[d].n for d in ordered]}
    for sums, counts, sum_key, count_key in (
        ("sums", "counts", "sum", "count"),
        ("isums", "icounts", "isum", "icount"),
    ):
        keys = sorted({k for d in ordered for k, c in getattr(days[d], counts).items() if c > 0})
        found[sum_key] = {
            k: _text([_compact(getattr(days[d], sums).get(k, 0)) for d in ordered]) for k in keys
        }
        found[count_key] = {k: _text([getattr(days[d], counts).get(k, 0) for d in ordered]) for k in keys}
    return found


def _text(column: list[float]) -> str:
    """A column as JSON text inside the row's JSON: decoding the row then only scans it, and a
    reader decodes the columns it needs (one measure of thirty: ~4x faster for a chart)."""
    return json.dumps(column, separators=(",", ":"))


def _compact(value: float) -> float:
    """Six places (sums of decimals taken away again drift in the last digits); whole numbers as
    integers (shorter to store and to decode)."""
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


@functools.lru_cache(maxsize=256)
def _month_days(month: date) -> tuple[date, ...]:
    """Every day of a month, made once: a year's read names four hundred days."""
    following = _next_month(month)
    return tuple(month + timedelta(days=i) for i in range((following - month).days))


def _days_of(month: date, numbers: list[int]) -> list[date]:
    every = _month_days(month)
    return [every[d - 1] for d in numbers]


def _from_columns(month: date, columns: dict[str, Any]) -> dict[date, Day]:
    days = _days_of(month, columns["days"])
    found = {d: Day(n=n) for d, n in zip(days, columns["n"], strict=True)}
    for attr, key in (("sums", "sum"), ("counts", "count"), ("isums", "isum"), ("icounts", "icount")):
        for name, text in columns[key].items():
            for d, value in zip(days, json.loads(text), strict=True):
                getattr(found[d], attr)[name] = value
    return found


# --- Writes ---------------------------------------------------------------------------------


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


def _save(owner: Any, month: date, row: DayMeans | None, days: dict[date, Day]) -> None:
    count = sum(day.n for day in days.values() if day.n > 0)
    if count == 0:
        if row is not None:
            row.delete()
        return
    if row is None:
        row = DayMeans(owner=owner, month=month)
    row.checkins, row.payload = count, _to_columns(days)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # another request made the month's row in the meantime: rebuild it
        rebuild_month(owner, month)


def _patched(columns: dict[str, Any], day: date, payload: Payload, sign: int) -> dict[str, Any] | None:
    """The month's columns with one check-in of ``day`` added or taken away, touching only the
    columns it has values in (a check-in holds a few of the month's forty); ``None`` when the
    change adds or removes a day or a column: then the whole month is rewritten."""
    try:
        i = columns["days"].index(day.day)
    except ValueError:
        return None
    n = list(columns["n"])
    n[i] += sign
    if n[i] <= 0:
        return None
    patched = {**columns, "n": n}
    for sum_key, count_key, values in (
        ("sum", "count", payload),
        ("isum", "icount", payload.get("indicators") or {}),
    ):
        sums, counts = dict(columns[sum_key]), dict(columns[count_key])
        for key, value in _numbers(values):
            if key not in sums:
                return None
            day_sums, day_counts = json.loads(sums[key]), json.loads(counts[key])
            day_sums[i] = _compact(day_sums[i] + sign * value)
            day_counts[i] += sign
            sums[key], counts[key] = _text(day_sums), _text(day_counts)
        patched[sum_key], patched[count_key] = sums, counts
    return patched


def _change(owner: Any, day: date, payload: Payload, sign: int) -> None:
    month = first_of_month(day)
    row = next(iter(owned_rows(DayMeans, owner, month=month, for_update=True)), None)
    patched = _patched(row.payload, day, payload, sign) if row is not None else None
    if row is not None and patched is not None:
        row.checkins, row.payload = row.checkins + sign, patched
        update_columns(row, "checkins", "payload")
        return
    days = _from_columns(month, row.payload) if row is not None else {}
    days.setdefault(day, Day()).take(payload, sign)
    _save(owner, month, row, days)


def add(owner: Any, day: date, payload: Payload) -> None:
    """A check-in of ``day`` was saved: called in the same transaction."""
    _change(owner, day, payload, +1)


@dataclass
class PreparedAdd:
    """``add``, worked out before the transaction (``prepare_add``): the month's row as read then,
    patched and encrypted again. In the transaction, ``apply`` writes it only if the row is still
    as read, and otherwise does what ``add`` does: nothing is lost when another writer came
    between, and in the usual case the transaction holds one UPDATE instead of the whole work."""

    owner: Any
    day: date
    payload: Payload
    row: DayMeans | None = None  # patched and sealed, ready to write
    read: bytes = b""  # the row's ciphertext when it was read

    def apply(self) -> None:
        if self.row is not None and update_columns(
            self.row, "checkins", "payload", unchanged={"payload": self.read}
        ):
            return
        _change(self.owner, self.day, self.payload, +1)


def prepare_add(owner: Any, day: date, payload: Payload) -> PreparedAdd:
    """``add`` prepared outside the transaction (``PreparedAdd``)."""
    prepared = PreparedAdd(owner, day, payload)
    row = next(iter(owned_rows(DayMeans, owner, month=first_of_month(day))), None)
    if row is None:
        return prepared  # a new month's row: made in the transaction
    read = bytes(row.__dict__["payload"])
    patched = _patched(row.payload, day, payload, +1)
    if patched is not None:
        row.checkins, row.payload = row.checkins + 1, patched
        seal(row, "payload")
        prepared.row, prepared.read = row, read
    return prepared


def remove(owner: Any, day: date, payload: Payload) -> None:
    """A check-in of ``day`` was deleted, or is about to change (then ``add`` its new values)."""
    _change(owner, day, payload, -1)


def rebuild_month(owner: Any, month: date) -> None:
    """The month's row built again from all its check-ins."""
    days: dict[date, Day] = defaultdict(Day)
    for checkin in (
        filter_checkins_of(owner)
        .filter(local_date__range=_span([month]))
        .only("id", "owner_id", "local_date", "payload")
    ):
        days[checkin.local_date].take(checkin.payload, +1)
    with transaction.atomic():
        row = DayMeans.objects.select_for_update().filter(owner_id=owner.pk, month=month).first()
        _save(owner, month, row, days)


def rebuild_all(owner: Any) -> None:
    """Every month of the person built again (after a bulk insert: the demo, the bench seed)."""
    with transaction.atomic():
        DayMeans.objects.filter(owner_id=owner.pk).delete()
        for month in filter_checkins_of(owner).dates("local_date", "month"):
            rebuild_month(owner, month)


# --- Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    """One stored month, for readers that take a measure's column at a time."""

    days: list[date]
    columns: dict[str, Any]

    @property
    def checkins(self) -> list[int]:
        """How many check-ins each day has, aligned with ``days``."""
        return list(self.columns["n"])

    def means(self, key: str, *, indicator: bool = False) -> list[float | None]:
        """The day means of a check-in key (or an indicator id), aligned with ``days``."""
        sums_text = self.columns["isum" if indicator else "sum"].get(key)
        if sums_text is None:
            return [None] * len(self.days)
        sums, counts = (
            json.loads(sums_text),
            json.loads(self.columns["icount" if indicator else "count"][key]),
        )
        return [s / c if c else None for s, c in zip(sums, counts, strict=True)]


# Every chart, the overview and the today page read months: building these two queries with the
# ORM took ~0.4 ms a page, running them ~0.03 ms. They are written once here, in plain SQL.
_ROWS_SQL = "SELECT {columns} FROM journal_daymeans WHERE owner_id = %s AND month BETWEEN %s AND %s"
_COUNT_SQL = "SELECT COUNT(*) FROM journal_checkin WHERE owner_id = %s AND local_date BETWEEN %s AND %s"


def _stored(owner: Any, first: date, last: date) -> tuple[list[DayMeans], int]:
    """The owner's stored months from ``first`` to ``last`` (first days of months), and how many
    check-ins those months hold now."""
    connection = connections[DayMeans.objects.db]
    owner_id = DayMeans._meta.get_field("owner").get_db_prep_value(owner.pk, connection)
    day = DayMeans._meta.get_field("month")
    span = _span([first, last])
    rows = rows_from_sql(
        DayMeans,
        _ROWS_SQL.format(columns=columns_of(DayMeans, connection.alias)),
        [owner_id, *(day.get_db_prep_value(d, connection) for d in (first, last))],
        using=connection.alias,
    )
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [owner_id, *(day.get_db_prep_value(d, connection) for d in span)])
        (counted,) = cursor.fetchone()
    return rows, int(counted)


def months(owner: Any, start: date, end: date) -> list[Month]:
    """The stored months that overlap ``start``–``end``, oldest first (all their days: the caller
    keeps those of its period)."""
    wanted = _months(start, end)
    rows, counted = _stored(owner, wanted[0], wanted[-1])
    if counted != sum(row.checkins for row in rows):
        rows = _mend(owner, wanted, rows)
    rows.sort(key=lambda row: row.month)
    return [Month(_days_of(row.month, row.payload["days"]), row.payload) for row in rows]


def day_entries(owner: Any, start: date, end: date) -> dict[date, Entry]:
    """The means of each day from ``start`` to ``end`` (inclusive) that has check-ins."""
    found: dict[date, Entry] = {}
    for month in months(owner, start, end):
        first = month.days[0].replace(day=1)
        for day, totals in _from_columns(first, month.columns).items():
            if start <= day <= end:
                found[day] = totals.entry()
    return found


def _mend(owner: Any, wanted: list[date], rows: list[DayMeans]) -> list[DayMeans]:
    """Rebuild the months whose row does not match their check-ins; the rows, as they are now."""
    stored = {row.month: row.checkins for row in rows}
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
        if counts.get(month, 0) != stored.get(month, 0):
            rebuild_month(owner, month)
    return list(DayMeans.objects.filter(owner_id=owner.pk, month__in=wanted))
