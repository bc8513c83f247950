"""The person's circle through the API (``/api/v1/circle/…``): invitations, links, grants, the
pause, consent records and "who saw what", through the circle's own services; another person's
link or invitation is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import link_people
from entraide.api import services as api_services
from entraide.api.tests.conftest import api_client, json_post, json_put
from entraide.circle import gate
from entraide.circle.models import AccessEvent, Grant, GrantChange, Invitation
from entraide.circle.services import CODE_LENGTH, find_invitation_by_code

pytestmark = pytest.mark.django_db
INVITATIONS = "/api/v1/circle/invitations"
LINKS = "/api/v1/circle/links"


def test_an_invitation_by_code_shows_the_code_once(owner, owner_api, stranger_api):
    created = json_post(owner_api, INVITATIONS, {"kind": "relative"})
    assert created.status_code == 201, created.content
    body = created.json()
    code = body["code"]
    assert len(code) == CODE_LENGTH + 1 and code[5] == "-" and body["by_code"] and body["state"] == "waiting"
    assert find_invitation_by_code(code, tries_key="test").pk == Invitation.objects.get().pk
    shown = owner_api.get(f"{INVITATIONS}/{body['id']}").json()
    assert shown["code"] is None and shown["kind"] == "relative"
    assert [i["id"] for i in owner_api.get(INVITATIONS).json()["items"]] == [body["id"]]
    assert stranger_api.get(f"{INVITATIONS}/{body['id']}").status_code == 404
    assert json_post(stranger_api, f"{INVITATIONS}/{body['id']}/cancel").status_code == 404
    cancelled = json_post(owner_api, f"{INVITATIONS}/{body['id']}/cancel")
    assert cancelled.json()["state"] == "cancelled"
    assert GrantChange.objects.filter(owner=owner, action="invited").count() == 1


def test_an_invitation_by_email_sends_it_and_shows_no_code(owner, owner_api, mailoutbox):
    mailoutbox.clear()  # the token's own notice
    created = json_post(owner_api, INVITATIONS, {"kind": "other", "email": "Proche@Example.org"})
    assert created.status_code == 201
    assert created.json()["code"] is None and created.json()["email"] == "proche@example.org"
    assert [m.to for m in mailoutbox] == [["proche@example.org"]]
    wrong = json_post(owner_api, INVITATIONS, {"email": "pas une adresse"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "email"


def test_an_idempotency_key_invites_once(owner, owner_api):
    first = json_post(owner_api, INVITATIONS, {"kind": "other"}, headers={"Idempotency-Key": "k-1"})
    again = json_post(owner_api, INVITATIONS, {"kind": "other"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["code"] is None
    assert Invitation.objects.count() == 1


def test_the_person_shares_changes_and_stops_sharing_a_scope(owner, owner_api, peer_helper, stranger_api):
    link = link_people(owner, peer_helper, kind="peer_helper")
    url = f"{LINKS}/{link.pk}/grants/assessments"
    until = (timezone.localdate() + timedelta(days=90)).isoformat()
    shared = json_put(owner_api, url, {"until": until, "visible_from": None, "options": ["answers"]})
    assert shared.status_code == 200, shared.content
    assert shared.json()["options"] == ["answers"] and shared.json()["until"] is not None
    assert gate.require(peer_helper, owner, "assessments", "web").option("answers")
    assert owner_api.get(url).json()["scope"] == "assessments"
    listed = owner_api.get(LINKS).json()["items"][0]
    assert (listed["supporter"], listed["state"], [g["scope"] for g in listed["grants"]]) == (
        "Pascale",
        "active",
        ["assessments"],
    )
    changed = json_put(owner_api, url, {"until": None, "visible_from": None})
    assert changed.json()["until"] is None and changed.json()["options"] == []
    assert json_put(stranger_api, url, {"until": None, "visible_from": None}).status_code == 404
    assert owner_api.delete(url).status_code == 204
    assert owner_api.delete(url).status_code == 404
    assert owner_api.get(url).status_code == 404
    actions = list(
        GrantChange.objects.filter(owner=owner, scope="assessments").values_list("action", flat=True)
    )
    assert sorted(actions) == ["changed", "granted", "revoked"]


@pytest.mark.parametrize(
    ("scope", "body", "field"),
    [
        ("checkins", {"until": "2000-01-01", "visible_from": None}, "until"),
        ("checkins", {"until": None, "visible_from": None, "options": ["answers"]}, "options"),
        ("checkins", {"until": None, "visible_from": None, "co_edit": True}, "co_edit"),
        ("substances", {"until": None, "visible_from": None}, "scope"),
        ("checkins", {"visible_from": None}, "until"),  # no end date must be said, not left out
    ],
)
def test_a_grant_that_breaks_a_rule_is_a_422(owner, owner_api, peer_helper, scope, body, field):
    link = link_people(owner, peer_helper)
    refused = json_put(owner_api, f"{LINKS}/{link.pk}/grants/{scope}", body)
    assert refused.status_code == 422, refused.content
    assert field in {e["field"] for e in refused.json()["detail"]}
    assert not Grant.objects.exists()


def test_an_ended_link_shares_nothing_more(owner, owner_api, peer_helper):
    link = link_people(owner, peer_helper, scopes=("goals",))
    ended = json_post(owner_api, f"{LINKS}/{link.pk}/end")
    assert ended.json()["state"] == "ended" and ended.json()["grants"] == []
    refused = json_put(owner_api, f"{LINKS}/{link.pk}/grants/goals", {"until": None, "visible_from": None})
    assert refused.status_code == 409
    assert owner_api.get(LINKS).json()["count"] == 0
    assert owner_api.get(f"{LINKS}?ended=true").json()["count"] == 1


def test_pause_and_resume_all_or_one_link(owner, owner_api, peer_helper, relative):
    helped = link_people(owner, peer_helper, scopes=("goals",))
    link_people(owner, relative, scopes=("goals",))
    paused = json_post(owner_api, "/api/v1/circle/pause")
    assert paused.json() == {"paused": 2, "open": 2} == owner_api.get("/api/v1/circle/pause").json()
    assert not gate.owners_visible_to(peer_helper, "goals").exists()
    one = json_post(owner_api, f"{LINKS}/{helped.pk}/resume")
    assert one.json()["state"] == "active" and [g["scope"] for g in one.json()["grants"]] == ["goals"]
    assert gate.owners_visible_to(peer_helper, "goals").exists()
    assert not gate.owners_visible_to(relative, "goals").exists()
    assert json_post(owner_api, "/api/v1/circle/resume").json() == {"paused": 0, "open": 2}
    assert json_post(owner_api, f"{LINKS}/{helped.pk}/pause").json()["state"] == "paused"


def test_the_person_reads_their_consent_records_and_who_saw_what(owner, owner_api, peer_helper, stranger_api):
    link = link_people(owner, peer_helper, scopes=("goals",))
    gate.require(peer_helper, owner, "goals", "api")
    changes = owner_api.get(f"/api/v1/circle/changes?link_id={link.pk}").json()
    assert [c["action"] for c in changes["items"]] == ["granted", "linked"]
    events = owner_api.get("/api/v1/circle/access-events").json()
    assert [(e["viewer"], e["scope"], e["channel"], e["count"]) for e in events["items"]] == [
        ("Pascale", "goals", "api", 1)
    ]
    assert owner_api.get("/api/v1/circle/access-events?viewer=Autre").json()["count"] == 0
    assert owner_api.get("/api/v1/circle/access-events?scope=checkins").json()["count"] == 0
    assert stranger_api.get("/api/v1/circle/access-events").json()["count"] == 0
    assert stranger_api.get("/api/v1/circle/changes").json()["count"] == 0
    assert AccessEvent.objects.count() == 1


def test_a_read_only_circle_token_changes_nothing(owner, peer_helper):
    link = link_people(owner, peer_helper)
    secret = api_services.create_token(owner, name="Lecture", days=30, areas={"circle": "read"})[1]
    client = api_client(secret)
    assert client.get(LINKS).status_code == 200
    assert json_post(client, "/api/v1/circle/pause").status_code == 403
    assert json_post(client, f"{LINKS}/{link.pk}/end").status_code == 403


def test_a_questionnaire_response_is_kept_private_or_shared_again(owner, owner_api, peer_helper):
    from entraide.assessments.services import record_response

    response = record_response(owner, questionnaire="gad7", answers=[1] * 7)
    url = f"/api/v1/questionnaire-responses/{response.pk}"
    marked = owner_api.patch(url, {"private": True}, content_type="application/json")
    assert marked.status_code == 200 and marked.json()["private"] is True
    response.refresh_from_db()
    assert response.private
    assert (
        owner_api.patch(url, {"private": False}, content_type="application/json").json()["private"] is False
    )


def test_the_schema_names_every_scope_of_the_circle():
    from typing import get_args

    from entraide.api.endpoints.circle import ScopeName
    from entraide.circle.scopes import SCOPE_KEYS

    assert get_args(ScopeName) == SCOPE_KEYS
