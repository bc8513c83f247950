from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import link_people, make_user
from entraide.circle import gate, services
from entraide.circle.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_gate_passes_a_supporter_with_the_scope_and_records_the_access(owner, helped_by_peer, peer_helper):
    passed = gate.require(peer_helper, owner, "checkins", "web")
    assert passed.owner == owner
    event = AccessEvent.objects.get()
    assert (event.viewer, event.owner, event.scope, event.channel, event.count) == (
        peer_helper,
        owner,
        "checkins",
        "web",
        1,
    )
    assert event.viewer_pseudonym == peer_helper.pseudonym


def test_gate_refuses_another_scope_a_stranger_and_the_owner(owner, helped_by_peer, peer_helper, stranger):
    for viewer, scope in ((peer_helper, "notes"), (stranger, "checkins"), (owner, "checkins")):
        with pytest.raises(Http404):
            gate.require(viewer, owner, scope, "web")
    assert not AccessEvent.objects.exists()


def test_revocation_takes_effect_at_the_next_call_on_every_channel(owner, helped_by_peer, peer_helper):
    gate.require(peer_helper, owner, "checkins", "api")
    services.revoke_scope(helped_by_peer, scope="checkins", by=owner)
    for channel in ("web", "api", "feed"):
        with pytest.raises(Http404):
            gate.require(peer_helper, owner.pk, "checkins", channel)
    gate.require(peer_helper, owner, "safety_plan", "web")  # the other scopes hold


def test_an_expired_grant_a_paused_or_ended_link_closes_the_gate(owner, peer_helper, relative):
    link = link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",))
    link.grants.update(until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        gate.require(peer_helper, owner, "checkins", "web")
    other = link_people(owner, relative, scopes=("checkins",))
    type(other).objects.filter(pk=other.pk).update(paused_at=timezone.now())
    with pytest.raises(Http404):
        gate.require(relative, owner, "checkins", "web")
    type(other).objects.filter(pk=other.pk).update(paused_at=None)
    gate.require(relative, owner, "checkins", "web")  # resuming restores the grants as they were
    services.end_link(other, by=relative)
    with pytest.raises(Http404):
        gate.require(relative, owner, "checkins", "web")


def test_a_grantee_without_second_factor_does_not_pass(owner):
    supporter = make_user("Sans")
    link_people(owner, supporter, scopes=("checkins",))
    with pytest.raises(Http404):
        gate.require(supporter, owner, "checkins", "web")
    assert list(gate.owners_visible_to(supporter, "checkins")) == []
    assert gate.holds_grants(supporter)  # so accounts asks for the second factor


def test_owners_visible_to_lists_only_live_grants_of_the_scope(owner, helped_by_peer, peer_helper, stranger):
    link_people(stranger, peer_helper, kind="peer_helper", scopes=("notes",))
    assert list(gate.owners_visible_to(peer_helper, "checkins")) == [owner]
    assert set(gate.owners_visible_to(peer_helper, "notes")) == {stranger}
    assert not AccessEvent.objects.exists()  # listing is not reading


def test_bad_ids_are_404_and_unknown_scopes_are_a_programming_error(helped_by_peer, peer_helper):
    with pytest.raises(Http404):
        gate.require(peer_helper, "not-a-uuid", "checkins", "web")
    with pytest.raises(ValueError):
        gate.require(peer_helper, helped_by_peer.owner, "everything", "web")


def test_alerts_only_makes_a_grantee_but_opens_no_data(owner, relative_with_alerts, relative):
    assert gate.holds_grants(relative)
    with pytest.raises(Http404):
        gate.require(relative, owner, "checkins", "web")
