"""One row written in SQL, for the writes a check-in or a questionnaire makes on every submit.
Like ``core.owned_rows`` for reads: the ORM spends 0.1–0.2 ms building each INSERT or UPDATE
that SQLite runs in a few microseconds. Values go through each field's own ``pre_save`` and
``get_db_prep_save`` (encrypted fields encrypt there), as in ``Model.save``; no signals are sent
(none of these models has receivers), so use it only for such models."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.db import connections, router
from django.db.models import Model


def insert_row(instance: Model) -> None:
    """``instance.save()`` of a new row: its primary key is chosen in Python or returned by the
    database."""
    meta = instance._meta
    alias = instance._state.db or router.db_for_write(type(instance), instance=instance)
    connection = connections[alias]
    sql, fields, returned = _insert(type(instance), alias, instance.pk is None)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returned is not None:
            (value,) = cursor.fetchone()
            for convert in returned.get_db_converters(connection):
                value = convert(value, returned.get_col(meta.db_table), connection)
            setattr(instance, returned.attname, value)
    instance._state.adding = False
    instance._state.db = alias


@functools.cache
def _insert(model: type[Model], alias: str, auto_pk: bool) -> tuple[str, list[Any], Any]:
    """The INSERT of a ``model`` row (built once per model), the fields whose values it takes,
    and, for a key the database gives (``auto_pk``), the primary key it returns."""
    meta = model._meta
    returned: Any = meta.pk if auto_pk else None
    fields: list[Any] = [f for f in meta.concrete_fields if f is not returned]
    quote = connections[alias].ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 — names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returned is not None:
        sql += f" RETURNING {quote(returned.column)}"
    return sql, fields, returned


def update_columns(instance: Model, *names: str, unchanged: Mapping[str, Any] | None = None) -> int:
    """``instance.save(update_fields=names)``: the number of rows updated (0 if it is gone).
    ``unchanged``: only if these columns still hold these values (as read, before any
    conversion): 0 when another writer changed them since."""
    meta = instance._meta
    alias = instance._state.db or router.db_for_write(type(instance), instance=instance)
    connection = connections[alias]
    fields: list[Any] = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in fields]
    pk: Any = meta.pk  # every model has one
    conditions = [f"{quote(pk.column)} = %s"]
    params.append(pk.get_db_prep_value(instance.pk, connection))
    for name, value in (unchanged or {}).items():
        field: Any = meta.get_field(name)
        conditions.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {' AND '.join(conditions)}",  # noqa: S608 — names from the model
            params,
        )
        return int(cursor.rowcount)
