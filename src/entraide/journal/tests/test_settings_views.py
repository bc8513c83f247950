"""The check-in settings page: saved once per form token; a form opened by another account saves
nothing."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import pgettext

from conftest import client_for
from entraide.journal import services

pytestmark = pytest.mark.django_db

SETTINGS = "/journal/reglages/"


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def test_settings_saved_twice_with_one_token_say_so(owner):
    client = client_for(owner)
    data = {"form_token": token_of(client.get(SETTINGS)), "reminder_time": "20:00", "own_emotions": "Fierté"}
    first = client.post(SETTINGS, data, follow=True)
    assert pgettext("journal settings", "Your choices are saved.") in first.content.decode()
    assert services.journal_settings_of(owner).own_emotions == ["Fierté"]
    second = client.post(SETTINGS, {**data, "own_emotions": "Calme"}, follow=True)
    assert second.redirect_chain == [(SETTINGS, 302)]
    assert pgettext("forms", "This was already saved: nothing was sent twice.") in second.content.decode()
    assert services.journal_settings_of(owner).own_emotions == ["Fierté"]


def test_settings_opened_by_another_account_save_nothing(owner, stranger):
    data = {"form_token": token_of(client_for(stranger).get(SETTINGS)), "track_substances": "on"}
    response = client_for(owner).post(SETTINGS, {**data, "reminder_time": "20:00"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not services.journal_settings_of(owner).track_substances
