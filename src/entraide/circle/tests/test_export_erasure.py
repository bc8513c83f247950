"""The circle in a person's export, from both sides of a link, and in their erasure: erasing one
person ends every link they are part of, as the person who shares or as the supporter, at once."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from conftest import link_people, make_user
from entraide.circle import gate
from entraide.circle import services as circle
from entraide.circle.models import AccessEvent, Grant, GrantChange, Link
from entraide.core import personal_data

pytestmark = pytest.mark.django_db


def parts_of(person):
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))["records"]
        for name in archive.namelist()
        if name.startswith("circle.") and name.endswith(".json")
    }


def test_the_person_exports_links_grants_changes_invitations_and_who_saw_what(owner, peer_helper):
    link = link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins", "goals"))
    circle.revoke_scope(link, scope="goals", by=owner)
    circle.invite_person(owner, kind="relative", email="proche@example.org")
    gate.require(peer_helper, owner, "checkins", "api")
    parts = parts_of(owner)
    assert [(r["side"], r["with"], r["kind"]) for r in parts["circle.links"]] == [
        ("you share", "Pascale", "peer_helper")
    ]
    grants = {r["scope"]: r for r in parts["circle.grants"]}
    assert set(grants) == {"checkins", "goals"} and grants["goals"]["revoked_at"] is not None
    assert {r["action"] for r in parts["circle.grant_changes"]} >= {"invited", "linked", "granted", "revoked"}
    assert [(r["viewer"], r["scope"], r["channel"]) for r in parts["circle.access_events"]] == [
        ("Pascale", "checkins", "api")
    ]
    assert [r["email"] for r in parts["circle.invitations"]] == ["", "proche@example.org"]


def test_the_supporter_exports_the_links_they_hold_and_the_grants_made_to_them(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("safety_plan",))
    gate.require(peer_helper, owner, "safety_plan", "web")
    parts = parts_of(peer_helper)
    assert [(r["side"], r["with"]) for r in parts["circle.links"]] == [("shares with you", "Camille")]
    assert [(r["side"], r["scope"]) for r in parts["circle.grants"]] == [("shares with you", "safety_plan")]
    # The owner's consent records and access log are the owner's: not in the supporter's export.
    assert parts["circle.grant_changes"] == [] and parts["circle.access_events"] == []
    assert parts["circle.invitations"] == []


def test_erasing_the_person_ends_their_links_both_ways(owner, peer_helper):
    """The person shares with a peer helper and supports someone else: both links end with them."""
    supported = make_user("Zoe")
    link_people(owner, peer_helper, scopes=("checkins",))
    link_people(supported, owner, scopes=("goals",))
    personal_data.erase_person(owner)
    assert not Link.objects.exists() and not Grant.objects.exists()
    assert not gate.owners_visible_to(peer_helper, "checkins").exists()
    # Zoe's record of the link stays, ended by the instance, with the pseudonym of who held it.
    ended = GrantChange.objects.filter(owner=supported, action="ended").get()
    assert (ended.by, ended.supporter_pseudonym) == ("system", "Camille")
    assert not GrantChange.objects.filter(owner_id=owner.pk).exists()


def test_erasing_the_supporter_keeps_the_persons_log_with_their_pseudonym(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    gate.require(peer_helper, owner, "checkins", "web")
    personal_data.erase_person(peer_helper)
    event = AccessEvent.objects.get()
    assert (event.owner_id, event.viewer_id, event.viewer_pseudonym) == (owner.pk, None, "Pascale")
    parts = parts_of(owner)
    assert parts["circle.links"] == []
    assert [r["viewer"] for r in parts["circle.access_events"]] == ["Pascale"]
    assert parts["circle.grant_changes"][-1]["action"] == "ended"
