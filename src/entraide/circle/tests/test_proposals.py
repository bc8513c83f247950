"""A supporter proposes a link by email: always "sent", limits, the person's answers, blocks,
the export and erasure (docs/consent-gate.md, "Proposals")."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import client_for, make_user, text_outside_urls
from entraide.circle import services
from entraide.circle.models import Block, GrantChange, Link, Proposal
from entraide.core import personal_data
from entraide.core.forms.formtokens import new_token
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db

SENT = "Sent. If this address is a member"


def propose(client, user, email, kind="relative"):
    return client.post("/cercle/proposer/", {"email": email, "kind": kind, "form_token": new_token(user)})


def answer(client, proposal, value, kind="relative"):
    return client.post(f"/cercle/propositions/{proposal.pk}/", {"answer": value, "kind": kind})


@pytest.fixture
def supporter(db):
    return make_user("Soutien")


def without_hints(response):
    """The page, with the address hints of the supporter's own list left out (they are what the
    supporter typed, so they differ by construction)."""
    return re.sub(r"\w…@[\w.-]+", "HINT", response.content.decode())


def test_the_answer_is_the_same_for_a_member_and_an_unknown_address(owner, supporter, mailoutbox):
    client = client_for(supporter)
    member = propose(client, supporter, owner.email.upper())
    unknown = propose(client, supporter, "personne@example.net")
    assert member.status_code == unknown.status_code == 302
    assert member["Location"] == unknown["Location"] == "/cercle/proposer/"
    pages = [client.get("/cercle/proposer/"), client.get("/cercle/proposer/")]
    # Each page shows the "sent" message once: the first page both, the second none.
    assert without_hints(pages[0]).count(SENT) == 2
    assert [t.name for t in pages[0].templates] == [t.name for t in pages[1].templates]
    # Both wait alike in the supporter's list; only the member got anything, and only a discreet mail.
    assert without_hints(pages[1]).count("HINT") == 2
    assert [m.to for m in mailoutbox] == [[owner.email]]
    words = text_outside_urls(mailoutbox[0].subject + mailoutbox[0].body)
    assert "soutien" not in words and supporter.email not in words
    assert Proposal.objects.get(owner=None).address_hint == "p…@example.net"
    assert not Proposal.objects.filter(address_hint__contains="personne").exists()


def test_the_person_sees_the_proposal_and_accepts_with_nothing_shared(owner, supporter):
    propose(client_for(supporter), supporter, owner.email)
    proposal = Proposal.objects.get(owner=owner)
    own = client_for(owner)
    assert f"/cercle/propositions/{proposal.pk}/" in own.get("/cercle/").content.decode()
    notification = Notification.objects.get(owner=owner, kind="circle.proposal")
    assert notification.title == "Une demande dans votre cercle"  # in the person's language
    assert "Soutien" in notification.content["body"]
    page = own.get(f"/cercle/propositions/{proposal.pk}/")
    assert page.status_code == 200 and "Soutien" in page.content.decode()

    accepted = answer(own, proposal, "accepted", kind="other")
    link = Link.objects.get(owner=owner, supporter=supporter)
    assert accepted["Location"] == f"/cercle/liens/{link.pk}/"
    assert link.is_accepted and link.proposed_by == "supporter" and link.kind == "other"
    assert not link.grants.exists()  # the person chooses what to share afterwards
    assert GrantChange.objects.get(link=link).action == "linked"
    assert own.get(f"/cercle/propositions/{proposal.pk}/").status_code == 404  # answered
    # The supporter sees the person among the people who share with them; the proposal is done.
    assert "Camille" in client_for(supporter).get("/cercle/avec-moi/").content.decode()
    assert not services.proposals_waiting_from(supporter).exists()


def test_a_refusal_looks_like_silence_to_the_supporter(owner, supporter):
    propose(client_for(supporter), supporter, owner.email)
    proposal = Proposal.objects.get(owner=owner)
    refused = answer(client_for(owner), proposal, "refused")
    assert refused["Location"] == "/cercle/"
    assert "/cercle/propositions/" not in client_for(owner).get("/cercle/").content.decode()
    assert not Link.objects.exists() and not Block.objects.exists()
    # Still "waiting" for the supporter, and still counted in their limit until it ends.
    assert "c…@example.org" in client_for(supporter).get("/cercle/proposer/").content.decode()
    assert services.proposals_waiting_from(supporter).count() == 1


def test_a_blocked_supporter_is_still_told_sent_and_reaches_nobody(owner, supporter, mailoutbox):
    client = client_for(supporter)
    propose(client, supporter, owner.email)
    proposal = Proposal.objects.get(owner=owner)
    answer(client_for(owner), proposal, "blocked")
    block = Block.objects.get(owner=owner, supporter=supporter)
    mailoutbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        client = client_for(supporter)  # a month later: a new session
        again = propose(client, supporter, owner.email)
        assert again["Location"] == "/cercle/proposer/"
        assert SENT in client.get("/cercle/proposer/").content.decode()
        assert Proposal.objects.filter(supporter=supporter).count() == 2
        assert Proposal.objects.filter(owner=owner).count() == 1  # the first, answered
        assert Notification.objects.filter(owner=owner, kind="circle.proposal").count() == 1
        assert not [m for m in mailoutbox if owner.email in m.to]
        # The person sees whom they blocked, and unblocks: a later proposal reaches them again.
        blocks = client_for(owner).get("/cercle/bloques/")
        assert "Soutien" in blocks.content.decode()
        assert client_for(owner).post(f"/cercle/bloques/{block.pk}/debloquer/").status_code == 302
        assert not Block.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(days=62), tick=False):
        client = client_for(supporter)
        mailoutbox.clear()  # the owner's new sign-ins of the month before
        propose(client, supporter, owner.email)
        assert services.proposals_for(owner).count() == 1
        assert len([m for m in mailoutbox if owner.email in m.to]) == 1


def test_three_proposals_wait_at_most_and_one_per_address_every_30_days(supporter):
    client = client_for(supporter)
    for name in ("a", "b", "c"):
        assert propose(client, supporter, f"{name}@example.net").status_code == 302
    fourth = propose(client, supporter, "d@example.net")
    assert fourth.status_code == 400
    assert "You already have 3 proposals waiting" in fourth.content.decode()
    withdrawn = Proposal.objects.get(address_hint="a…@example.net")
    client.post(f"/cercle/propositions/{withdrawn.pk}/retirer/")
    assert propose(client, supporter, "d@example.net").status_code == 302
    # A withdrawn address still waits for its 30 days; the page says from when.
    client.post(f"/cercle/propositions/{Proposal.objects.get(address_hint='b…@example.net').pk}/retirer/")
    again = propose(client, supporter, "A@example.net")
    assert again.status_code == 400
    assert "less than 30 days ago" in again.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1), tick=False):
        assert not services.proposals_waiting_from(supporter).exists()  # ended after 30 days
        later = client_for(supporter)
        assert propose(later, supporter, "a@example.net")["Location"] == "/cercle/proposer/"


def test_the_kind_needs_the_role_and_the_own_address_is_refused_kindly(supporter, peer_helper, owner):
    client = client_for(supporter)
    refused = propose(client, supporter, owner.email, kind="peer_helper")
    assert refused.status_code == 400 and not Proposal.objects.exists()
    own = propose(client, supporter, supporter.email)
    assert own.status_code == 400 and "This is your own address." in own.content.decode()
    assert propose(client_for(peer_helper), peer_helper, owner.email, kind="peer_helper").status_code == 302
    assert Proposal.objects.get(owner=owner).kind == "peer_helper"


def test_a_proposal_to_someone_already_linked_reaches_nobody(owner, relative, relative_with_alerts):
    assert propose(client_for(relative), relative, owner.email).status_code == 302
    assert Proposal.objects.get().owner is None
    assert not Notification.objects.filter(kind="circle.proposal").exists()


def test_only_the_person_answers_and_only_the_supporter_withdraws(owner, supporter, stranger):
    propose(client_for(supporter), supporter, owner.email)
    proposal = Proposal.objects.get(owner=owner)
    for person in (supporter, stranger):
        client = client_for(person)
        assert client.get(f"/cercle/propositions/{proposal.pk}/").status_code == 404
        assert answer(client, proposal, "accepted").status_code == 404
    for person in (owner, stranger):
        assert client_for(person).post(f"/cercle/propositions/{proposal.pk}/retirer/").status_code == 404
    assert client_for(None).get(f"/cercle/propositions/{proposal.pk}/").status_code == 302
    assert not Link.objects.exists()
    client_for(supporter).post(f"/cercle/propositions/{proposal.pk}/retirer/")
    assert client_for(owner).get(f"/cercle/propositions/{proposal.pk}/").status_code == 404
    block = Block.objects.create(owner=owner, supporter=supporter)
    assert client_for(stranger).post(f"/cercle/bloques/{block.pk}/debloquer/").status_code == 404
    assert "Soutien" not in client_for(stranger).get("/cercle/bloques/").content.decode()


def parts_of(person):
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    manifest = json.loads(archive.read("manifest.json"))
    return {p["key"]: json.loads(archive.read(p["file"]))["records"] for p in manifest["parts"]}


def test_export_holds_both_sides_and_erasure_removes_them(owner, supporter):
    propose(client_for(supporter), supporter, owner.email)
    propose(client_for(supporter), supporter, "inconnu@example.net")
    answer(client_for(owner), Proposal.objects.get(owner=owner), "blocked")
    received = parts_of(owner)
    assert [(r["side"], r["from"], r["answer"]) for r in received["circle.proposals"]] == [
        ("received", "Soutien", "blocked")
    ]
    assert [r["pseudonym"] for r in received["circle.blocks"]] == ["Soutien"]
    made = parts_of(supporter)["circle.proposals"]
    # Nothing tells the supporter which address reached someone, nor any answer but acceptance.
    assert sorted(r["address"] for r in made) == ["c…@example.org", "i…@example.net"]
    assert all(set(r) >= {"accepted"} and "answer" not in r for r in made)
    personal_data.erase_person(supporter)
    assert not Proposal.objects.exists() and not Block.objects.exists()


def test_the_menu_and_the_overview_lead_to_the_circle(owner, supporter, relative, relative_with_alerts):
    menu = client_for(make_user("Seule")).get("/journal/apercu/")
    assert 'href="/cercle/"' in menu.content.decode()
    assert "/cercle/avec-moi/" not in menu.content.decode()  # not a supporter: no entry for it
    # A supporter finds the people who share with them; a person with a proposal, how to answer.
    assert 'href="/cercle/avec-moi/"' in client_for(relative).get("/journal/apercu/").content.decode()
    propose(client_for(supporter), supporter, owner.email)
    assert (
        "One person asks to join your circle." in client_for(owner).get("/journal/apercu/").content.decode()
    )
