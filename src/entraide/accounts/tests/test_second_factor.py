"""Role holders enrol a second factor before anything else; secrets are stored encrypted."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from conftest import PASSWORD, totp_code
from entraide.accounts import services
from entraide.accounts.models import Role
from tests.project.pages import fill, walk


@pytest.fixture
def peer_helper(owner, admin_user):
    services.grant_role(owner, role=Role.PEER_HELPER, by=admin_user)
    return owner


def logged_in(user):
    """A real login (allauth records it, as it does for a person who just typed their password)."""
    client = Client()
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_role_holder_without_second_factor_can_reach_only_enrolment_and_help(peer_helper):
    client = logged_in(peer_helper)
    reachable = []
    for route in walk():
        if route.name in {"account_logout", "core:source"}:
            continue
        url = fill(route)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/":
            continue
        if response.status_code in {200, 400} and route.name:
            reachable.append(route.name)
    allowed = {
        "mfa_activate_totp",
        "mfa_add_webauthn",  # a passkey instead of an app
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "core:crisis-help",
        "core:legal-document",
        "core:legal-document-version",
        "core:transparency",
        "core:accessibility",
        "core:healthz",
        "core:security-txt",
        # pages for people not logged in, which a logged-in visitor just passes through
        "mfa_authenticate",
        "mfa_trust",
        "account_confirm_login_code",
        "account_reset_password_from_key",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_inactive",
    }
    assert set(reachable) <= allowed, sorted(set(reachable) - allowed)
    assert "core:crisis-help" in reachable
    assert client.get("/")["Location"] == "/compte/2fa/totp/activate/"


def test_people_without_a_role_are_not_asked(owner_client):
    assert owner_client.get("/").status_code == 200


def test_totp_enrolment_stores_the_secret_encrypted(peer_helper):
    client = logged_in(peer_helper)
    # Sent to enrolment straight from the login: the password just typed is not asked again.
    page = client.get("/compte/2fa/totp/activate/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()  # the QR code, allowed by our CSP
    response = client.post("/compte/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    raw = (
        Authenticator.objects.filter(user=peer_helper, type=Authenticator.Type.TOTP)
        .values_list("data", flat=True)
        .get()
    )
    assert secret not in str(raw)
    assert str(raw["secret"]).startswith("e1:")
    # and the role holder may now go everywhere
    assert client.get("/").status_code == 200


def test_other_people_confirm_their_password_before_adding_a_second_factor(owner):
    client = logged_in(owner)
    assert client.get("/compte/2fa/totp/activate/")["Location"].startswith("/compte/reauthenticate/")
    client.post("/compte/reauthenticate/", {"password": PASSWORD})
    assert client.get("/compte/2fa/totp/activate/").status_code == 200


def test_login_asks_for_the_second_factor(admin_user):
    client = Client()
    response = client.post("/compte/login/", {"login": admin_user.email, "password": PASSWORD})
    assert response["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/gestion/parametres/").status_code == 302  # not logged in yet
    client.post("/compte/2fa/authenticate/", {"code": totp_code()})
    assert client.get("/gestion/parametres/").status_code == 200


def test_recovery_seed_is_encrypted_too(admin_user):
    raw = (
        Authenticator.objects.filter(user=admin_user, type=Authenticator.Type.RECOVERY_CODES)
        .values_list("data", flat=True)
        .get()
    )
    assert str(raw["seed"]).startswith("e1:")
