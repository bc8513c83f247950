"""Pausing sharing: one link or all at once, distinct from revoking; resuming restores the grants."""

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import client_for, enrol_totp, link_people, make_user
from entraide.circle import gate, services
from entraide.circle.models import Channel, Grant, GrantChange
from entraide.journal.services import record_checkin

pytestmark = pytest.mark.django_db


def test_pausing_everything_closes_the_gate_and_resuming_restores_the_grants(owner, peer_helper):
    other = make_user("Autre")
    enrol_totp(other)
    first = link_people(owner, peer_helper, scopes=("checkins", "safety_plan"))
    link_people(owner, other, scopes=("checkins",))
    before = sorted(Grant.objects.values_list("pk", "scope", "until", "visible_from", "revoked_at"))
    assert services.pause_sharing(owner) == 2
    assert services.pause_sharing(owner) == 0  # already paused: nothing recorded twice
    for viewer in (peer_helper, other):
        with pytest.raises(Http404):
            gate.require(viewer, owner.pk, "checkins", Channel.WEB)
        assert not gate.owners_visible_to(viewer, "checkins").exists()
    # Not a revocation: the grants are untouched.
    assert sorted(Grant.objects.values_list("pk", "scope", "until", "visible_from", "revoked_at")) == before
    assert services.resume_sharing(owner) == 2
    assert gate.require(peer_helper, owner.pk, "safety_plan", Channel.WEB).grant.link_id == first.pk
    assert gate.require(other, owner.pk, "checkins", Channel.WEB).owner == owner
    actions = list(GrantChange.objects.filter(owner_id=owner.pk).values_list("action", flat=True))
    assert actions.count("paused") == 2 and actions.count("resumed") == 2


def test_pausing_one_link_leaves_the_others_sharing(owner, peer_helper):
    other = make_user("Autre")
    enrol_totp(other)
    paused = link_people(owner, peer_helper, scopes=("checkins",))
    link_people(owner, other, scopes=("checkins",))
    assert services.pause_sharing(owner, link=paused) == 1
    with pytest.raises(Http404):
        gate.require(peer_helper, owner.pk, "checkins", Channel.WEB)
    assert gate.require(other, owner.pk, "checkins", Channel.WEB).owner == owner
    change = GrantChange.objects.get(action="paused")
    assert change.link_id == paused.pk and change.supporter_pseudonym == peer_helper.pseudonym


def test_someone_else_cannot_pause_a_persons_link(owner, peer_helper, stranger):
    link = link_people(owner, peer_helper, scopes=("checkins",))
    assert services.pause_sharing(stranger, link=link) == 0
    response = client_for(stranger).post(f"/cercle/liens/{link.pk}/pause/", {"action": "pause"})
    assert response.status_code == 404
    # The supporter cannot pause it either (only the person pauses their own sharing).
    assert client_for(peer_helper).post(f"/cercle/liens/{link.pk}/pause/").status_code == 404
    link.refresh_from_db()
    assert link.paused_at is None


def test_the_supporter_sees_sharing_paused_and_nothing_else(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    record_checkin(owner, moment=timezone.now(), values={"mood": 7, "activity_minutes": 1213})
    client = client_for(owner)
    page = client.get("/cercle/pause/").content.decode()
    assert "Tell my circle" in page
    response = client.post("/cercle/pause/", {"action": "pause"}, follow=True)
    assert "Sharing is paused." in response.content.decode()
    assert peer_helper.pseudonym in response.content.decode()  # the record, shown to the person
    supporter = client_for(peer_helper)
    listing = supporter.get("/cercle/avec-moi/").content.decode()
    assert "sharing paused" in listing and "/suivi/" not in listing
    assert supporter.get(f"/cercle/avec-moi/{owner.pk}/suivi/?mesure=activity").status_code == 404
    client.post("/cercle/pause/", {"action": "resume"})
    page = supporter.get(f"/cercle/avec-moi/{owner.pk}/suivi/?mesure=activity&periode=7")
    assert page.status_code == 200 and "1213" in page.content.decode()


def test_one_link_is_paused_and_resumed_from_its_page(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("checkins",))
    client = client_for(owner)
    response = client.post(f"/cercle/liens/{link.pk}/pause/", {"action": "pause"}, follow=True)
    text = response.content.decode()
    assert "Paused: they see only" in text and "Sharing paused" in text  # state and history
    assert "Resume sharing with this person" in text
    client.post(f"/cercle/liens/{link.pk}/pause/", {"action": "resume"})
    link.refresh_from_db()
    assert link.paused_at is None
    assert "paused" not in client.get("/cercle/").content.decode()
