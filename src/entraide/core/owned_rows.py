"""A person's own rows read in SQL, for the few reads that the overview and the today page make
on every visit. Building a query with the ORM costs 0.15–0.25 ms on a small host, running it a
few microseconds: a page of five sections spent most of a millisecond building. Equality filters
only, values prepared by the model's own fields; anything richer stays with the ORM."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)


def owned_rows(
    model: type[M], owner: Any, *, order: str = "", limit: int | None = None, **equal: Any
) -> list[M]:
    """``model``'s rows owned by ``owner`` whose fields equal ``equal``, ordered by ``order`` (SQL,
    column names: "target_date, created_at DESC"), at most ``limit``; as instances, decrypted on
    access like any other."""
    connection = connections[model.objects.db]  # type: ignore[attr-defined]
    clauses, params = [], []
    for name, value in {"owner": owner.pk, **equal}.items():
        field = model._meta.get_field(name)
        clauses.append(f"{field.column} = %s")  # type: ignore[union-attr]
        params.append(field.get_db_prep_value(value, connection))  # type: ignore[union-attr]
    sql = f"SELECT * FROM {model._meta.db_table} WHERE {' AND '.join(clauses)}"  # noqa: S608 — names from the model
    if order:
        sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return list(model.objects.raw(sql, params))  # type: ignore[attr-defined]
