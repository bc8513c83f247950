"""Hostile values in every API operation of the OpenAPI schema: one request per (parameter or body
field, kind of value), the rest of the request valid, as the person who owns the rows named in
the path. Never a server error. The kinds are tests/project/hostile.py's, in JSON: a 1 MB string,
a NUL, a lone surrogate (the JSON form of invalid UTF-16; invalid UTF-8 bytes are sent once per
body and in every query or path parameter), emoji, negative and huge numbers, years 0001 and
9999, malformed dates and times, and each field twice in one body.

Each request runs in a savepoint rolled back after it. ``make hostile`` runs this alone.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from entraide.api.tests.conftest import every_area_token
from entraide.api.tests.test_schemathesis import (  # noqa: F401  # fixtures
    assessments_of,
    community_of,
    goals_of,
    safety_of,
    thoughts_of,
    treatments_of,
)
from entraide.api.v1 import api
from entraide.core import instance
from entraide.core.encryption import crypto
from tests.project.hostile import MEGABYTE

pytestmark = [pytest.mark.hostile, pytest.mark.django_db, pytest.mark.timeout(600)]
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")

TEXT: dict[str, Any] = {
    "1 MB": "a" * MEGABYTE,
    "NUL": "Ti\x00tre",
    "lone surrogate": "caf\ud800",
    "emoji": "🌱 👩🏽‍⚕️ ok",
}
NUMBERS: dict[str, Any] = {"negative": -1, "huge": 10**40, "huge float": 1e308}
DATES = {
    "year 0001": "0001-01-01",
    "year 9999": "9999-12-31",
    "first day": "1900-01-01",  # core.dates' range: these get through
    "last day": "2199-12-31",
    "malformed date": "2026-02-30",
}
DATETIMES = {
    "year 0001": "0001-01-01T00:00:00+01:00",
    "year 9999": "9999-12-31T23:59:59-01:00",
    "first day": "1900-01-01T00:00:00+14:00",
    "last day": "2199-12-31T23:59:59-12:00",
    "malformed date": "2026-02-30T25:61:00Z",
}
INVALID_UTF8 = b"caf\xc3\xff"
# Parameters in a URL: the text kinds as the URL carries them, and invalid UTF-8.
PARAMETER: dict[str, Any] = {
    "1 MB": "a" * MEGABYTE,
    "NUL": "Ti\x00tre",
    "invalid UTF-8": INVALID_UTF8,
    "emoji": "🌱 👩🏽‍⚕️ ok",
    "negative": "-1",
    "huge": "9" * 40,
    **DATES,
    # The same years in ISO 8601's basic format, as a dose's key in a URL (YYYYMMDDTHHMMSSZ).
    "year 0001, basic format": "00010101T000000Z",
    "year 9999, basic format": "99991231T235959Z",
}

# What makes a body valid beyond the schema's required fields (one of several, a kind's own).
MORE: dict[str, dict[str, Any]] = {
    "createCheckin": {"mood": 5},  # a check-in with nothing in it is refused
    "updateCheckin": {"mood": 5},
    "createTreatmentSchedule": {"kind": "daily", "times": ["08:00"]},
    "updateTreatmentSchedule": {"kind": "daily", "times": ["08:00"]},
    "createQuestionnaireResponse": {"questionnaire": "who5", "answers": [3, 3, 3, 3, 3]},
    "createIndicator": {"name": "Marche", "kind": "number", "unit": "km"},
    "createEntry": {"body": "Texte"},
    "updateEntry": {"body": "Texte"},
    "rateRecovery": {"hope": {"score": 5, "words": "Exemple"}},
    "updateRecoveryAssessment": {"hope": {"score": 5, "words": "Exemple"}},
    "createThoughtRecord": {"thought": "Exemple"},
    "updateThoughtRecord": {"thought": "Exemple"},
    "setThoughtFollowUp": {"note": "Mieux"},
    "setCircleGrant": {"until": None, "visible_from": None},  # a sampled date is today: not after
}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return resolve(options[0]) | {k: v for k, v in schema.items() if k != key}
    return schema


def sample(schema: dict[str, Any]) -> Any:
    """A plausible valid value for a schema: today's dates, the first choice, the lowest number."""
    schema = resolve(schema)
    now = timezone.now() - timedelta(hours=1)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        fmt, pattern = schema.get("format"), schema.get("pattern", "")
        if fmt == "date":
            return now.date().isoformat()
        if fmt == "date-time":
            return now.isoformat()
        if fmt == "uuid":
            return str(uuid.uuid4())
        if "[0-5]" in pattern:
            return "08:00"
        if "(0[1-9]|1[0-2])" in pattern:
            return now.strftime("%Y-%m")
        return "Exemple"
    if kind in {"integer", "number"}:
        return max(schema.get("minimum", 1), 1) if schema.get("maximum", 2) >= 1 else schema["minimum"]
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema["items"]) for _ in range(schema.get("minItems", 0))]
    if kind == "object":
        return {
            name: sample(prop)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", ())
        }
    return None


