"""Nothing typed is lost when a session expires: the posted form is kept 30 minutes, encrypted
with a key that lives only in a cookie, and given back pre-filled to the same account only."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, client_for
from entraide.core.forms import formstash
from entraide.core.models import StashedForm
from entraide.core.web import ratelimits
from entraide.journal.models import Checkin

pytestmark = pytest.mark.django_db

NEW = "/journal/point/nouveau/"
NOTE = "Une note tapée longuement, à ne pas perdre"


def token_of(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def log_in(client, user):
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def logged_in(user) -> Client:
    # Through the login page, as a person does: allauth records the session with its account.
    client = Client()
    log_in(client, user)
    return client


def post_after_expiry(user, client=None, path=NEW, **fields):
    client = client or logged_in(user)
    token = token_of(client.get(path))
    Session.objects.all().delete()  # the session expired on the server
    data = {
        "form_token": token,
        "moment": "2026-11-20T10:00",
        "mood": "4",
        "emotions": ["worry"],
        "note": NOTE,
    }
    response = client.post(path, {**data, **fields})
    return client, response


def login_page_after(client, response) -> str:
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")
    return client.get(response["Location"]).content.decode()


NOT_KEPT = "could not be kept"


def test_formstash_keeps_the_form_and_gives_it_back_after_login(owner):
    client, response = post_after_expiry(owner)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/?next=/journal/point/nouveau/")
    assert Checkin.objects.count() == 0
    stash = StashedForm.objects.get()
    assert stash.user_id == owner.pk
    assert NOTE.encode() not in bytes(stash.ciphertext)  # encrypted
    cookie = response.cookies[formstash.COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 1800
    key_part = cookie.value.partition(".")[2]
    assert key_part and key_part.encode() not in bytes(stash.ciphertext)

    login_page = client.get(response["Location"])
    assert "30 minutes" in login_page.content.decode()
    log_in(client, owner)
    form = client.get(NEW)
    body = form.content.decode()
    assert NOTE in body
    assert re.search(r'value="4"[^>]*checked', body)
    assert re.search(r'value="worry"[^>]*checked', body)
    assert Checkin.objects.count() == 0  # shown again, never submitted on its own
    assert not StashedForm.objects.exists()  # given back once
    assert form.cookies[formstash.COOKIE].value == ""  # and the cookie is cleared
    # Saving it now works with the token it carried.
    saved = client.post(
        NEW, {"form_token": token_of(form), "moment": "2026-11-20T10:00", "mood": "4", "note": NOTE}
    )
    assert saved.status_code == 302
    assert Checkin.objects.get().payload["note"] == NOTE


def test_formstash_never_gives_the_form_to_another_account(owner, stranger):
    client, _response = post_after_expiry(owner)
    log_in(client, stranger)
    body = client.get(NEW).content.decode()
    assert NOTE not in body
    assert StashedForm.objects.filter(user=owner).exists()  # still there for its owner, until it expires


def test_formstash_forgets_after_30_minutes(owner):
    client, _response = post_after_expiry(owner)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        log_in(client, owner)
        assert NOTE not in client.get(NEW).content.decode()


def test_formstash_keeps_nothing_without_a_valid_token(owner):
    client = client_for(owner)
    client.get(NEW)
    Session.objects.all().delete()
    response = client.post(NEW, {"form_token": "forged.token", "moment": "2026-11-20T10:00", "note": NOTE})
    assert response.status_code == 302  # to login, as any anonymous POST
    assert not StashedForm.objects.exists()
    assert formstash.COOKIE not in response.cookies


def test_formstash_keeps_a_form_posted_after_the_idle_timeout(owner):
    with time_machine.travel(time.time(), tick=False) as clock:
        client = Client()
        log_in(client, owner)
        token = token_of(client.get(NEW))
        clock.shift(45 * 60)
        response = client.post(NEW, {"form_token": token, "moment": "2026-11-20T10:00", "note": NOTE})
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert Checkin.objects.count() == 0
    assert StashedForm.objects.filter(user=owner).exists()
    assert formstash.COOKIE in response.cookies
    log_in(client, owner)
    assert NOTE in client.get(NEW).content.decode()


def english(client):
    client.cookies["entraide_language"] = "en"
    return client


def test_formstash_keeps_nothing_for_a_session_that_never_existed(owner):
    """A valid token with an invented session cookie (the flood of issue 18): nothing kept."""
    client = client_for(owner)
    token = token_of(client.get(NEW))
    client.logout()  # and its cookies
    english(client)
    client.cookies["sessionid"] = "x" * 32
    response = client.post(NEW, {"form_token": token, "note": NOTE})
    assert NOT_KEPT in login_page_after(client, response)
    assert not StashedForm.objects.exists()
    assert formstash.COOKIE not in response.cookies


def test_formstash_keeps_nothing_for_another_accounts_session(owner, stranger):
    owner_token = token_of(client_for(owner).get(NEW))
    client, _ = post_after_expiry(stranger, english(logged_in(stranger)), note="du stranger")
    StashedForm.objects.all().delete()
    # The stranger's ended session, with a form token of the owner's.
    response = client.post(NEW, {"form_token": owner_token, "note": NOTE})
    assert NOT_KEPT in login_page_after(client, response)
    assert not StashedForm.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"note": "a" * (formstash.MAX_VALUE_CHARS + 1)},  # one value over any form's limit
        {f"field{i}": "é" * 90_000 for i in range(3)},  # 540 KB in all
    ],
    ids=["long-value", "over-512-KB"],
)
def test_formstash_refuses_forms_over_the_limits(owner, fields):
    client, response = post_after_expiry(owner, english(logged_in(owner)), **fields)
    assert NOT_KEPT in login_page_after(client, response)
    assert not StashedForm.objects.exists()
    assert Checkin.objects.count() == 0


def test_formstash_keeps_a_form_just_under_the_limits(owner):
    fields = {"note": "é" * 100_000, "other": "é" * 100_000, "third": "a" * 100_000}  # ~500 KB
    client, response = post_after_expiry(owner, **fields)
    assert "30 minutes" in login_page_after(client, response)
    assert StashedForm.objects.count() == 1


def test_formstash_keeps_at_most_three_forms_a_person(owner):
    client = logged_in(owner)
    paths = [NEW, "/journal/carnet/nouveau/", "/objectifs/nouveau/", "/pensees/nouvelle/"]
    tokens = [token_of(client.get(path)) for path in paths]
    Session.objects.all().delete()
    for path, token in zip(paths, tokens, strict=True):
        assert client.post(path, {"form_token": token, "note": NOTE}).status_code == 302
    assert StashedForm.objects.filter(user=owner).count() == formstash.MAX_PER_PERSON
    assert not StashedForm.objects.filter(path=NEW).exists()  # the oldest went
    # The same page again replaces its own, still three.
    client.post(paths[-1], {"form_token": tokens[-1], "note": NOTE})
    assert StashedForm.objects.filter(user=owner).count() == formstash.MAX_PER_PERSON


def test_formstash_counts_kept_forms_per_address(owner, monkeypatch):
    monkeypatch.setattr(formstash, "PER_ADDRESS", ratelimits.Limit("kept-form-test", limit=2, per=600))
    client = english(logged_in(owner))
    token = token_of(client.get(NEW))
    Session.objects.all().delete()
    said = [login_page_after(client, client.post(NEW, {"form_token": token, "note": NOTE})) for _ in range(3)]
    assert [NOT_KEPT in page for page in said] == [False, False, True]


def test_formstash_address_limit_is_off_for_the_benchmark(owner, monkeypatch, settings):
    settings.RATE_LIMITS = False
    monkeypatch.setattr(formstash, "PER_ADDRESS", ratelimits.Limit("kept-form-test", limit=1, per=600))
    client = english(logged_in(owner))
    token = token_of(client.get(NEW))
    Session.objects.all().delete()
    said = [login_page_after(client, client.post(NEW, {"form_token": token, "note": NOTE})) for _ in range(3)]
    assert not any(NOT_KEPT in page for page in said)
