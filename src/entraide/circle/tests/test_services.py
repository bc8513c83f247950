import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import link_people, make_user
from entraide.circle import services
from entraide.circle.models import Grant, GrantChange, Invitation, Link
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_code_has_fifty_bits_is_stored_hashed_and_works_once(owner, relative):
    invitation, code = services.invite_person(owner, kind="relative")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code)
    assert code not in invitation.token_hash and invitation.token_hash == services.hash_token(code)
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    typed = services.display_code(code).lower().replace("0", "o")
    assert services.find_invitation_by_code(typed, tries_key="t").pk == invitation.pk
    services.accept_invitation(relative, invitation.pk)
    assert services.find_invitation_by_code(code, tries_key="t") is None
    with pytest.raises(services.InvitationUnavailableError):
        services.accept_invitation(make_user("Autre"), invitation.pk)


def test_five_wrong_codes_an_hour_then_even_the_right_one_waits(owner):
    _, code = services.invite_person(owner, kind="other")
    for _ in range(5):
        assert services.find_invitation_by_code("AAAAAAAAAA", tries_key="user:1") is None
    with pytest.raises(services.TooManyTriesError):
        services.find_invitation_by_code(code, tries_key="user:1")
    assert services.find_invitation_by_code(code, tries_key="user:2") is not None  # per account


def test_an_email_invitation_is_sent_whether_or_not_the_address_has_an_account(owner, stranger, mailoutbox):
    services.invite_person(owner, kind="relative", email=stranger.email)
    services.invite_person(owner, kind="relative", email="personne@example.org")
    assert [m.to for m in mailoutbox] == [[stranger.email], ["personne@example.org"]]
    first, second = mailoutbox
    assert first.subject == second.subject and "cercle" not in first.subject.lower()
    assert owner.pseudonym in first.body


def test_accepting_links_both_sides_and_shares_nothing_yet(owner, peer_helper):
    invitation, _ = services.invite_person(owner, kind="peer_helper")
    link = services.accept_invitation(peer_helper, invitation.pk)
    assert link.is_accepted and link.kind == "peer_helper"
    assert not Grant.objects.filter(link=link).exists()  # a preset alone shares nothing
    assert list(GrantChange.objects.filter(owner=owner).values_list("action", flat=True)) == [
        "invited",
        "linked",
    ]


def test_a_peer_helper_link_needs_the_role(owner, relative):
    invitation, _ = services.invite_person(owner, kind="peer_helper")
    with pytest.raises(services.CircleError):
        services.accept_invitation(relative, invitation.pk)
    assert not Link.objects.exists()
    assert Invitation.objects.get().used_at is None


def test_grants_are_consent_records_kept_with_their_time(owner, relative):
    link = link_people(owner, relative)
    until = timezone.now() + timedelta(days=90)
    choice = services.GrantChoice(
        scope="safety_plan", until=until, visible_from=None, options={"crisis_moments": False}
    )
    services.set_grants(link, choices=[choice], by=owner)
    services.set_grants(link, choices=[choice], by=owner)  # unchanged: no new record
    services.set_grants(
        link, choices=[services.GrantChoice(scope="safety_plan", until=None, visible_from=None)], by=owner
    )
    services.set_grants(link, choices=[], by=owner)
    changes = list(GrantChange.objects.filter(owner=owner, scope="safety_plan").order_by("pk"))
    assert [c.action for c in changes] == ["granted", "changed", "revoked"]
    assert changes[0].details["until"] == until.isoformat() and changes[1].details["until"] is None
    with pytest.raises(services.CircleError):
        services.grant_scope(link, choice=choice, by=relative)  # only the person shares


def test_when_a_supporter_ends_the_link_the_person_is_told_with_the_help_page(owner, peer_helper, relative):
    link = link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",))
    link_people(owner, relative)
    assert services.end_link(link, by=peer_helper)
    assert not services.end_link(link, by=peer_helper)
    note = Notification.objects.get(owner=owner)
    assert note.content["link"] == "/aide/"
    assert relative.pseudonym in note.content["body"]
    assert not Grant.objects.filter(link=link, revoked_at__isnull=True).exists()


def test_when_the_person_ends_the_link_nobody_is_notified(owner, peer_helper, mailoutbox):
    link = link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",))
    mailoutbox.clear()
    services.end_link(link, by=owner)
    assert not Notification.objects.exists() and len(mailoutbox) == 0


def test_erasing_a_person_ends_their_links_and_keeps_the_others_record(owner, peer_helper):
    from entraide.core.personal_data import erase_person

    link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins",))
    erase_person(peer_helper)
    change = GrantChange.objects.filter(owner=owner).order_by("-pk").first()
    assert change.action == "ended" and change.supporter_pseudonym == "Pascale"
    assert not Link.objects.exists()
    erase_person(owner)
    assert not GrantChange.objects.exists() and not Invitation.objects.exists()
