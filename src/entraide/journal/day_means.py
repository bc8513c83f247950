"""The means of each day, kept month by month (``DayMeans``) so that trends, comparisons and the
overview read a dozen encrypted rows for a year instead of decrypting every check-in.

A day's entry is the mean of each number (and yes/no, as 1 or 0) of that day's check-ins, under the
check-in's own keys, so that ``insights.Measure.value`` reads an entry as it reads a check-in. A
month is stored by columns (``{"days": [day of month...], "n": [...], "values": {key: [...]},
"indicators": {id: [...]}}``, ``null`` where a day has no such value): each key once, not once a day.
The services refresh the days they touch, in their transaction; a reader checks the row counts
against the check-ins and rebuilds a month that missed a change (bulk inserts, restored backups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from entraide.journal.access import filter_checkins_of
from entraide.journal.models import DayMeans

Entry = dict[str, Any]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float)  # bool is an int: yes/no counts as 1 or 0


def mean_of(payloads: list[dict[str, Any]]) -> Entry:
    """The entry of one day: ``n`` check-ins, then the mean of every number they hold."""
    top: dict[str, list[float]] = defaultdict(list)
    inds: dict[str, list[float]] = defaultdict(list)
    for payload in payloads:
        for key, value in payload.items():
            if _is_number(value):
                top[key].append(float(value))
        for key, value in (payload.get("indicators") or {}).items():
            if _is_number(value):
                inds[key].append(float(value))
    entry: Entry = {"n": len(payloads)}
    entry.update({key: _mean(values) for key, values in top.items()})
    if inds:
        entry["indicators"] = {key: _mean(values) for key, values in inds.items()}
    return entry


def _mean(values: list[float]) -> float:
    """Whole means stored as integers and others to six places: a month decodes ~3x faster."""
    mean = round(sum(values) / len(values), 6)
    return int(mean) if mean.is_integer() else mean


def _columns(days: dict[date, Entry]) -> dict[str, Any]:
    ordered = sorted(days)
    values = sorted({k for e in days.values() for k in e if k not in ("n", "indicators")})
    indicators = sorted({k for e in days.values() for k in e.get("indicators", {})})
    return {
        "days": [d.day for d in ordered],
        "n": [days[d]["n"] for d in ordered],
        "values": {k: [days[d].get(k) for d in ordered] for k in values},
        "indicators": {k: [days[d].get("indicators", {}).get(k) for d in ordered] for k in indicators},
    }


def _entries(month: date, columns: dict[str, Any]) -> dict[date, Entry]:
    days = _days(month, columns)
    entries: dict[date, Entry] = {d: {"n": n} for d, n in zip(days, columns["n"], strict=True)}
    for key, column in columns["values"].items():
        for d, value in zip(days, column, strict=True):
            if value is not None:
                entries[d][key] = value
    for key, column in columns["indicators"].items():
        for d, value in zip(days, column, strict=True):
            if value is not None:
                entries[d].setdefault("indicators", {})[key] = value
    return entries


def _days(month: date, columns: dict[str, Any]) -> list[date]:
    return [month.replace(day=d) for d in columns["days"]]


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


def _locked_row(owner: Any, month: date) -> DayMeans | None:
    return DayMeans.objects.select_for_update().filter(owner_id=owner.pk, month=month).first()


def _save(owner: Any, month: date, row: DayMeans | None, days: dict[date, Entry]) -> None:
    if not days:
        if row is not None:
            row.delete()
        return
    count = sum(int(entry["n"]) for entry in days.values())
    if row is None:
        row = DayMeans(owner=owner, month=month)
    row.checkins, row.payload = count, _columns(days)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # another request made the month's row in the meantime: rebuild it
        rebuild_month(owner, month)


def refresh_days(owner: Any, days: Iterable[date]) -> None:
    """Recompute the entries of ``days`` from their check-ins; called by every write of a
    check-in, inside its transaction."""
    by_month: dict[date, set[date]] = defaultdict(set)
    for day in days:
        by_month[first_of_month(day)].add(day)
    for month, touched in by_month.items():
        payloads: dict[date, list[dict[str, Any]]] = defaultdict(list)
        for checkin in (
            filter_checkins_of(owner)
            .filter(local_date__in=touched)
            .only("id", "owner_id", "local_date", "payload")
        ):
            payloads[checkin.local_date].append(checkin.payload)
        row = _locked_row(owner, month)
        entries = _entries(month, row.payload) if row is not None else {}
        for day in touched:
            if payloads.get(day):
                entries[day] = mean_of(payloads[day])
            else:
                entries.pop(day, None)
        _save(owner, month, row, entries)


def rebuild_month(owner: Any, month: date) -> None:
    """The month's row built again from all its check-ins."""
    payloads: dict[date, list[dict[str, Any]]] = defaultdict(list)
    end = _next_month(month) - timedelta(days=1)
    for checkin in (
        filter_checkins_of(owner)
        .filter(local_date__range=(month, end))
        .only("id", "owner_id", "local_date", "payload")
    ):
        payloads[checkin.local_date].append(checkin.payload)
    with transaction.atomic():
        row = _locked_row(owner, month)
        _save(owner, month, row, {day: mean_of(p) for day, p in payloads.items()})


def rebuild_all(owner: Any) -> None:
    """Every month of the person built again (after a bulk insert: the demo, the bench seed)."""
    with transaction.atomic():
        DayMeans.objects.filter(owner_id=owner.pk).delete()
        dates = filter_checkins_of(owner).dates("local_date", "month")
        for month in dates:
            rebuild_month(owner, month)


def month_columns(owner: Any, start: date, end: date) -> list[tuple[list[date], dict[str, Any]]]:
    """The stored months that overlap ``start``–``end``, oldest first: each one's days (all of the
    month's days with check-ins, to be filtered by the caller) and its columns."""
    months = _months(start, end)
    rows = list(DayMeans.objects.filter(owner_id=owner.pk, month__in=months))
    counted = filter_checkins_of(owner).filter(local_date__range=_span(months)).count()
    if counted != sum(row.checkins for row in rows):
        rows = _mend(owner, months, rows)
    rows.sort(key=lambda row: row.month)
    return [(_days(row.month, row.payload), row.payload) for row in rows]


def day_entries(owner: Any, start: date, end: date) -> dict[date, Entry]:
    """The entries of the days from ``start`` to ``end`` (inclusive) that have check-ins."""
    found: dict[date, Entry] = {}
    for days, columns in month_columns(owner, start, end):
        month = days[0].replace(day=1)
        found.update((day, e) for day, e in _entries(month, columns).items() if start <= day <= end)
    return found


def _span(months: list[date]) -> tuple[date, date]:
    return months[0], _next_month(months[-1]) - timedelta(days=1)


def _mend(owner: Any, months: list[date], rows: list[DayMeans]) -> list[DayMeans]:
    """Rebuild the months whose row does not match their check-ins; the rows, as they are now."""
    stored = {row.month: row.checkins for row in rows}
    counts: dict[date, int] = defaultdict(int)
    per_day = (
        filter_checkins_of(owner)
        .filter(local_date__range=_span(months))
        .values_list("local_date")
        .annotate(count=Count("id"))
        .order_by()
    )
    for day, count in per_day:
        counts[first_of_month(day)] += count
    for month in months:
        if counts.get(month, 0) != stored.get(month, 0):
            rebuild_month(owner, month)
    return list(DayMeans.objects.filter(owner_id=owner.pk, month__in=months))
