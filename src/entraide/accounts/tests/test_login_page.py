"""Issue 19, item 2: the login page invited people to create an account on an instance open by
invitation only; it now says how to get an invitation."""

from __future__ import annotations

import pytest
from django.test import Client

from entraide.core import instance, services


def set_signup(mode: str, *, contact: str = "") -> None:
    row = instance.load_settings()
    row.signup_mode = mode
    row.contact_email = contact
    services.save_instance_settings(row)


def login_page(client: Client | None = None) -> str:
    return (client or Client()).get("/compte/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_by_invitation_the_login_page_says_how_to_get_one():
    set_signup("invitation", contact="contact@tilleuls.example")
    page = login_page()
    assert "/compte/signup/" not in page
    assert "sur invitation seulement" in page
    assert 'href="mailto:contact@tilleuls.example"' in page

    set_signup("invitation")
    page = login_page()
    assert "/compte/signup/" not in page
    assert "demandez une invitation à un membre ou aux personnes qui le font vivre" in page


@pytest.mark.django_db
def test_open_sign_up_is_offered_on_the_login_page():
    set_signup("open")
    page = login_page()
    assert 'href="/compte/signup/' in page
    assert "invitation" not in page
    assert "<h1>Connexion</h1>" in page or ">Connexion</h1>" in page
