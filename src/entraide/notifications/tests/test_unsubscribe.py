"""The unsubscribe link: opens a page with one button (no change on GET), works without logging in
and without a CSRF token (mail clients POST it, RFC 8058), refuses altered tokens, and cannot turn
off a security kind."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client

from conftest import client_for
from entraide.notifications import services
from entraide.notifications.models import NotificationPreference
from entraide.notifications.tests.conftest import NEWS, REPLY, SECURITY

pytestmark = pytest.mark.django_db


def path_for(user, kind):
    return services.unsubscribe_url(user, kind).removeprefix("http://127.0.0.1:8000")


def one_click(path):
    return Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def test_opening_the_link_changes_nothing_and_offers_one_button(english_owner):
    path = path_for(english_owner, REPLY)
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1 and "Stop these emails?" in page
    assert "A reply in the tests" in page
    forms = re.findall(r"<form.*?</form>", page, re.S)
    mine = [f for f in forms if f'action="{path}"' in f]
    assert len(mine) == 1 and 'method="post"' in mine[0]
    assert mine[0].count("<button") == 1 and "<input" not in mine[0]  # one button, nothing to fill
    assert services.channels_of(english_owner)[REPLY] == "email"
    assert not NotificationPreference.objects.exists()
    assert response["Cache-Control"] == "no-store"


def test_the_button_works_without_login_nor_csrf_token(english_owner):
    response = one_click(path_for(english_owner, REPLY))
    assert response.status_code == 200
    assert "Done: no more of these emails" in response.content.decode()
    assert services.channels_of(english_owner)[REPLY] == "in_app"  # stays in the centre
    again = Client(enforce_csrf_checks=True).post(path_for(english_owner, REPLY))  # a plain form post
    assert again.status_code == 200
    assert services.channels_of(english_owner)[REPLY] == "in_app"


def test_a_kind_already_off_stays_off(english_owner):
    services.set_channel(english_owner, REPLY, "off")
    one_click(path_for(english_owner, REPLY))
    assert services.channels_of(english_owner)[REPLY] == "off"


def test_the_page_speaks_the_persons_language_when_nobody_is_logged_in(owner, english_owner):
    response = Client().get(path_for(english_owner, REPLY), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # another signature
        lambda t: signing.Signer(salt="another").sign_object(
            signing.Signer(salt=services.UNSUBSCRIBE_SALT).unsign_object(t)
        ),
        lambda t: "garbage",
    ],
)
def test_an_altered_token_is_a_kind_400_and_changes_nothing(english_owner, tamper):
    token = services.unsubscribe_token(english_owner, REPLY)
    path = f"/notifications/desabonnement/{tamper(token)}/"
    for response in (Client().get(path), one_click(path)):
        assert response.status_code == 400
        page = response.content.decode()
        # Nobody is known from an altered token: the page speaks the instance's language.
        assert page.count("<h1") == 1 and "Ce lien ne fonctionne pas" in page
        assert "/aide/" in page  # the crisis link, as on every page
    assert services.channels_of(english_owner)[REPLY] == "email"


def test_a_token_for_another_person_changes_only_theirs(owner, stranger):
    one_click(path_for(stranger, REPLY))
    assert services.channels_of(stranger)[REPLY] == "in_app"
    assert services.channels_of(owner)[REPLY] == "email"


def test_a_security_kind_cannot_be_unsubscribed(english_owner):
    path = path_for(english_owner, SECURITY)
    for response in (Client().get(path), one_click(path)):
        assert response.status_code == 200
        page = response.content.decode()
        assert (
            "These emails cannot be turned off" in page and '<form method="post" action="/notif' not in page
        )
    assert services.channels_of(english_owner)[SECURITY] == "email"
    with pytest.raises(services.SecurityKindError):
        services.unsubscribe(services.read_unsubscribe_token(path.split("/")[-2]))


def test_the_digest_link_moves_every_digest_kind_to_the_site(english_owner):
    services.set_channel(english_owner, REPLY, "digest")
    one_click(path_for(english_owner, services.ALL_DIGESTS))
    channels = services.channels_of(english_owner)
    assert (channels[SECURITY], channels[REPLY], channels[NEWS]) == ("email", "in_app", "in_app")
    assert "digest" not in channels.values()


def test_a_logged_in_person_can_use_it_too(owner, stranger):
    """Someone logged in on a shared computer opening another person's email link: the token decides."""
    response = client_for(owner).post(path_for(stranger, REPLY))
    assert response.status_code == 200
    assert services.channels_of(stranger)[REPLY] == "in_app"
