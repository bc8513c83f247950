"""Issue 19, item 3: the public home page promises only what this instance runs."""

from __future__ import annotations

import pytest
from django.test import Client

SHARING = "peut voir"  # "… ce qu'un pair aidant, un professionnel ou un proche peut voir …"
SPACES = "espaces modérés"


def home() -> str:
    return Client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_the_home_page_promises_nothing_an_instance_does_not_run(monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    missing = {"entraide.circle", "entraide.community"}
    monkeypatch.setattr(apps, "is_installed", lambda name: name not in missing and real(name))
    page = home()
    assert "Gardez une trace privée" in page  # the journal is installed
    assert "plan de sécurité" in page
    assert SHARING not in page  # without the circle
    assert SPACES not in page  # nor the community spaces
    assert "avec les personnes que vous choisissez" not in page


@pytest.mark.django_db
def test_the_home_page_follows_what_is_installed(monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    arriving = {"entraide.circle", "entraide.community"}
    monkeypatch.setattr(apps, "is_installed", lambda name: name in arriving or real(name))
    page = home()
    assert SHARING in page
    assert SPACES in page
