"""Generated requests against our own OpenAPI schema: whatever comes in, never a server error.

Every operation gets valid (positive) and invalid (negative) requests, with a read and write token
of a person who has check-ins, indicators and entries; operations on one item get that person's
real ids (a random id would only ever meet a 404).

In the suite (and CI) the examples are derandomized (the "ci" Hypothesis profile, conftest.py): the
same requests every run. ``make fuzz`` runs many more, at random, and prints a blob to replay any
failure; each failure it finds becomes an explicit example in FOUND, which every run then sends.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from entraide.api.tests.conftest import every_area_token
from entraide.api.v1 import api

pytestmark = pytest.mark.django_db
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [(method.upper(), path) for path, item in sorted(SCHEMA["paths"].items()) for method in item]
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":  # make fuzz
    EXAMPLES = {mode: count * int(os.environ.get("FUZZ_FACTOR", "10")) for mode, count in EXAMPLES.items()}

# Failures found by fuzzing, sent by every run: (method, path) → the requests' parts. Path
# parameters left out are the person's first row of that kind.
FOUND: dict[tuple[str, str], list[dict]] = {
    # Issue 18 item 3: a schedule starting more than 800 days ahead raised RuntimeError.
    ("POST", "/api/v1/treatments/{treatment_id}/schedules"): [
        {"body": {"kind": "daily", "times": ["08:00"], "starts_on": "2199-12-31"}},
        {
            "body": {
                "kind": "cycle",
                "times": ["08:00"],
                "cycle_on": 1,
                "cycle_off": 365,
                "starts_on": "2100-01-01",
            }
        },
    ],
    # Issue 18 item 2: dose keys out of Python's easy range raised OverflowError.
    ("PUT", "/api/v1/doses/{schedule_id}/{dose_at}"): [
        {"path_parameters": {"dose_at": "00010101T000000Z"}, "body": {"status": "taken"}},
        {"path_parameters": {"dose_at": "99991231T235959Z"}, "body": {"status": "taken"}},
    ],
}


def recent_dates(case):
    if isinstance(case.body, dict):
        recent = timezone.now() - timedelta(days=3)
        if "moment" in case.body:
            case.body["moment"] = recent.isoformat()
        if "month" in case.body:
            case.body["month"] = recent.strftime("%Y-%m")
        if "day" in case.body:
            case.body["day"] = recent.date().isoformat()
        if "on" in case.body:  # a thought record's follow-up
            case.body["on"] = recent.date().isoformat()
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
    method,
    path,
    mode,
    wsgi_app,
    owner,
    make_token,
    journal_of,
    goals_of,
    thoughts_of,
    assessments_of,
    safety_of,
    treatments_of,
    circle_of,
    community_of,
):
    # Rate limits are off in these tests (api/tests/conftest.py): hundreds of requests with one
    # token would meet 429s that hide the rest.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema[path][method]
    ids = {
        "checkin_id": [str(c.pk) for c in journal_of["checkins"]],
        "indicator_id": [str(i.pk) for i in journal_of["indicators"]],
        "entry_id": [str(e.pk) for e in journal_of["entries"]],
        "goal_id": [str(g.pk) for g in goals_of["goals"]],
        "step_id": [s["id"] for g in goals_of["goals"] for s in g.steps],
        "strategy_id": [str(s.pk) for s in goals_of["strategies"]],
        "use_id": [str(u.pk) for u in goals_of["uses"]],
        "assessment_id": [str(a.pk) for a in goals_of["assessments"]],
        "thought_id": [str(r.pk) for r in thoughts_of],
        "response_id": [str(r.pk) for r in assessments_of],
        "questionnaire": ["phq9", "gad7", "who5"],
        "moment_id": [str(m.pk) for m in safety_of["moments"]],
        # Aligned lists: the n-th schedule is of the n-th treatment, the n-th dose of the n-th schedule.
        "treatment_id": [str(s.treatment_id) for s in treatments_of["schedules"]],
        "schedule_id": [str(s.pk) for s in treatments_of["schedules"]],
        "dose_at": treatments_of["doses"],
        "note_id": [str(n.pk) for n in treatments_of["notes"]],
        **circle_of,  # person_id (someone who shares with the owner), link_id, invitation_id, scope
        "space_slug": [community_of["space"].slug],
        "topic_id": [str(community_of["topic"].pk)],
        "post_id": [str(community_of["post"].pk)],
        "ignore_id": [str(community_of["ignore"].pk)],
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
    headers = {"Authorization": f"Bearer {every_area_token(owner)}", "Accept-Language": "en"}

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    if mode is GenerationMode.POSITIVE:
        for found in FOUND.get((method, path), []):
            given_ids = {name: ids[name][0] for name in names} | found.get("path_parameters", {})
            run = example(case=operation.Case(**(found | {"path_parameters": given_ids})))(run)
    run()


@pytest.fixture
def goals_of(owner):
    """Two goals with steps, two strategies with a use each, two rated months (entraide.goals)."""
    from datetime import date

    from entraide.goals.tests.factories import make_assessment, make_goal, make_strategy, make_use

    strategies = [make_strategy(owner), make_strategy(owner, name="Musique", category="rest")]
    return {
        "goals": [make_goal(owner), make_goal(owner, title="Deux", steps=["Un pas"])],
        "strategies": strategies,
        "uses": [make_use(strategies[0]), make_use(strategies[1], helped=None)],
        "assessments": [
            make_assessment(owner, date(2026, 1, 1)),
            make_assessment(owner, date(2026, 2, 1), meaning=3),
        ],
    }


@pytest.fixture
def thoughts_of(owner):
    """Two thought records (entraide.thoughts)."""
    from datetime import date

    from entraide.thoughts import services as thoughts

    return [
        thoughts.create_thought(
            owner,
            day=date(2026, 11, 1),
            thought="Exemple",
            emotions=[{"emotion": "fear", "before": 60, "after": 30}],
        ),
        thoughts.create_thought(owner, day=date(2026, 11, 2), situation="Au marché"),
    ]


@pytest.fixture
def safety_of(owner):
    """A safety plan with five lines a step, and three crisis moments (entraide.safety)."""
    from entraide.safety.tests.factories import make_moment, make_plan

    return {"plan": make_plan(owner), "moments": [make_moment(owner) for _ in range(3)]}


@pytest.fixture
def assessments_of(owner):
    """Three questionnaire responses, one a PHQ-9 with item 9 above 0 (entraide.assessments)."""
    from entraide.assessments.tests.factories import make_response

    return [
        make_response(owner, "phq9", total=6),
        make_response(owner, "who5", total=14),
        make_response(owner, "phq9", answers=[0] * 8 + [1], difficulty=0),
    ]


@pytest.fixture
def treatments_of(owner):
    """A treatment with a daily schedule and an on-demand one (started), a dose of each and a
    side-effect note each (entraide.treatments)."""
    from entraide.treatments import services as treatments
    from entraide.treatments.tests.factories import AT_PREP, make_schedule, make_treatment

    treatment = make_treatment(owner)
    daily = make_schedule(
        treatment, times=["00:00"], starts_on=treatments.today_of(owner) - timedelta(days=3)
    )
    on_demand = make_schedule(treatment, kind="on_demand", pattern=AT_PREP)
    treatments.start_on_demand(on_demand, at=timezone.now() - timedelta(hours=1))
    day = treatments.today_of(owner)
    doses = treatments.doses_between(
        owner, timezone.now() - timedelta(days=2), timezone.now(), treatment=treatment
    )
    first = {d.schedule.pk: d.stamp for d in doses}
    note = treatments.add_side_effect(treatment, day=day, text="Fatigue")
    return {
        "schedules": [daily, on_demand],
        "doses": [first[daily.pk], first[on_demand.pk]],
        "notes": [note, note],
    }


@pytest.fixture
def community_of(owner):
    """A members' space with a topic by another member, replied to by ``owner``; ``post`` is the
    other member's opening post, which ``owner`` may support, ``ignore`` a member ``owner``
    ignores (entraide.community)."""
    from conftest import make_user
    from entraide.community import blocking
    from entraide.community import services as community
    from entraide.community.tests.factories import make_space, make_topic, set_rules

    set_rules(approvals=0)  # people made a moment ago are new members: their posts would be held
    space = make_space(slug="entraide-api")
    topic = make_topic(make_user("Autrice"), space, title="Bonjour")
    community.add_reply(owner, topic, body="Merci")
    ignore = blocking.ignore_member(owner, make_user("Ignoree"))
    return {"space": space, "topic": topic, "post": topic.posts.get(number=1), "ignore": ignore}