def hostile_values(schema: dict[str, Any]) -> dict[str, Any]:
    """The kinds for one field: the text and number ones (a script may send any type anywhere),
    the date ones for a date, and inside a list or an object, the same one level down."""
    schema = resolve(schema)
    kinds = TEXT | NUMBERS
    if schema.get("format") == "date":
        kinds |= DATES
    elif schema.get("format") == "date-time":
        kinds |= DATETIMES
    elif "[0-5]" in schema.get("pattern", ""):
        kinds |= {"malformed time": "24:60"}
    if schema.get("type") == "array":
        items = resolve(schema["items"])
        if items.get("type") == "object":
            return {
                f"[0].{name} {kind}": [sample(items) | {name: value}]
                for name, prop in items.get("properties", {}).items()
                for kind, value in hostile_values(prop).items()
            }
        return {f"[0] {kind}": [value] for kind, value in hostile_values(items).items()}
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return {
            "key 1 MB": {"a" * MEGABYTE: 1},
            **{f"value {kind}": {str(uuid.uuid4()): value} for kind, value in kinds.items()},
        }
    if schema.get("type") == "object":
        return {
            f".{name} {kind}": sample(schema) | {name: value}
            for name, prop in schema.get("properties", {}).items()
            for kind, value in hostile_values(prop).items()
        }
    return kinds


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in sorted(SCHEMA["paths"].items())
        for method, op in item.items()
    ]


def body_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {})
    return resolve(content["application/json"]["schema"]) if "application/json" in content else None


def as_param(value: Any) -> str:
    return quote(value, safe="") if isinstance(value, bytes | str) else str(value)


