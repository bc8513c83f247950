"""The crisis signal, sent by any app, records a crisis moment in the person's space; the crisis
screen exists at ``safety:crisis`` for its owner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from entraide.core.signals import crisis_signalled
from entraide.safety.models import CrisisMoment

pytestmark = pytest.mark.django_db


def test_crisis_signalled_records_a_moment_for_the_person(owner, stranger):
    crisis_signalled.send(sender=None, person=owner, source="phq9")
    moments = list(CrisisMoment.objects.filter(owner=owner))
    assert len(moments) == 1
    assert moments[0].source == "phq9"
    assert not CrisisMoment.objects.filter(owner=stranger).exists()


def test_an_odd_source_is_kept_as_other(owner):
    crisis_signalled.send(sender=None, person=owner, source="<b>nope</b>")
    assert CrisisMoment.objects.get(owner=owner).source == "other"


def test_crisis_screen_opens_for_a_logged_in_person_and_asks_others_to_log_in(owner):
    assert reverse("safety:crisis") == "/securite/crise/"
    response = client_for(owner).get("/securite/crise/")
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
    anonymous = client_for().get("/securite/crise/")
    assert anonymous.status_code == 302
    assert "/connexion" in anonymous["Location"] or "login" in anonymous["Location"]
