"""A new password, or "log out of the other sessions", ends every token too (issue 18)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from entraide.accounts.models import SecurityEvent
from entraide.api import services
from entraide.api.models import PersonalToken
from entraide.api.tests.conftest import api_client

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "une toute nouvelle phrase 81"


def logged_in(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.cookies["entraide_language"] = "en"
    assert client.post("/compte/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_changing_the_password_ends_every_token_with_a_notice(owner, stranger):
    secrets = [services.create_token(owner, name=f"Script {i}", scope="read", days=30)[1] for i in range(2)]
    others = services.create_token(stranger, name="Autre", scope="read", days=30)[1]
    assert api_client(secrets[0]).get("/api/v1/checkins").status_code == 200
    client = logged_in(owner)
    response = client.post(
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "Your 2 API access tokens were ended too" in response.content.decode()
    for secret in secrets:
        assert api_client(secret).get("/api/v1/checkins").status_code == 401
    assert api_client(others).get("/api/v1/checkins").status_code == 200  # someone else's stay
    event = SecurityEvent.objects.get(user=owner, kind=SecurityEvent.Kind.API_TOKEN_REVOKED)
    assert event.extra == {"count": 2, "reason": "password"}


def test_logging_out_of_the_other_sessions_ends_every_token(owner):
    secret = services.create_token(owner, name="Script", scope="read", days=30)[1]
    client = logged_in(owner)
    response = client.post("/compte/sessions/", follow=True)
    assert response.status_code == 200
    assert "Your API access token was ended too" in response.content.decode()
    assert api_client(secret).get("/api/v1/checkins").status_code == 401
    assert PersonalToken.objects.get().revoked_at is not None


def test_a_password_change_without_tokens_says_nothing_about_them(owner):
    client = logged_in(owner)
    response = client.post(
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "API access token" not in response.content.decode()
    assert not SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.API_TOKEN_REVOKED).exists()


def test_ending_tokens_leaves_expired_and_revoked_ones_as_they_were(owner):
    token, _secret = services.create_token(owner, name="Script", scope="read", days=30)
    services.revoke_token(token)
    revoked_at = PersonalToken.objects.get().revoked_at
    assert services.end_tokens_of(owner, reason="password") == 0
    assert PersonalToken.objects.get().revoked_at == revoked_at
