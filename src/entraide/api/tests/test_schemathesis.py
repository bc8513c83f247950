"""Generated requests against our own OpenAPI schema: whatever comes in, never a server error.

Every operation gets valid (positive) and invalid (negative) requests, with a read and write token
of a person who has check-ins, indicators and entries; operations on one item get that person's
real ids (a random id would only ever meet a 404).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from entraide.api.v1 import api

pytestmark = pytest.mark.django_db
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [(method.upper(), path) for path, item in sorted(SCHEMA["paths"].items()) for method in item]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}


def recent_dates(case):
    if isinstance(case.body, dict):
        recent = timezone.now() - timedelta(days=3)
        if "moment" in case.body:
            case.body["moment"] = recent.isoformat()
        if "day" in case.body:
            case.body["day"] = recent.date().isoformat()
    return case


@pytest.fixture
def wsgi_app():
    # Django's test client keeps the test's transaction open across requests by not closing
    # connections when a request starts or ends; a raw WSGI call must do the same.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_no_generated_request_makes_a_server_error(
    method, path, mode, wsgi_app, owner, make_token, journal_of
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema[path][method]
    ids = {
        "checkin_id": [str(c.pk) for c in journal_of["checkins"]],
        "indicator_id": [str(i.pk) for i in journal_of["indicators"]],
        "entry_id": [str(e.pk) for e in journal_of["entries"]],
    }
    names = [p.name for p in operation.path_parameters]
    strategies = [operation.as_strategy(mode)]
    if mode is GenerationMode.POSITIVE:
        if names:  # mostly the person's own rows, sometimes any id (then a 404)
            strategies += [
                operation.as_strategy(
                    mode, path_parameters={name: ids[name][n % len(ids[name])] for name in names}
                )
                for n in range(3)
            ]
        # A random date is nearly always in the future or before 1900 (a 422): often a recent one.
        strategies += [s.map(recent_dates) for s in strategies]
    headers = {"Authorization": f"Bearer {make_token(owner)}", "Accept-Language": "en"}

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