def test_no_hostile_value_makes_a_server_error(
    owner,
    make_token,
    journal_of,
    goals_of,  # noqa: F811
    thoughts_of,  # noqa: F811
    assessments_of,  # noqa: F811
    safety_of,  # noqa: F811
    treatments_of,  # noqa: F811
    circle_of,
    community_of,  # noqa: F811
):
    started = time.monotonic()
    ids = {
        "checkin_id": str(journal_of["checkins"][0].pk),
        "indicator_id": str(journal_of["indicators"][0].pk),
        "entry_id": str(journal_of["entries"][0].pk),
        "goal_id": str(goals_of["goals"][1].pk),
        "step_id": goals_of["goals"][1].steps[0]["id"],
        "strategy_id": str(goals_of["strategies"][0].pk),
        "use_id": str(goals_of["uses"][0].pk),
        "assessment_id": str(goals_of["assessments"][0].pk),
        "thought_id": str(thoughts_of[0].pk),
        "response_id": str(assessments_of[0].pk),
        "questionnaire": "phq9",
        "moment_id": str(safety_of["moments"][0].pk),
        "treatment_id": str(treatments_of["schedules"][1].treatment_id),
        "schedule_id": str(treatments_of["schedules"][1].pk),  # on demand: it can be started
        "dose_at": treatments_of["doses"][1],
        "note_id": str(treatments_of["notes"][0].pk),
        **{name: values[0] for name, values in circle_of.items()},
        "space_slug": community_of["space"].slug,
        "topic_id": str(community_of["topic"].pk),
        "post_id": str(community_of["post"].pk),
        "ignore_id": str(community_of["ignore"].pk),
    }
    # A dose is of the daily schedule; a goal's step of that goal.
    dose_ids = ids | {
        "schedule_id": str(treatments_of["schedules"][0].pk),
        "dose_at": treatments_of["doses"][0],
    }
    client = Client(HTTP_AUTHORIZATION=f"Bearer {every_area_token(owner)}", HTTP_ACCEPT_LANGUAGE="en")
    client.raise_request_exception = False
    errors: list[str] = []
    invalid: list[str] = []  # operations whose valid request is not: their fields reach no service
    statuses: dict[int, int] = {}
    requests = 0

    def call(method: str, path: str, query: str = "", body: bytes | None = None) -> int:
        nonlocal requests
        with transaction.atomic():
            response = client.generic(
                method, f"{path}?{query}" if query else path, body or b"", content_type="application/json"
            )
            transaction.set_rollback(True)
        crypto.clear_key_cache()
        instance.forget_cached_settings()
        requests += 1
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        return response.status_code

    for method, template, op in operations():
        params = {p["name"]: p for p in op.get("parameters", [])}
        path_values = dose_ids if "/doses/" in template else ids
        path_names = [n for n, p in params.items() if p["in"] == "path"]
        query_names = [n for n, p in params.items() if p["in"] == "query"]

        def path_with(
            template: str = template, names: list[str] = path_names, values: dict = path_values, **given: Any
        ) -> str:
            for name in names:
                template = template.replace("{" + name + "}", as_param(given.get(name, values[name])))
            return template

        schema = body_schema(op)
        base = sample(schema) | MORE.get(op["operationId"], {}) if schema else None
        base_body = json.dumps(base).encode() if schema else None
        where = f"{method} {template}"
        status = call(method, path_with(), body=base_body)
        if status >= 500:
            errors.append(f"{where} (valid request): {status}")
        elif status >= 400:
            invalid.append(f"{where}: {status}")
        for name in path_names:
            for kind, value in PARAMETER.items():
                if (status := call(method, path_with(**{name: value}), body=base_body)) >= 500:
                    errors.append(f"{where} path {name} {kind}: {status}")
        for name in query_names:
            for kind, value in PARAMETER.items():
                query = urlencode({name: value})
                if (status := call(method, path_with(), query, base_body)) >= 500:
                    errors.append(f"{where} query {name} {kind}: {status}")
        if schema is None:
            continue
        for name, prop in schema.get("properties", {}).items():
            for kind, value in hostile_values(prop).items():
                body = json.dumps(base | {name: value}).encode()
                if (status := call(method, path_with(), body=body)) >= 500:
                    errors.append(f"{where} body {name} {kind}: {status}")
        # The whole body: invalid UTF-8 in a string, and every field twice (the first one hostile).
        broken = base_body[:-1] + (b", " if base else b"") + b'"x": "' + INVALID_UTF8 + b'"}'
        twice = ", ".join(
            f"{json.dumps(k)}: {json.dumps(TEXT['1 MB'])}, {json.dumps(k)}: {json.dumps(v)}"
            for k, v in base.items()
        )
        for kind, body in (("invalid UTF-8", broken), ("fields twice", f"{{{twice}}}".encode())):
            if (status := call(method, path_with(), body=body)) >= 500:
                errors.append(f"{where} body {kind}: {status}")
    elapsed = time.monotonic() - started
    print(f"{len(operations())} operations, {requests} requests in {elapsed:.0f} s: {statuses}")
    assert not errors, "\n".join(errors)
    assert not invalid, "\n".join(invalid)
    assert len(operations()) >= 40 and requests >= 1000
