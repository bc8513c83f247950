"""The query hook of the page walk and the authorization matrix (docs/consent-gate.md, "Checked
by"): every SQL statement on a personal table must name whose rows it reads, and that owner must
be the visitor (``request.user``) or, on a route of audience ``gate``, a person the gate let this
request through to first (``circle.gate.passed_owners``). Anything else fails the test, naming the
statement, its owners and the route.

Test-side only: ``OwnerQueryMiddleware`` is added to the settings by ``watching`` (the root
conftest's ``owner_queries`` fixture), at the root of the middleware stack so the middleware's own
queries are watched too.

How the owner is read: personal tables are those of the ``PersonalModel`` subclasses of the
personal apps. A statement touches one when it reads from, joins, updates or inserts into it.
Its owners are the parameters of every ``"<table or alias>"."owner_id" = %s`` and
``… "owner_id" IN (%s, …)`` condition (Django writes both, qualified, on every backend), and, for
an ``INSERT``, the values of the ``owner_id`` column. A statement that names no owner passes only
when it selects child rows by their parent's id (``"<personal table>"."<fk>_id" IN (…)`` towards
another personal table, as ``prefetch_related`` does): the parents were read, and checked, first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection
from django.http import HttpRequest, HttpResponse

from entraide.circle import gate
from entraide.core.models import PersonalModel
from entraide.core.web.routes import audience_of

PERSONAL_APPS = frozenset({"journal", "goals", "thoughts", "assessments", "safety", "treatments"})
PLACEHOLDER = re.compile(r"(?<!%)%s")
OWNER_CONDITION = re.compile(r'"owner_id"\s*(=\s*%s|IN\s*\(([^)]*)\))', re.IGNORECASE)


@cache
def personal_tables() -> frozenset[str]:
    return frozenset(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, PersonalModel) and m._meta.app_label in PERSONAL_APPS
    )


@cache
def parent_links() -> frozenset[tuple[str, str]]:
    """(table, column) of the foreign keys from a personal table to another personal table."""
    tables = personal_tables()
    return frozenset(
        (m._meta.db_table, f.column)
        for m in apps.get_models()
        if m._meta.db_table in tables
        for f in m._meta.concrete_fields
        if f.is_relation and f.related_model is not None and f.related_model._meta.db_table in tables
    )


def touched_tables(sql: str) -> set[str]:
    named = set(re.findall(r'(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"', sql, re.IGNORECASE))
    return named & personal_tables()


def _as_uuid(value: object) -> uuid.UUID | object:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return value


def owners_in(sql: str, params: Any) -> list[object] | None:
    """The owners a statement names, or ``None`` when it names none."""
    params = list(params or ())
    found: list[object] = []
    named = False
    for match in OWNER_CONDITION.finditer(sql):
        named = True
        before = len(PLACEHOLDER.findall(sql[: match.start()]))
        count = 1 if match.group(2) is None else len(PLACEHOLDER.findall(match.group(2)))
        found.extend(_as_uuid(p) for p in params[before : before + count])
    insert = re.match(r'\s*INSERT\s+INTO\s+"\w+"\s*\(([^)]*)\)', sql, re.IGNORECASE)
    if insert:
        columns = [c.strip().strip('"') for c in insert.group(1).split(",")]
        if "owner_id" in columns:
            named = True
            at, width = columns.index("owner_id"), len(columns)
            found.extend(_as_uuid(p) for p in params[at::width])
    return found if named else None


def selects_children(sql: str) -> bool:
    return any(
        re.search(rf'"{table}"\."{column}"\s*(=|IN\b)', sql, re.IGNORECASE)
        for table, column in parent_links()
    )


@dataclass
class Watch:
    """What the hook saw during a test: how many personal statements, and every violation."""

    checked: int = 0
    violations: list[str] = field(default_factory=list)


_watching: list[Watch] = []  # the watch in force (one at most): set by ``watching``


class OwnerQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _watching:
            return self.get_response(request)
        passed: set[uuid.UUID] = set()
        token = gate.passed_owners.set(passed)
        try:
            with connection.execute_wrapper(self._hook(request, passed, _watching[-1])):
                return self.get_response(request)
        finally:
            gate.passed_owners.reset(token)

    @staticmethod
    def _hook(request: HttpRequest, passed: set[uuid.UUID], watch: Watch) -> Callable[..., Any]:
        def check(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            if touched_tables(sql):
                for one in params if many else [params]:
                    problem = _problem(request, passed, sql, one)
                    watch.checked += 1
                    if problem:
                        message = (
                            f"{problem}\n  route: {request.method} {request.get_full_path()}\n  SQL: {sql}"
                        )
                        watch.violations.append(message)
                        raise AssertionError(message)
            return execute(sql, params, many, context)

        return check


def _problem(request: HttpRequest, passed: set[uuid.UUID], sql: str, params: Any) -> str:
    user = getattr(request, "user", None)
    viewer = user.pk if user is not None and user.is_authenticated else None
    match = request.resolver_match
    on_gate = match is not None and audience_of(match.func, match.url_name) == "gate"
    owners = owners_in(sql, params)
    if owners is None:
        if sql.lstrip().upper().startswith("SELECT") and selects_children(sql):
            return ""
        return "a statement on a personal table names no owner"
    allowed = {viewer} | (passed if on_gate else set())
    strangers = [o for o in owners if o not in allowed]
    if not strangers:
        return ""
    if on_gate:
        return f"owners {strangers} read on a gate route before the gate let {viewer} through to them"
    return f"owners {strangers} read on a {('non-gate' if match else 'unresolved')} route by {viewer}"


@contextmanager
def watching(settings: Any) -> Iterator[Watch]:
    """Watch every request made inside (see the module's docstring); fail at the end on any
    violation, even one a view swallowed. ``settings``: pytest-django's fixture."""
    settings.MIDDLEWARE = ["tests.owner_queries.OwnerQueryMiddleware", *settings.MIDDLEWARE]
    watch = Watch()
    _watching.append(watch)
    try:
        yield watch
    finally:
        _watching.remove(watch)
    assert not watch.violations, "\n\n".join(watch.violations[:5])
