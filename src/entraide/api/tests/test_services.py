"""api.services: tokens are random, stored hashed, expire, and are checked on every use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from entraide.api import services
from entraide.api.models import PersonalToken
from entraide.core.registries import api_areas

pytestmark = pytest.mark.django_db


def test_create_token_returns_the_secret_and_stores_its_hash(owner):
    token, secret = services.create_token(owner, name="  Mon   script ", scope="read", days=30)
    assert secret.startswith("ent_") and len(secret) == 47
    assert token.name == "Mon script"
    assert token.prefix == secret[4:12]
    assert token.secret_hash == services.hash_secret(secret) != secret
    assert token.expires_at - token.created_at == timedelta(days=30)
    other = services.create_token(owner, name="Autre", scope="read", days=30)[1]
    assert other != secret


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "", "scope": "read", "days": 30},
        {"name": "x" * 81, "scope": "read", "days": 30},
        {"name": "Ok", "scope": "admin", "days": 30},
        {"name": "Ok", "scope": "read", "days": 0},
        {"name": "Ok", "scope": "read", "days": 10_000},
    ],
)
def test_create_token_refuses_what_the_form_would(owner, kwargs):
    with pytest.raises(ValueError):
        services.create_token(owner, **kwargs)
    assert not PersonalToken.objects.exists()


def test_authenticate_finds_the_token_with_its_owner(owner, django_assert_num_queries):
    token, secret = services.create_token(owner, name="Script", scope="read_write", days=90)
    with django_assert_num_queries(2):  # the token and its owner, then its last use
        found = services.authenticate(secret)
    assert found == token and found.owner == owner and found.scope_for("journal") == "read_write"
    with django_assert_num_queries(1):  # used less than a minute ago: no write
        services.authenticate(secret)


def test_authenticate_refuses_expired_revoked_and_inactive(owner, stranger):
    token, secret = services.create_token(owner, name="Script", scope="read", days=30)
    assert services.authenticate(secret, now=token.expires_at - timedelta(seconds=1)) is not None
    assert services.authenticate(secret, now=token.expires_at) is None

    services.revoke_token(token)
    revoked_at = token.revoked_at
    services.revoke_token(token)  # twice: the first time stays
    assert PersonalToken.objects.get().revoked_at == revoked_at
    assert services.authenticate(secret) is None

    _other, secret = services.create_token(stranger, name="Script", scope="read", days=30)
    stranger.is_active = False
    stranger.save(update_fields=["is_active"])
    assert services.authenticate(secret) is None


@pytest.mark.parametrize(
    "raw", ["", "ent_", "ent_" + "a" * 42, "ent_" + "a" * 44, "xyz_" + "a" * 43, "ent_" + "é" * 43]
)
def test_authenticate_refuses_malformed_secrets_without_a_query(raw, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.authenticate(raw) is None


def test_model_states(owner):
    token, _secret = services.create_token(owner, name="Script", scope="read", days=30)
    assert token.is_active and token.scope_for("journal") == "read"
    assert token.is_expired(timezone.now() + timedelta(days=31))
    assert str(token) == f"personal token {token.pk}"


def test_token_creation_and_revocation_are_recorded_and_mailed(owner, mailoutbox):
    from entraide.accounts.models import SecurityEvent

    token, raw = services.create_token(owner, name="Mon script", scope="read", days=30)
    assert SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.API_TOKEN_CREATED).count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [owner.email]
    assert raw not in message.body and token.prefix not in message.body  # never the secret
    assert "/compte/acces-api/" in message.body
    services.revoke_token(token)
    services.revoke_token(token)  # twice: recorded once
    assert SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.API_TOKEN_REVOKED).count() == 1


def test_scope_shorthand_opens_every_area_of_the_persons_space_registered_now(owner):
    token, _secret = services.create_token(owner, name="Script", scope="read", days=30)
    own = [area for area in api_areas.ordered() if not area.others]
    assert sorted(token.areas) == sorted(f"{area.key}:read" for area in own)
    # What others share with the person is never part of "every area": it is named, read only.
    assert [area.key for area in api_areas.ordered() if area.others] == ["circle_shared"]
    assert token.scope_for("circle_shared") is None


@pytest.mark.parametrize(
    "areas", [{}, {"journal": "admin"}, {"nowhere": "read"}, {"circle_shared": "read_write"}]
)
def test_create_token_refuses_unknown_areas_and_scopes(owner, areas):
    with pytest.raises(ValueError):
        services.create_token(owner, name="Script", areas=areas, days=30)
    assert not PersonalToken.objects.exists()


def test_a_token_made_before_areas_opens_every_area_with_its_old_scope(owner):
    token, _secret = services.create_token(owner, name="Script", areas={"journal": "read"}, days=30)
    token.areas = ["*:read_write"]  # as the migration leaves a read and write token
    own = [area for area in api_areas.ordered() if not area.others]
    assert [token.scope_for(area.key) for area in own] == ["read_write"] * len(own)
    assert token.scope_for("circle_shared") is None  # what others share: only when named
    token.areas = ["*:read_write", "circle_shared:read_write"]  # a hand-edited row: still read only
    assert token.scope_for("circle_shared") == "read"
    token.areas = ["*:read_write"]
    assert token.scope_for("an area added later") == "read_write"
    with translation.override("en"):
        assert token.described_areas() == [("Every area", "Read and write")]
    token.areas = ["journal:read", "nonsense", "goals:admin"]  # what a hand-edited row may hold
    assert token.scopes() == {"journal": "read"}
