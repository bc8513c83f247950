"""Sessions on shared computers: short unless remembered, capped for role holders."""

import time

import pytest
import time_machine
from django.test import Client

from conftest import PASSWORD, totp_code
from entraide.accounts import services
from entraide.accounts.models import Role


def login(user, *, remember=False):
    client = Client()
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    assert client.post("/compte/login/", data).status_code == 302
    return client


def test_remember_me_is_off_by_default_and_the_session_ends_with_the_browser(owner):
    page = Client().get("/compte/login/").content.decode()
    assert 'name="remember"' in page and "checked" not in page.split('name="remember"')[1][:30]
    client = login(owner)
    assert client.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie


def test_thirty_idle_minutes_end_an_unremembered_session(owner):
    with time_machine.travel(time.time(), tick=False) as clock:
        client = login(owner)
        assert client.get("/").context["user"] == owner
        clock.shift(29 * 60)
        assert client.get("/").context["user"] == owner  # activity pushes the clock back
        clock.shift(29 * 60)
        assert client.get("/").context["user"] == owner
        clock.shift(31 * 60)
        response = client.get("/transparence/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/?next=/transparence/")


def test_a_remembered_session_survives_idle_time(owner):
    with time_machine.travel(time.time(), tick=False) as clock:
        client = login(owner, remember=True)
        clock.shift(3 * 3600)
        assert client.get("/").context["user"] == owner


@pytest.mark.parametrize("remember", [False, True])
def test_role_holders_are_logged_out_after_twelve_hours(admin_user, remember):

    services.grant_role(admin_user, role=Role.MODERATOR, by=admin_user)
    with time_machine.travel(time.time(), tick=False) as clock:
        client = Client()
        data = {"login": admin_user.email, "password": PASSWORD, **({"remember": "on"} if remember else {})}
        client.post("/compte/login/", data)
        client.post("/compte/2fa/authenticate/", {"code": totp_code()})
        for _ in range(25):  # active every 29 minutes, for a little over 12 hours
            assert client.get("/").context["user"] == admin_user
            clock.shift(29 * 60)
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_a_sign_in_from_a_new_browser_is_emailed_but_not_the_first_one(owner, mailoutbox):
    first = login(owner)
    assert mailoutbox == []  # the very first login tells nothing new
    login(owner)  # another browser: no cookie
    (message,) = mailoutbox
    assert message.to == [owner.email]
    assert "navigateur" in message.body or "browser" in message.body
    assert "humeur" not in message.body.lower()
    # The same browser again: nothing.
    first.post("/compte/logout/")
    assert first.post("/compte/login/", {"login": owner.email, "password": PASSWORD}).status_code == 302
    assert len(mailoutbox) == 1


def test_a_password_change_is_emailed_and_logged(owner, mailoutbox):
    from entraide.accounts.models import SecurityEvent

    client = login(owner)
    mailoutbox.clear()
    new = "une autre phrase de passe solide"
    response = client.post(
        "/compte/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == [owner.email]
    assert SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()
