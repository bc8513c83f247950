"""A person's own rows read in SQL, for the few reads that every request (the session, the
user) and the overview, the today page and the check-in form make on every visit. Building a query with the ORM costs 0.15–0.25 ms on a small
host, running it a few microseconds: a page of five sections spent most of a millisecond
building. Equality filters only, values prepared by the model's own fields; anything richer
stays with the ORM."""

from __future__ import annotations

import functools
import weakref
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


def owned_rows(
    model: type[M],
    owner: Any,
    *,
    order: str = "",
    limit: int | None = None,
    for_update: bool = False,
    **equal: Any,
) -> list[M]:
    """``model``'s rows owned by ``owner`` whose fields equal ``equal``, ordered by ``order`` (SQL,
    column names: "target_date, created_at DESC"), at most ``limit``; as instances, decrypted on
    access like any other. ``for_update``: locked until the transaction ends, where the database
    locks rows (SQLite locks the whole database for a writing transaction anyway)."""
    return rows_where(model, order=order, limit=limit, for_update=for_update, owner=owner.pk, **equal)


def rows_where(
    model: type[M],
    *,
    using: str | None = None,
    order: str = "",
    limit: int | None = None,
    for_update: bool = False,
    **equal: Any,
) -> list[M]:
    """``model``'s rows whose fields equal ``equal`` (see ``owned_rows``), read from ``using``
    (the model's database for reads by default)."""
    alias = using or (router.db_for_write(model) if for_update else router.db_for_read(model))
    connection = connections[alias]
    sql, fields = _select(model, alias, tuple(equal), order, limit, for_update)
    params = [
        field.get_db_prep_value(value, connection)
        for field, value in zip(fields, equal.values(), strict=True)
    ]
    return rows_from_sql(model, sql, params, using=alias)


@functools.cache
def _select(
    model: type[Model], alias: str, names: tuple[str, ...], order: str, limit: int | None, for_update: bool
) -> tuple[str, list[Any]]:
    """The statement of a ``rows_where`` (built once per shape: most are made on every request)
    and the fields its parameters are prepared by."""
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in names]
    where = " AND ".join(f"{field.column} = %s" for field in fields)
    sql = f"SELECT {columns_of(model, alias)} FROM {meta.db_table} WHERE {where}"  # noqa: S608 — names from the model
    if order:
        sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if for_update and connections[alias].features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql, fields


def columns_of(model: type[Model], using: str | None = None) -> str:
    """The model's columns, in the order ``rows_from_sql`` reads them: "id", "owner_id", …"""
    quote = connections[using or router.db_for_read(model)].ops.quote_name
    return ", ".join(quote(f.column) for f in model._meta.concrete_fields)  # type: ignore[arg-type]


def rows_from_sql(model: type[M], sql: str, params: list[Any], *, using: str | None = None) -> list[M]:
    """Instances of ``model`` from a statement selecting ``columns_of(model)``, each value
    converted as the ORM converts it; for the few reads that equality filters cannot express."""
    alias = using or router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    names, converters = _reading(model, connection)
    instances = []
    for row in rows:
        values = list(row)
        for i, column, functions in converters:
            for convert in functions:
                values[i] = convert(values[i], column, connection)
        instances.append(model.from_db(alias, names, values))
    return instances


Reading = tuple[list[str], list[tuple[int, Any, list[Any]]]]
_readings: weakref.WeakKeyDictionary[Any, dict[type[Model], Reading]] = weakref.WeakKeyDictionary()


def _reading(model: type[Model], connection: Any) -> Reading:
    """The attribute names a row's values go to, and what the ORM applies to each value read (a
    date from SQLite's text, a ciphertext…), once per model and connection (some converters are
    the connection's own methods)."""
    known = _readings.setdefault(connection, {})
    if model not in known:
        meta = model._meta
        converters = []
        for i, field in enumerate(meta.concrete_fields):
            column = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((i, column, found))
        known[model] = ([f.attname for f in meta.concrete_fields], converters)
    return known[model]
