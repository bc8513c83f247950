import pytest
from django.test import Client

from conftest import PASSWORD


def test_login_with_email_then_logout(owner):
    client = Client()
    page = client.get("/compte/login/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    response = client.post("/compte/login/", {"login": "CAMILLE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == owner

    response = client.post("/compte/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_wrong_password_is_refused_kindly(owner):
    response = Client().post(
        "/compte/login/", {"login": "camille@example.org", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_logged_in_pages_are_never_cached(owner_client):
    response = owner_client.get("/")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_public_pages_may_be_cached_when_logged_out(client):
    assert "no-store" not in client.get("/transparence/").get("Cache-Control", "")


def test_production_password_hasher_is_argon2id_sized_for_a_small_host():
    from entraide.accounts.hashers import SmallHostArgon2PasswordHasher
    from entraide.settings import PASSWORD_HASHERS

    assert PASSWORD_HASHERS[0] == "entraide.accounts.hashers.SmallHostArgon2PasswordHasher"
    hasher = SmallHostArgon2PasswordHasher()
    encoded = hasher.encode("secret phrase", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("secret phrase", encoded)
