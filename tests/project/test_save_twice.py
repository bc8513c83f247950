"""Issue 19, item 9: after saving a check-in, a journal entry or a questionnaire, going back and
saving the same form again (a fresh token: the browser fills the form in again) asks first, on a
page without JavaScript with two POST buttons, instead of recording a second copy in silence.

One test per rule, each for the three kinds; the form is posted as a browser would, and the
question page's own form is posted back as it is (its hidden fields, then the button pressed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from entraide.assessments.models import QuestionnaireResponse
from entraide.journal.models import Checkin, JournalEntry

pytestmark = pytest.mark.django_db

QUESTION = "Vous venez d'enregistrer la même chose il y a {} : l'enregistrer une deuxième fois ?"


def _moment(minutes_ago: int = 0) -> str:
    now = timezone.localtime(timezone=ZoneInfo("Europe/Paris")) - timedelta(minutes=minutes_ago)
    return now.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Kind:
    url: str
    model: type
    values: Callable[[], dict[str, object]]  # what the person fills in
    other: Callable[[], dict[str, object]]  # another answer
    again: Callable[[], dict[str, object]]  # the same values, but for the moment


KINDS = {
    "check-in": Kind(
        "/journal/point/nouveau/",
        Checkin,
        lambda: {
            "moment": _moment(),
            "mood": "6",
            "emotions": ["calm", "worry"],
            "note": "Une journée\r\nlongue",
        },
        lambda: {
            "moment": _moment(),
            "mood": "7",
            "emotions": ["calm", "worry"],
            "note": "Une journée\r\nlongue",
        },
        lambda: {
            "moment": _moment(30),
            "mood": "6",
            "emotions": ["calm", "worry"],
            "note": "Une journée\r\nlongue",
        },
    ),
    "journal entry": Kind(
        "/journal/carnet/nouveau/",
        JournalEntry,
        lambda: {
            "day": timezone.localdate().isoformat(),
            "title": "Soir",
            "body": "J'ai marché.",
            "tags": "a, b",
        },
        lambda: {
            "day": timezone.localdate().isoformat(),
            "title": "Soir",
            "body": "J'ai couru.",
            "tags": "a, b",
        },
        lambda: {
            "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "title": "Soir",
            "body": "J'ai marché.",
            "tags": "a, b",
        },
    ),
    "questionnaire": Kind(
        "/questionnaires/gad7/repondre/",
        QuestionnaireResponse,
        lambda: {f"item_{n}": "1" for n in range(1, 8)},
        lambda: {**{f"item_{n}": "1" for n in range(1, 8)}, "item_7": "2"},
        lambda: {f"item_{n}": "1" for n in range(1, 8)},
    ),
}
kinds = pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())


def fields_of(page) -> list[tuple[str, str]]:
    """The inputs a browser would send from the page's main form (hidden ones included)."""
    body = page.content.decode()
    form = body[body.index("<main") :]
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    ]


def token_of(page) -> str:
    return dict(fields_of(page))["form_token"]


def post_new(client, kind: Kind, values: dict[str, object]):
    """Open the form (a fresh token, as after going back), fill it in and save it."""
    return client.post(kind.url, {**values, "form_token": token_of(client.get(kind.url))})


def answer(client, kind: Kind, question, button: str):
    """Press one of the question's buttons: its form's fields, and the button's name and value."""
    data: dict[str, list[str]] = {}
    for name, value in fields_of(question):
        data.setdefault(name, []).append(value)
    data["confirm_duplicate"] = [button]
    return client.post(kind.url, data)


@kinds
def test_the_same_values_again_ask_first_and_yes_saves_a_second_copy(owner, owner_client, kind):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = post_new(owner_client, kind, kind.values())
        assert first.status_code == 302
        clock.shift(timedelta(minutes=2, seconds=20))
        question = post_new(owner_client, kind, kind.again())
        assert question.status_code == 200
        body = unescape(question.content.decode())
        assert QUESTION.format("2 minutes") in body, "the real number of minutes"
        assert body.count("<h1") == 1
        assert 'value="1">Oui, l\'enregistrer</button>' in body
        assert 'value="0">Non, ne rien enregistrer</button>' in body
        assert kind.model.objects.filter(owner=owner).count() == 1, "nothing saved before the answer"
        sent = dict(fields_of(question))
        for name, value in kind.again().items():  # what was typed is carried, unchanged
            assert sent[name] == (value[-1] if isinstance(value, list) else value)

        yes = answer(owner_client, kind, question, "1")
        assert yes.status_code == 302
        assert kind.model.objects.filter(owner=owner).count() == 2
        assert "enregistré" in unescape(owner_client.get(yes["Location"]).content.decode())
        # The question's form posted twice (a double tap on "yes") still saves once.
        assert answer(owner_client, kind, question, "1").status_code == 302
        assert kind.model.objects.filter(owner=owner).count() == 2


@kinds
def test_no_saves_nothing_and_leads_to_the_first_one(owner, owner_client, kind):
    first = post_new(owner_client, kind, kind.values())
    question = post_new(owner_client, kind, kind.again())
    assert "il y a moins d'une minute" in unescape(question.content.decode())
    no = answer(owner_client, kind, question, "0")
    assert no.status_code == 302
    assert no["Location"] == first["Location"]
    assert kind.model.objects.filter(owner=owner).count() == 1
    page = unescape(owner_client.get(no["Location"]).content.decode())
    assert "Rien n'a été enregistré une deuxième fois." in page


@kinds
def test_different_values_save_without_asking(owner, owner_client, kind):
    assert post_new(owner_client, kind, kind.values()).status_code == 302
    assert post_new(owner_client, kind, kind.other()).status_code == 302
    assert kind.model.objects.filter(owner=owner).count() == 2


@kinds
def test_after_ten_minutes_the_same_values_save_without_asking(owner, owner_client, kind):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert post_new(owner_client, kind, kind.values()).status_code == 302
        clock.shift(timedelta(minutes=10, seconds=1))
        assert post_new(owner_client, kind, kind.again()).status_code == 302
    assert kind.model.objects.filter(owner=owner).count() == 2


@kinds
def test_only_the_last_record_counts(owner, owner_client, kind):
    """The same as an older one of the last 10 minutes, but not as the last one: no question (one
    record decrypted, never the person's history)."""
    assert post_new(owner_client, kind, kind.values()).status_code == 302
    assert post_new(owner_client, kind, kind.other()).status_code == 302
    assert post_new(owner_client, kind, kind.again()).status_code == 302
    assert kind.model.objects.filter(owner=owner).count() == 3


@kinds
def test_a_double_tap_is_already_saved_not_a_question(owner, owner_client, kind):
    data = {**kind.values(), "form_token": token_of(owner_client.get(kind.url))}
    first = owner_client.post(kind.url, data)
    second = owner_client.post(kind.url, data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert kind.model.objects.filter(owner=owner).count() == 1


@kinds
def test_someone_elses_same_values_ask_nothing(owner_client, stranger, kind):
    from conftest import client_for

    assert post_new(client_for(stranger), kind, kind.values()).status_code == 302
    assert post_new(owner_client, kind, kind.values()).status_code == 302
