import pytest
from django.test import Client

from entraide.core import instance, services


@pytest.mark.django_db
def test_accept_language_picks_english(client):
    response = client.get("/aide/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_french_is_the_default(client):
    assert '<html lang="fr">' in client.get("/aide/").content.decode()


@pytest.mark.django_db
def test_instance_default_language_applies_when_the_browser_asks_for_another(client):
    row = instance.load_settings()
    row.default_language = "en"
    services.save_instance_settings(row)
    assert '<html lang="en">' in client.get("/aide/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


@pytest.mark.django_db
def test_switcher_sets_the_language_without_javascript(client):
    response = client.post("/langue/", {"language": "en", "next": "/transparence/"})
    assert response.status_code == 302
    assert response["Location"] == "/transparence/"
    assert '<html lang="en">' in client.get("/transparence/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_switcher_remembers_the_choice_in_the_profile(owner):
    client = Client()
    client.force_login(owner)
    client.post("/langue/", {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.preferred_language == "en"
    # A new browser without the cookie follows the profile.
    other = Client()
    other.force_login(owner)
    assert '<html lang="en">' in other.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_switcher_ignores_outside_redirects(client):
    response = client.post("/langue/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
