"""Invitations: who may invite, by email or by link, hashed tokens, expiry, revocation, one use."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for, make_user, text_outside_urls
from entraide.accounts import invitations, services
from entraide.accounts.models import Invitation, Role, RoleGrant, SecurityEvent, User
from entraide.core import instance
from entraide.core import services as core_services

SIGNUP = {
    "email": "nouveau@example.org",
    "pseudonym": "Nouveau",
    "password1": "une phrase de passe solide 42",
    "password2": "une phrase de passe solide 42",
    "age_declaration": "on",
    "accept_terms": "on",
    "health_consent": "on",
}


def token_of(response) -> str:
    match = re.search(r"/invitation/([A-Za-z0-9_-]{40,})/", response.content.decode())
    assert match, "no invitation link on the page"
    return match.group(1)


def link_invitation(client: Client, **data: str) -> str:
    response = client.post(
        "/gestion/invitations/nouvelle/", {"channel": "link", "expires_in_days": "14", **data}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return token_of(response)


# --- Who may invite -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/gestion/invitations/", "/gestion/invitations/nouvelle/"])
def test_administrators_and_coordinators_invite_nobody_else(admin_user, coordinator, owner, url):
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/compte/login/")
    refused = client_for(owner).get(url)
    assert refused.status_code == 403
    assert "Only administrators and coordinators can invite people." in refused.content.decode()
    assert client_for(coordinator).get(url).status_code == 200
    page = client_for(admin_user).get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1


def test_revoking_an_unknown_invitation(admin_user, owner):
    assert client_for(admin_user).post("/gestion/invitations/999999/annuler/").status_code == 404
    assert client_for(owner).post("/gestion/invitations/999999/annuler/").status_code == 403
    anonymous = Client().post("/gestion/invitations/999999/annuler/")
    assert anonymous["Location"].startswith("/compte/login/")


def test_coordinators_cannot_give_the_administering_roles(admin_user, coordinator):
    assert invitations.invitation_roles_for(coordinator) == [Role.PEER_HELPER, Role.MODERATOR]
    assert invitations.invitation_roles_for(admin_user) == [
        Role.PEER_HELPER,
        Role.MODERATOR,
        Role.COORDINATOR,
        Role.ADMIN,
    ]
    client = client_for(coordinator)
    page = client.get("/gestion/invitations/nouvelle/").content.decode()
    assert 'value="admin"' not in page and 'value="coordinator"' not in page
    for role in (Role.ADMIN, Role.COORDINATOR):
        response = client.post(
            "/gestion/invitations/nouvelle/", {"channel": "link", "expires_in_days": "14", "role": role}
        )
        assert response.status_code == 400
        with pytest.raises(PermissionDenied):
            invitations.create_invitation(by=coordinator, role=role)
    assert not Invitation.objects.exists()


def test_coordinators_cannot_cancel_an_administrator_invitation(admin_user, coordinator):
    invitation, _token = invitations.create_invitation(by=admin_user, role=Role.ADMIN)
    assert "/annuler/" not in client_for(coordinator).get("/gestion/invitations/").content.decode()
    response = client_for(coordinator).post(f"/gestion/invitations/{invitation.pk}/annuler/")
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_peer_helper_invitation_needs_the_adult_check(admin_user):
    client = client_for(admin_user)
    data = {"channel": "link", "expires_in_days": "14", "role": Role.PEER_HELPER}
    response = client.post("/gestion/invitations/nouvelle/", data)
    assert response.status_code == 400
    assert "must be adults" in response.content.decode()
    assert client.post("/gestion/invitations/nouvelle/", {**data, "adult_checked": "on"}).status_code == 200


@pytest.mark.parametrize(("days", "status"), [("0", 400), ("1", 200), ("30", 200), ("31", 400), ("", 400)])
def test_an_invitation_lasts_from_one_to_thirty_days(admin_user, days, status):
    with time_machine.travel("2025-03-01 10:00 +0000", tick=False):
        response = client_for(admin_user).post(
            "/gestion/invitations/nouvelle/", {"channel": "link", "expires_in_days": days}
        )
        assert response.status_code == status
        if status == 200:
            invitation = Invitation.objects.get()
            assert invitation.expires_at == timezone.now() + timedelta(days=int(days))


def test_an_email_is_required_to_send_by_email(admin_user, mailoutbox):
    response = client_for(admin_user).post(
        "/gestion/invitations/nouvelle/", {"channel": "email", "expires_in_days": "14"}
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not mailoutbox and not Invitation.objects.exists()


# --- By email ---------------------------------------------------------------------------------------


def _by_invitation_instance() -> None:
    row = instance.load_settings()
    row.signup_mode = "invitation"
    row.default_language = "en"
    core_services.save_instance_settings(row)


def test_an_invitation_by_email_opens_sign_up_and_gives_its_role(admin_user, mailoutbox):
    _by_invitation_instance()
    assert "signup_closed" in Client().get("/compte/signup/").templates[0].name

    response = client_for(admin_user).post(
        "/gestion/invitations/nouvelle/",
        {"channel": "email", "email": "Nouveau@Example.org", "role": Role.MODERATOR, "expires_in_days": "14"},
    )
    assert response.status_code == 302 and response["Location"] == "/gestion/invitations/"
    (message,) = mailoutbox
    assert message.to == ["nouveau@example.org"]
    assert message.subject == "[entraide] Your invitation"  # the instance's language, nothing telling
    assert "moderat" not in text_outside_urls(message.body)
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)/", message.body).group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == invitations.hash_token(token) != token

    visitor = Client()
    opened = visitor.get(f"/invitation/{token}/")
    assert opened.status_code == 302 and opened["Location"] == "/compte/signup/"
    form = visitor.get("/compte/signup/")
    assert "signup_closed" not in form.templates[0].name
    assert 'value="nouveau@example.org"' in form.content.decode()  # pre-filled

    done = visitor.post("/compte/signup/", SIGNUP)
    assert done.status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    # The link proved the address: no second confirmation, logged in at once.
    assert EmailAddress.objects.get(user=user).verified
    assert visitor.session["_auth_user_id"] == str(user.pk)

    invitation.refresh_from_db()
    assert (invitation.used_by, invitations.status_of(invitation)) == (user, "used")
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.granted_by) == (Role.MODERATOR, admin_user)
    used = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.INVITATION_USED)
    assert (used.actor, used.extra) == (admin_user, {"invitation": invitation.pk, "role": Role.MODERATOR})
    granted = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.ROLE_GRANTED)
    assert granted.actor == admin_user and granted.extra["invitation"] == invitation.pk
    # Its role needs a second factor: enrolment comes first.
    assert visitor.get("/").url.startswith("/compte/2fa/totp/activate")

    again = client_for().get(f"/invitation/{token}/")
    assert again.status_code == 410
    assert again.content.decode().count("<h1") == 1
    assert "already been used" in again.content.decode()


def test_an_invitation_is_used_once_even_by_two_open_browsers(admin_user):
    _by_invitation_instance()
    _invitation, token = invitations.create_invitation(by=admin_user, role=Role.MODERATOR)
    first, second = Client(), Client()
    for browser in (first, second):
        assert browser.get(f"/invitation/{token}/").status_code == 302
        assert "signup_closed" not in browser.get("/compte/signup/").templates[0].name
    assert first.post("/compte/signup/", SIGNUP).status_code == 302
    late = second.post("/compte/signup/", {**SIGNUP, "email": "autre@example.org", "pseudonym": "Autre"})
    assert "signup_closed" in late.templates[0].name
    assert not User.objects.filter(email="autre@example.org").exists()


def test_a_sign_up_that_loses_the_race_fails_and_leaves_no_account(admin_user, monkeypatch):
    """Both browsers passed the open-for-sign-up check before either finished: the conditional
    UPDATE decides, and the loser's account is removed."""
    _by_invitation_instance()
    invitation, token = invitations.create_invitation(by=admin_user, role=Role.MODERATOR)
    first, second = Client(), Client()
    first.get(f"/invitation/{token}/")
    second.get(f"/invitation/{token}/")
    assert first.post("/compte/signup/", SIGNUP).status_code == 302
    monkeypatch.setattr(invitations, "pending_invitation", lambda request: invitation)  # a stale check
    late = second.post(
        "/compte/signup/",
        {**SIGNUP, "email": "autre@example.org", "pseudonym": "Autre"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert late.status_code == 410
    assert not User.objects.filter(email="autre@example.org").exists()
    assert RoleGrant.objects.filter(role=Role.MODERATOR).count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.INVITATION_USED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_one_invitation_let_exactly_one_win():
    admin = services.create_administrator(email="racer@example.org", pseudonym="Racer", password="x" * 12)
    invitation, _token = invitations.create_invitation(by=admin, role=Role.MODERATOR)
    people = [make_user(f"Coureur{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def claim(person: User) -> None:
        try:
            barrier.wait(timeout=10)
            invitations.use_invitation(invitation.pk, user=person)
            results.append("won")
        except invitations.InvitationUnavailableError:
            results.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["lost", "won"]
    assert RoleGrant.objects.filter(role=Role.MODERATOR).count() == 1


def test_an_open_instance_keeps_the_account_when_the_invitation_is_gone(admin_user, monkeypatch):
    row = instance.load_settings()
    row.signup_mode = "open"
    core_services.save_instance_settings(row)
    invitation, token = invitations.create_invitation(by=admin_user, role=Role.MODERATOR)
    browser = Client()
    browser.get(f"/invitation/{token}/")
    invitations.revoke_invitation(invitation, by=admin_user)
    assert browser.post("/compte/signup/", SIGNUP).status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    assert services.active_roles(user) == set()


# --- By link --------------------------------------------------------------------------------------


def _everything_stored() -> str:
    """Every row of every model, and every session decoded: where a token must never be."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    sessions = [str(s.get_decoded()) for s in Session.objects.all()]
    return out.getvalue() + "\n".join(sessions)


def test_a_link_invitation_is_shown_once_and_stored_hashed(admin_user, mailoutbox):
    _by_invitation_instance()
    admin = client_for(admin_user)
    response = admin.post(
        "/gestion/invitations/nouvelle/",
        {
            "channel": "link",
            "email": "ignored@example.org",
            "role": Role.PEER_HELPER,
            "adult_checked": "on",
            "expires_in_days": "7",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode().count("<h1") == 1
    token = token_of(response)
    assert not mailoutbox
    invitation = Invitation.objects.get()
    assert invitation.email == ""
    list_page = admin.get("/gestion/invitations/").content.decode()
    assert token not in list_page and "Waiting" in list_page and "Alix" in list_page

    visitor = Client()
    assert visitor.get(f"/invitation/{token}/").status_code == 302
    assert token not in _everything_stored()

    assert (
        visitor.post(
            "/compte/signup/", {**SIGNUP, "email": "pair@example.org", "pseudonym": "Pair"}
        ).status_code
        == 302
    )
    user = User.objects.get(email="pair@example.org")
    assert not EmailAddress.objects.get(user=user).verified  # a link proves no address: confirm it
    assert services.active_roles(user) == {Role.PEER_HELPER}
    granted = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.ROLE_GRANTED)
    assert granted.extra["adult_checked"] is True and granted.actor == admin_user
    assert token not in _everything_stored()
    assert "Used" in admin.get("/gestion/invitations/").content.decode()


def test_a_logged_in_person_opening_a_link_leaves_it_for_its_holder(admin_user, owner):
    invitation, token = invitations.create_invitation(by=admin_user)
    response = client_for(owner).get(f"/invitation/{token}/")
    assert response.status_code == 200
    assert "already logged in" in response.content.decode()
    invitation.refresh_from_db()
    assert invitations.status_of(invitation) == "pending"


def test_an_unknown_link_is_not_found(db):
    response = client_for().get("/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert response.content.decode().count("<h1") == 1
    assert "does not work" in response.content.decode()


# --- Expiry and revocation ----------------------------------------------------------------------------


def test_an_expired_invitation_no_longer_opens_sign_up(admin_user):
    _by_invitation_instance()
    with time_machine.travel("2025-03-01 10:00 +0000", tick=False):
        invitation, token = invitations.create_invitation(by=admin_user, days=1)
        visitor = client_for()
        assert visitor.get(f"/invitation/{token}/").status_code == 302
    with time_machine.travel("2025-03-02 10:01 +0000", tick=False):
        assert "signup_closed" in visitor.get("/compte/signup/").templates[0].name
        response = client_for().get(f"/invitation/{token}/")
        assert response.status_code == 410 and "expired" in response.content.decode()
        assert "Expired" in client_for(admin_user).get("/gestion/invitations/").content.decode()
        with pytest.raises(invitations.InvitationUnavailableError):
            invitations.use_invitation(invitation.pk, user=admin_user)


def test_a_revoked_invitation_no_longer_opens_sign_up(admin_user):
    _by_invitation_instance()
    invitation, token = invitations.create_invitation(by=admin_user)
    visitor = client_for()
    visitor.get(f"/invitation/{token}/")

    admin = client_for(admin_user)
    assert admin.get(f"/gestion/invitations/{invitation.pk}/annuler/").status_code == 405  # POST only
    assert admin.post(f"/gestion/invitations/{invitation.pk}/annuler/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "Cancelled" in admin.get("/gestion/invitations/").content.decode()

    assert "signup_closed" in visitor.get("/compte/signup/").templates[0].name
    assert visitor.post("/compte/signup/", SIGNUP).status_code == 200
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
    response = client_for().get(f"/invitation/{token}/")
    assert response.status_code == 410 and "cancelled" in response.content.decode()
    assert not invitations.revoke_invitation(invitation, by=admin_user)  # once is enough


def test_the_invitation_list_makes_the_same_queries_for_few_or_many(admin_user, coordinator):
    client = client_for(coordinator)

    def count() -> int:
        client.get("/gestion/invitations/")  # a grant elsewhere makes each session re-read its roles once
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/gestion/invitations/").status_code == 200
        return len(queries)

    for _ in range(2):
        invitations.create_invitation(by=admin_user)
    few = count()
    for i in range(20):
        invitation, _token = invitations.create_invitation(by=coordinator, role=Role.MODERATOR)
        if i % 2:
            invitations.use_invitation(invitation.pk, user=make_user(f"Invite{i}"))
    assert count() == few
