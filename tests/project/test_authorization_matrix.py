"""The authorization matrix: every route that shows another person's data (audience ``gate``),
tried as every persona, with unique sentinels planted in the owner's data. A sentinel reaches only
a persona holding its scope; the sentinels of private records (a check-in, a journal entry, a
thought record, a questionnaire answer) reach nobody; and the sentinels do
reach the supporter who holds the scope (otherwise the matrix would prove nothing).

Everything else is a 404 or, for a grantee without a second factor, the enrolment page.
Personas: ARCHITECTURE.md, "Tests and CI"; the gate: docs/consent-gate.md.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, enrol_totp, link_people, make_user
from entraide.assessments.services import mark_response_private, record_response
from entraide.circle import services as circle_services
from entraide.circle.views.shared import PAGE_OF_SLUG
from entraide.core.web.routes import audience_of
from entraide.goals.services import create_goal
from entraide.journal import services as journal_services
from entraide.journal.services import create_entry, mark_entry_private
from entraide.safety.services import save_safety_plan
from entraide.thoughts.services import create_thought, mark_thought_private
from entraide.treatments.services import create_treatment
from tests.project.pages import SAMPLE_KWARGS, walk

# A sentinel, the scope that may reveal it (None: nobody, ever), as it is planted.
NOTE = "NOTE-SENTINEL-q8w"  # a check-in note: notes
INDICATOR = "4242"  # a numeric indicator's value: indicators
SHARED_ACTIVITY = "1213"  # minutes of activity in a shared check-in: checkins
PLAN_ITEM = "PLAN-SENTINEL-z2k"  # a safety plan item: safety_plan
PRIVATE_NOTE = "PRIVATE-SENTINEL-m5r"  # the private check-in's note: nobody
PRIVATE_ACTIVITY = "1387"  # the private check-in's activity: nobody
ENTRY = "ENTRY-SENTINEL-h3v"  # a journal entry's text: notes
THOUGHT = "THOUGHT-SENTINEL-c7n"  # a thought record's situation: thoughts
GOAL = "GOAL-SENTINEL-p4d"  # a goal's title: goals
ITEM_ANSWER = "Nearly every day"  # a GAD-7 item answer: assessments with "the detail of the answers"
TREATMENT = "TREATMENT-SENTINEL-w9e"  # a treatment's name: treatments
PRIVATE_ENTRY = "PRIVATE-ENTRY-SENTINEL-b2x"  # a private journal entry: nobody
PRIVATE_THOUGHT = "PRIVATE-THOUGHT-SENTINEL-k6j"  # a private thought record: nobody
PRIVATE_ANSWER = "WHO-5 Well-Being Index"  # a private questionnaire answer's name: nobody
CHOICE = "CHOICE-SENTINEL-r1t"  # a choice indicator's option chosen in a shared check-in: indicators
PRIVATE_CHOICE = "PRIVATE-CHOICE-SENTINEL-y8u"  # the option chosen in the private check-in: nobody
ANSWERS = "assessments.answers"  # the option, held like a scope
# Questionnaire wording: every questionnaire page shows it to anyone; on gate pages only, it can
# come from the owner's answers alone (the other routes are checked for the other sentinels).
WORDING = {ITEM_ANSWER, PRIVATE_ANSWER}
SENTINELS: dict[str, str | None] = {
    NOTE: "notes",
    INDICATOR: "indicators",
    SHARED_ACTIVITY: "checkins",
    PLAN_ITEM: "safety_plan",
    ENTRY: "notes",
    THOUGHT: "thoughts",
    GOAL: "goals",
    ITEM_ANSWER: ANSWERS,
    TREATMENT: "treatments",
    CHOICE: "indicators",
    PRIVATE_NOTE: None,
    PRIVATE_ACTIVITY: None,
    PRIVATE_ENTRY: None,
    PRIVATE_THOUGHT: None,
    PRIVATE_ANSWER: None,
    PRIVATE_CHOICE: None,
}
DATA_SCOPES = (
    "checkins",
    "safety_plan",
    "notes",
    "indicators",
    "thoughts",
    "goals",
    "assessments",
    "treatments",
)

# Numbers beyond a chart's coordinates (640 x 220), found only as whole numbers: never inside an
# id or a token (a UUID holds digits too).


def found_in(text: str, sentinel: str) -> bool:
    if not sentinel.isdigit():
        return sentinel in text
    return re.search(rf"(?<![\w-]){sentinel}(?![\w-])", text) is not None


# Query strings that make a route show everything it can (the measure holding a sentinel).
QUERIES = {"circle:person-checkins": "?mesure=activity&periode=7", "circle:person-indicators": "?periode=7"}
# Routes whose pages show a scope's data, and that scope (a gate route not listed shows no data).
ROUTE_SCOPES = {
    "circle:person-checkins": "checkins",
    "circle:person-safety-plan": "safety_plan",
    "circle:person-notes": "notes",
    "circle:person-indicators": "indicators",
    "circle:person-thoughts": "thoughts",
    "circle:person-goals": "goals",
    "circle:person-assessments": "assessments",
    "circle:person-treatments": "treatments",
}


def _plant(owner):
    indicator = journal_services.create_indicator(owner, name="Pas", kind="number")
    choice = journal_services.create_indicator(
        owner, name="Humeur du ciel", kind="choice", choices=[CHOICE, PRIVATE_CHOICE]
    )
    now = timezone.now()
    journal_services.record_checkin(
        owner,
        moment=now - timedelta(hours=1),
        values={
            "mood": 4,
            "note": NOTE,
            "activity_minutes": int(SHARED_ACTIVITY),
            "indicators": {str(indicator.pk): 4242, str(choice.pk): CHOICE},
        },
    )
    journal_services.record_checkin(
        owner,
        moment=now - timedelta(days=1),
        values={
            "mood": 9,
            "note": PRIVATE_NOTE,
            "activity_minutes": int(PRIVATE_ACTIVITY),
            "indicators": {str(choice.pk): PRIVATE_CHOICE},
        },
        private=True,
    )
    save_safety_plan(owner, steps={"warning_signs": [PLAN_ITEM]})
    today = timezone.localdate()
    create_entry(owner, day=today, title="Une journée", body=ENTRY, mood=6)
    mark_entry_private(create_entry(owner, day=today, body=PRIVATE_ENTRY), private=True)
    create_thought(owner, day=today, situation=THOUGHT, thought="Je n'y arriverai pas")
    mark_thought_private(create_thought(owner, day=today, situation=PRIVATE_THOUGHT), private=True)
    create_goal(owner, title=GOAL)
    record_response(owner, questionnaire="gad7", answers=[3] * 7, language="en")
    private = record_response(owner, questionnaire="who5", answers=[0] * 5, language="en")
    mark_response_private(private, private=True)
    create_treatment(owner, name=TREATMENT, dose="1 mg")


@pytest.fixture
def personas(
    owner, stranger, admin_user, peer_helper, professional, moderator, relative_with_alerts, relative
):
    """(name, person or None, scopes they hold on the owner's data)."""
    helped = link_people(owner, peer_helper, kind="peer_helper", scopes=(*DATA_SCOPES, "alerts"))
    assert helped.is_accepted
    circle_services.grant_scope(
        helped,
        choice=circle_services.GrantChoice("assessments", None, None, options={"answers": True}),
        by=owner,
    )
    # Another scope only: the questionnaires' scores, without the detail of the answers.
    link_people(owner, professional, kind="professional", scopes=("assessments",))
    expired = make_user("Expire")
    enrol_totp(expired)
    link_people(
        owner, expired, scopes=("checkins", "safety_plan"), until=timezone.now() - timedelta(minutes=1)
    )
    ended = make_user("Fini")
    enrol_totp(ended)
    circle_services.end_link(link_people(owner, ended, scopes=("checkins", "safety_plan")), by=owner)
    invited = make_user("Invite")
    enrol_totp(invited)
    circle_services.invite_person(owner, kind="relative", email=invited.email)  # not accepted
    unprotected = make_user("Sansdeux")
    link_people(owner, unprotected, scopes=("checkins", "safety_plan"))  # no second factor
    return [
        ("owner", owner, set()),
        ("supporter with the scopes", peer_helper, {*DATA_SCOPES, ANSWERS}),
        ("another scope only", professional, {"assessments"}),
        ("alerts only", relative, set()),
        ("expired grant", expired, set()),
        ("ended link", ended, set()),
        ("pending invitation", invited, set()),
        ("grantee without second factor", unprotected, set()),
        ("stranger", stranger, set()),
        ("moderator", moderator, set()),
        ("administrator", admin_user, set()),
        ("anonymous", None, set()),
    ]


def _gate_urls(owner):
    found = []
    for route in walk():
        if audience_of(route.callback, route.name) != "gate":
            continue
        kwargs = {}
        for name in route.kwargs:
            if name == "person_id":
                kwargs[name] = owner.pk
            elif name in SAMPLE_KWARGS:
                kwargs[name] = SAMPLE_KWARGS[name]
            else:
                pytest.fail(f"the matrix cannot fill {route.pattern}: add {name} here")
        found.append((route.name, reverse(route.name, kwargs=kwargs) + QUERIES.get(route.name, "")))
    return found


@pytest.mark.django_db
def test_no_sentinel_reaches_anyone_without_its_scope(owner, personas):
    _plant(owner)
    urls = _gate_urls(owner)
    assert {"circle:shared", *ROUTE_SCOPES} <= {n for n, _ in urls}
    started = time.monotonic()
    seen: dict[str, set[str]] = {}
    tried = 0
    for who, person, scopes in personas:
        client = client_for(person)
        for name, url in urls:
            response = client.get(url)
            tried += 1
            text = response.content.decode() + "".join(f"{k}: {v}" for k, v in response.items())
            for sentinel, scope in SENTINELS.items():
                if found_in(text, sentinel):
                    assert scope is not None and scope in scopes, (who, url, sentinel)
                    seen.setdefault(who, set()).add(sentinel)
            shown = ROUTE_SCOPES.get(name)
            if shown is not None and shown not in scopes:
                expected = {302} if who in {"anonymous", "grantee without second factor"} else {404}
                assert response.status_code in expected, (who, url, response.status_code)
    # The supporter holding the scopes does see them: the sentinels are where the pages look.
    everything = {sentinel for sentinel, scope in SENTINELS.items() if scope is not None}
    assert seen == {"supporter with the scopes": everything}, seen
    assert tried == len(personas) * len(urls) >= 12 * 9
    print(f"\nmatrix: {len(urls)} gate routes x {len(personas)} personas, {len(SENTINELS)} sentinels, "
          f"{time.monotonic() - started:.2f}s")  # fmt: skip


@pytest.mark.django_db
def test_no_other_route_shows_the_owners_sentinels_to_anyone_else(owner, personas):
    """Every other route of the walk (own pages, login pages, roles' pages), as the personas whose
    difference could matter there (the most trusted supporter, a grantee held at the enrolment, a
    stranger, an administrator, a visitor): each page shows its visitor's own data, never the
    owner's. (All twelve personas would take three times as long for no other case.)"""
    from tests.project.pages import fill

    _plant(owner)
    started = time.monotonic()
    tried = 0
    routes = [r for r in walk() if audience_of(r.callback, r.name) != "gate" and r.name not in NOT_HTML]
    for who, person, _scopes in personas:
        if who not in WALK_PERSONAS:
            continue
        client = client_for(person)
        for route in routes:
            response = client.get(fill(route))
            tried += 1
            text = response.content.decode(errors="replace")
            leaked = [s for s in SENTINELS if s not in WORDING and found_in(text, s)]
            assert not leaked, (who, route.pattern, leaked)
    assert tried >= 100
    print(f"\nwalk: {len(routes)} routes x {len(WALK_PERSONAS)} personas, {time.monotonic() - started:.2f}s")


WALK_PERSONAS = {
    "supporter with the scopes",
    "grantee without second factor",
    "stranger",
    "administrator",
    "anonymous",
}
NOT_HTML = {"core:source", "core:healthz", "core:security-txt", "safety:worker"}


@pytest.mark.django_db
def test_only_the_person_previews_what_a_supporter_sees(owner, personas):
    """ "Voir ce que X voit": the preview routes of the owner's link to the supporter holding every
    scope show the owner exactly the sentinels that supporter sees (no private one), record no
    access, and open for nobody else."""
    from entraide.circle.models import AccessEvent, Link

    _plant(owner)
    supporter = next(person for who, person, _ in personas if who == "supporter with the scopes")
    link = Link.objects.get(owner=owner, supporter=supporter, ended_at__isnull=True)
    urls = []
    for route in walk():
        if route.name and route.name.startswith("circle:preview"):
            page = PAGE_OF_SLUG.get(route.name.removeprefix("circle:preview-"))
            query = QUERIES.get(page.route, "") if page else ""
            urls.append(reverse(route.name, kwargs={"link_id": link.pk}) + query)
    assert len(urls) == len(ROUTE_SCOPES) + 1
    seen: dict[str, set[str]] = {}
    for who, person, _scopes in personas:
        client = client_for(person)
        for url in urls:
            response = client.get(url)
            if who == "owner":
                assert response.status_code == 200, url
            else:
                assert response.status_code == (302 if person is None else 404), (who, url)
            text = response.content.decode()
            seen.setdefault(who, set()).update(s for s in SENTINELS if found_in(text, s))
    everything = {sentinel for sentinel, scope in SENTINELS.items() if scope is not None}
    assert seen["owner"] == everything
    assert not any(seen[who] for who in seen if who != "owner"), seen
    assert not AccessEvent.objects.exists()
