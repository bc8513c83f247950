"""The preferences page: a radio group per kind, works without JavaScript, keeps what was typed
when something is wrong, and never lets a security kind be turned off."""

from __future__ import annotations

import re

import pytest

from conftest import client_for
from entraide.core.registries import notification_kinds
from entraide.notifications import services
from entraide.notifications.models import NotificationPreference
from entraide.notifications.tests.conftest import NEWS, REPLY, SECURITY

pytestmark = pytest.mark.django_db

URL = "/notifications/preferences/"


def choices(person, **chosen: str) -> dict[str, str]:
    """What the form posts: every changeable kind's current channel, some changed (by key)."""
    current = services.channels_of(person)
    data = {k.key: current[k.key] for k in notification_kinds.ordered() if not k.security}
    data.update({key.replace("__", "."): channel for key, channel in chosen.items()})
    return data


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{re.escape(name)}" value="(\w+)"[^>]*checked', page)


def test_each_kind_is_a_radio_group_showing_the_current_channel(owner):
    services.set_channel(owner, NEWS, "off")
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert checked(page, REPLY) == ["email"]  # its default
    assert checked(page, NEWS) == ["off"]  # the person's choice
    for channel in ("in_app", "email", "digest", "off"):
        assert f'name="{REPLY}" value="{channel}"' in page
    assert "<legend>A reply in the tests</legend>" in page
    # The security kind is shown, fixed: nothing to submit for it.
    assert "A security notice in the tests" in page and f'name="{SECURITY}"' not in page


def test_saving_without_javascript(owner):
    response = client_for(owner).post(URL, choices(owner, testapp__reply="digest", testapp__news="in_app"))
    assert response.status_code == 302 and response["Location"] == URL
    channels = services.channels_of(owner)
    assert (channels[SECURITY], channels[REPLY], channels[NEWS]) == ("email", "digest", "in_app")
    followed = client_for(owner).get(URL).content.decode()
    assert checked(followed, REPLY) == ["digest"]


def test_unchanged_defaults_store_nothing(owner):
    client_for(owner).post(URL, choices(owner, testapp__news="in_app"))
    assert list(NotificationPreference.objects.values_list("kind", "channel")) == [(NEWS, "in_app")]


def test_a_wrong_value_is_a_kind_error_and_keeps_what_was_chosen(owner):
    response = client_for(owner).post(URL, choices(owner, testapp__reply="in_app", testapp__news="loud"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Choose one of the options in the list." in page
    assert checked(page, REPLY) == ["in_app"]  # kept as posted, not reset to the saved value
    assert not NotificationPreference.objects.exists()  # nothing half-saved


def test_a_missing_choice_is_an_error(owner):
    data = choices(owner, testapp__reply="in_app")
    del data[NEWS]
    response = client_for(owner).post(URL, data)
    assert response.status_code == 400
    assert "Choose how you want to receive it." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_security_kind_posted_anyway_stays_on(owner, mailoutbox):
    response = client_for(owner).post(URL, {**choices(owner), SECURITY: "off"})
    assert response.status_code == 302
    assert services.channels_of(owner)[SECURITY] == "email"
    assert not NotificationPreference.objects.filter(kind=SECURITY).exists()
    services.notify(owner, SECURITY, title="t")
    assert len(mailoutbox) == 1


def test_each_person_changes_only_their_own(owner, stranger):
    client_for(owner).post(URL, choices(owner, testapp__reply="off", testapp__news="off"))
    assert services.channels_of(stranger)[REPLY] == "email"
