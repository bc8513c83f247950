"""Failed logins are limited without letting a shared address, or a stranger, lock people out.

Limits (settings.ACCOUNT_RATE_LIMITS): 5 failures in 5 minutes per (address, account), 60 in 10
minutes per address, 100 an hour per account; a browser that signed in to an account before counts
only its own failures for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from conftest import PASSWORD, make_user
from entraide.accounts import devices

pytestmark = pytest.mark.django_db

SHELTER = "203.0.113.7"  # one address for everyone on the day centre's Wi-Fi
ELSEWHERE = "198.51.100.20"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def clock():
    """A login every 3 seconds, as people arrive: allauth also limits login POSTs to 30 a minute
    per address, failed or not, which these tests do not measure."""
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def spaced(clock, monkeypatch):
    original = Client.post

    def post(self, *args, **kwargs):
        clock.shift(timedelta(seconds=3))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


def browser(address: str = SHELTER) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def log_in(client: Client, email: str, password: str) -> tuple[bool, str]:
    """(signed in, the page's text when not)."""
    response = client.post("/compte/login/", {"login": email, "password": password})
    return response.status_code == 302, response.content.decode() if response.status_code != 302 else ""


def test_twenty_people_behind_one_address_are_not_blocked_by_each_other():
    people = [make_user(f"Personne{i}") for i in range(20)]
    for person in people:  # everyone mistypes twice: 40 failures from one address
        for _ in range(2):
            ok, page = log_in(browser(), person.email, "mal tapé")
            assert not ok and TOO_MANY not in page
    for person in people:
        assert log_in(browser(), person.email, PASSWORD)[0], person.email


def test_one_targeted_account_is_not_locked_for_its_owner_nor_for_the_others():
    target = make_user("Cible")
    neighbour = make_user("Voisin")
    owners_phone = browser()
    assert log_in(owners_phone, target.email, PASSWORD)[0]
    assert devices.COOKIE in owners_phone.cookies
    owners_phone.post("/compte/logout/")

    # Someone on the same Wi-Fi, and someone elsewhere, try passwords on the target.
    for address in (SHELTER, ELSEWHERE):
        for _ in range(5):
            assert not log_in(browser(address), target.email, "une devinette")[0]
        ok, page = log_in(browser(address), target.email, "une devinette")
        assert not ok and TOO_MANY in page
        # Even the right password waits, from a browser the account has never seen there.
        ok, page = log_in(browser(address), target.email, PASSWORD)
        assert not ok and TOO_MANY in page

    # The owner's browser, which signed in before, is not blocked by anyone else's failures.
    assert log_in(owners_phone, target.email, PASSWORD)[0]
    # Nor is anybody else on that address.
    assert log_in(browser(), neighbour.email, PASSWORD)[0]
    # A third address has its own count for the target.
    assert log_in(browser("192.0.2.30"), target.email, PASSWORD)[0]


def test_a_known_browser_is_still_limited_by_its_own_failures():
    person = make_user("Alix")
    phone = browser()
    assert log_in(phone, person.email, PASSWORD)[0]
    phone.post("/compte/logout/")
    for _ in range(5):
        assert not log_in(phone, person.email, "oubli")[0]
    ok, page = log_in(phone, person.email, PASSWORD)
    assert not ok and TOO_MANY in page


def test_a_forged_or_foreign_cookie_exempts_nobody():
    person = make_user("Sam")
    other = make_user("Eli")
    other_phone = browser()
    assert log_in(other_phone, other.email, PASSWORD)[0]  # known for Eli, not for Sam
    other_phone.post("/compte/logout/")
    for _ in range(5):
        assert not log_in(browser(), person.email, "devinette")[0]
    ok, page = log_in(other_phone, person.email, PASSWORD)
    assert not ok and TOO_MANY in page
    forged = browser()
    forged.cookies[devices.COOKIE] = "eyJiIjoieCIsImEiOlsiYSJdfQ:forged:signature"
    ok, page = log_in(forged, person.email, PASSWORD)
    assert not ok and TOO_MANY in page


def test_one_address_is_limited_to_sixty_failures_in_ten_minutes():
    people = [make_user(f"Membre{i}") for i in range(13)]
    failures = 0
    for person in people:  # under the per-account limit: 5 each at most
        for _ in range(5):
            if failures == 60:
                break
            ok, page = log_in(browser(), person.email, "faux")
            assert not ok and TOO_MANY not in page
            failures += 1
    ok, page = log_in(browser(), people[-1].email, "faux")
    assert not ok and TOO_MANY in page
    assert log_in(browser(ELSEWHERE), people[-1].email, PASSWORD)[0]  # the address, not the account
