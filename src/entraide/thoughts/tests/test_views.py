"""The thought record pages: list and search, a record, the form (new, edit), the follow-up,
deleting; one-time tokens and kept forms; another person's record is a 404, anonymous visitors
are asked to log in."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, client_for
from entraide.journal import services as journal
from entraide.thoughts import services
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db

LIST = "/pensees/"
NEW = "/pensees/nouvelle/"
INSIGHTS = "/pensees/bilan/"
DAY = date(2026, 3, 14)


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def record_of(owner, **values) -> ThoughtRecord:
    values.setdefault("day", DAY)
    values.setdefault("situation", "Au travail, une remarque de Paul.")
    return services.create_thought(owner, **values)


def urls_of(record: ThoughtRecord) -> dict[str, str]:
    return {
        "record": f"/pensees/{record.pk}/",
        "edit": f"/pensees/{record.pk}/modifier/",
        "follow-up": f"/pensees/{record.pk}/et-maintenant/",
        "delete": f"/pensees/{record.pk}/supprimer/",
    }


FULL = {
    "day": "2026-03-14",
    "time": "18:40",
    "situation": "Réunion : on m'a coupé la parole.",
    "thought": "Ils ne me respectent pas.",
    "emotion_0": "anger",
    "before_0": "70",
    "own_1": "Honte sourde",
    "before_1": "55",
    "distortions": ["labelling", "jumping_to_conclusions"],
    "evidence_for": "Deux fois cette semaine.",
    "evidence_against": "Paul m'a demandé mon avis après.",
    "balanced_thought": "Ils étaient pressés.",
    "after_0": "40",
    "after_1": "30",
}


# --- who may see what ---------------------------------------------------------------------------


def test_thought_pages_open_for_their_owner(owner):
    record = record_of(owner, emotions=[{"emotion": "fear", "before": 60, "after": 20}])
    client = client_for(owner)
    for url in [LIST, NEW, INSIGHTS, *urls_of(record).values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
        assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"], (
            url
        )


def test_thought_pages_are_a_404_for_someone_else(owner, stranger):
    record = record_of(owner, thought="Secret de Camille")
    client = client_for(stranger)
    for url in urls_of(record).values():
        assert client.get(url).status_code == 404, url
    token = token_of(client.get(NEW))
    assert client.post(urls_of(record)["delete"]).status_code == 404
    assert client.post(urls_of(record)["edit"], {**FULL, "form_token": token}).status_code == 404
    assert (
        client.post(urls_of(record)["follow-up"], {"on": "2026-03-15", "intensity": "1"}).status_code == 404
    )
    assert client.post(urls_of(record)["follow-up"], {"remove": "1"}).status_code == 404
    record = ThoughtRecord.objects.get(pk=record.pk)
    assert record.payload["thought"] == "Secret de Camille"
    for url in (LIST, f"{LIST}?q=secret", INSIGHTS):
        assert "Secret de Camille" not in client.get(url).content.decode()


def test_thought_pages_send_anonymous_visitors_to_log_in(owner):
    record = record_of(owner)
    client = client_for()
    for url in [LIST, NEW, INSIGHTS, *urls_of(record).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url


def test_thought_unknown_id_is_a_404(owner):
    assert client_for(owner).get(f"/pensees/{uuid.uuid4()}/").status_code == 404


# --- creating -----------------------------------------------------------------------------------


def test_record_new_defaults_to_today_in_the_persons_zone(owner):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of the server
    owner.save(update_fields=["time_zone"])
    page = client_for(owner).get(NEW).content.decode()
    with timezone.override("Pacific/Kiritimati"):
        today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in page


def test_record_new_shows_the_parts_in_order_with_explained_distortions(owner):
    journal.update_journal_settings(owner, track_substances=False, own_emotions=["trac"])
    page = client_for(owner).get(NEW).content.decode()
    order = [
        'name="day"',
        'name="situation"',
        'name="thought"',
        'name="emotion_0"',
        'name="before_0"',
        'name="distortions"',
        'name="evidence_for"',
        'name="evidence_against"',
        'name="balanced_thought"',
        'name="after_0"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.count('name="emotion_') == 5
    # Each distortion: its box, its name as the label, its explanation and example tied to the box.
    box = re.search(r'<input type="checkbox" name="distortions" value="labelling"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', box).group(1)
    about = re.search(rf'<p class="distortion__about" id="{described}">(.*?)</p>', page, re.S).group(1)
    assert "harsh label" in about and "For example:" in about and "I am an idiot" in about
    assert page.count('class="distortion"') == 10
    assert '<datalist id="own-emotions"><option value="trac"></option></datalist>' in page


def test_record_new_saves_and_shows_the_record(owner):
    client = client_for(owner)
    response = client.post(NEW, {**FULL, "form_token": token_of(client.get(NEW))})
    assert response.status_code == 302
    record = ThoughtRecord.objects.get(owner=owner)
    assert response["Location"] == urls_of(record)["record"]
    assert record.day == DAY
    assert record.payload == {
        "time": "18:40",
        "situation": "Réunion : on m'a coupé la parole.",
        "thought": "Ils ne me respectent pas.",
        "evidence_for": "Deux fois cette semaine.",
        "evidence_against": "Paul m'a demandé mon avis après.",
        "balanced_thought": "Ils étaient pressés.",
        "emotions": [
            {"emotion": "anger", "before": 70, "after": 40},
            {"own": "Honte sourde", "before": 55, "after": 30},
        ],
        "distortions": ["jumping_to_conclusions", "labelling"],
        "follow_up_note": "",
        "follow_up_intensity": None,
    }
    page = client.get(response["Location"]).content.decode()
    assert "Thought record of Saturday 14 March 2026" in page
    assert "At 18:40" in page
    assert 'anger</span> <span class="thought-emotions__values"><span aria-hidden="true">70 → 40' in page
    assert "(from 70 to 40 out of 100)" in page  # what a screen reader says instead of the arrow
    assert "Honte sourde" in page
    assert "Labelling" in page and "Jumping to conclusions" in page
    assert "Add a follow-up" in page


def test_record_new_takes_a_listed_emotion_typed_in_words_as_the_listed_one(owner):
    client = client_for(owner)
    data = {"form_token": token_of(client.get(NEW)), "day": "2026-03-14", "thought": "x"}
    client.post(NEW, {**data, "own_0": " ANGER ", "before_0": "50"})
    assert ThoughtRecord.objects.get().payload["emotions"] == [
        {"emotion": "anger", "before": 50, "after": None}
    ]


def test_record_new_twice_with_one_token_saves_once(owner):
    client = client_for(owner)
    data = {**FULL, "form_token": token_of(client.get(NEW))}
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ThoughtRecord.objects.filter(owner=owner).count() == 1


def test_record_new_errors_keep_every_value(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    too_long = "é" * 5_001
    response = client.post(
        NEW, {**FULL, "evidence_against": too_long, "before_1": "150", "form_token": token}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Keep it under 5,000 characters: what matters most is enough." in page
    assert "Give a whole number from 0 to 100." in page
    assert too_long in page
    assert "Réunion : on m&#x27;a coupé la parole." in page
    assert "Ils ne me respectent pas." in page
    assert re.search(r'<option value="anger" selected>', page)
    assert 'value="Honte sourde"' in page
    assert 'value="70"' in page and 'value="150"' in page and 'value="40"' in page and 'value="30"' in page
    assert 'value="18:40"' in page
    assert re.search(r'value="labelling"[^>]*checked', page)
    assert re.search(r'value="jumping_to_conclusions"[^>]*checked', page)
    assert "Deux fois cette semaine." in page and "Ils étaient pressés." in page
    # The "after" fields are named after the emotions chosen above.
    assert "How strong is “anger” now (0 to 100)?" in page
    assert "How strong is “Honte sourde” now (0 to 100)?" in page
    assert token_of(response) == token  # the same token: nothing was saved yet
    assert not ThoughtRecord.objects.exists()


def test_record_new_needs_a_situation_or_a_thought(owner):
    client = client_for(owner)
    response = client.post(
        NEW, {"form_token": token_of(client.get(NEW)), "day": "2026-03-14", "balanced_thought": "Calme"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Describe the situation or write the thought: at least one of the two." in page
    assert "Calme" in page
    assert not ThoughtRecord.objects.exists()


def test_record_new_says_which_emotion_slot_is_wrong(owner):
    client = client_for(owner)
    response = client.post(
        NEW,
        {"form_token": token_of(client.get(NEW)), "day": "2026-03-14", "thought": "x", "before_3": "40"},
    )
    page = response.content.decode()
    assert re.search(
        r'<p class="field__error" id="id_emotion_3_error">Say which emotion these numbers are for.</p>', page
    )
    assert not ThoughtRecord.objects.exists()


def test_record_new_with_another_accounts_token_saves_nothing(owner, stranger):
    stranger_token = token_of(client_for(stranger).get(NEW))
    response = client_for(owner).post(NEW, {**FULL, "form_token": stranger_token})
    assert response.status_code == 200
    assert "opened for another account" in response.content.decode()
    assert "Ils ne me respectent pas." in response.content.decode()
    assert not ThoughtRecord.objects.exists()


def test_record_new_typed_before_the_session_ended_comes_back_after_login(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    Session.objects.all().delete()  # the session expired on the server
    response = client.post(NEW, {**FULL, "form_token": token})
    assert response["Location"].startswith("/compte/login/?next=/pensees/nouvelle/")
    client.post("/compte/login/", {"login": owner.email, "password": PASSWORD})
    page = client.get(NEW).content.decode()
    assert "Ils ne me respectent pas." in page and "Paul m&#x27;a demandé mon avis après." in page
    assert not ThoughtRecord.objects.exists()  # shown again, never submitted on its own
    assert client.post(NEW, {**FULL, "form_token": token_of(client.get(NEW))}).status_code == 302
    assert ThoughtRecord.objects.count() == 1


# --- editing, following up, deleting ------------------------------------------------------------


def test_record_edit_shows_the_record_and_changes_it(owner):
    record = record_of(
        owner,
        thought="Avant",
        emotions=[{"emotion": "fear", "before": 60, "after": 30}, {"own": "trac", "before": 40}],
        distortions=["labelling"],
    )
    client = client_for(owner)
    response = client.get(urls_of(record)["edit"])
    form = response.content.decode()
    assert "Avant" in form
    assert re.search(r'<option value="fear" selected>', form)
    assert 'value="trac"' in form
    assert "How strong is “fear” now (0 to 100)?" in form and "How strong is “trac” now (0 to 100)?" in form
    assert "How strong is emotion 3 now (0 to 100)?" in form
    assert form.count('name="emotion_') == 5  # the two, and room for more
    response = client.post(
        urls_of(record)["edit"],
        {
            "form_token": token_of(response),
            "day": "2026-03-13",
            "thought": "Après",
            "emotion_2": "sadness",
            "before_2": "80",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == urls_of(record)["record"]
    record.refresh_from_db()
    assert record.day == date(2026, 3, 13)
    assert record.payload["thought"] == "Après"
    assert record.payload["emotions"] == [{"emotion": "sadness", "before": 80, "after": None}]
    assert record.payload["distortions"] == []


def test_record_edit_errors_keep_the_values_and_save_nothing(owner):
    record = record_of(owner, thought="Avant")
    client = client_for(owner)
    token = token_of(client.get(urls_of(record)["edit"]))
    response = client.post(
        urls_of(record)["edit"], {"form_token": token, "day": "2026-03-14", "thought": "t" * 5_001}
    )
    assert response.status_code == 200
    assert "t" * 5_001 in response.content.decode()
    record.refresh_from_db()
    assert record.payload["thought"] == "Avant"


def test_follow_up_is_saved_from_the_record_and_can_be_removed(owner):
    record = record_of(owner, emotions=[{"emotion": "fear", "before": 60, "after": 30}])
    client = client_for(owner)
    detail = client.get(urls_of(record)["record"]).content.decode()
    assert f'href="{urls_of(record)["follow-up"]}"' in detail
    form = client.get(urls_of(record)["follow-up"])
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()
    response = client.post(
        urls_of(record)["follow-up"],
        {
            "form_token": token_of(form),
            "on": "2026-03-20",
            "note": "J'en ai parlé à Paul.",
            "intensity": "10",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == urls_of(record)["record"]
    record.refresh_from_db()
    assert record.follow_up_on == date(2026, 3, 20)
    assert record.payload["follow_up_note"] == "J'en ai parlé à Paul."
    assert record.payload["follow_up_intensity"] == 10
    page = client.get(urls_of(record)["record"]).content.decode()
    assert "Looked at again on Friday 20 March 2026." in page and "Intensity then: 10 out of 100." in page

    assert client.post(urls_of(record)["follow-up"], {"remove": "1"}).status_code == 302
    record.refresh_from_db()
    assert record.follow_up_on is None and record.payload["follow_up_note"] == ""


def test_follow_up_errors_keep_the_values(owner):
    record = record_of(owner)
    client = client_for(owner)
    token = token_of(client.get(urls_of(record)["follow-up"]))
    response = client.post(
        urls_of(record)["follow-up"],
        {"form_token": token, "on": "2026-03-01", "note": "Plus tard", "intensity": "7"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a day between the day of the record and today." in page
    assert "Plus tard" in page and 'value="7"' in page and 'value="2026-03-01"' in page
    record.refresh_from_db()
    assert record.follow_up_on is None


def test_record_delete_asks_then_deletes(owner):
    record = record_of(owner, thought="À effacer")
    client = client_for(owner)
    page = client.get(urls_of(record)["delete"]).content.decode()
    assert "Delete this thought record?" in page and "À effacer" in page
    assert ThoughtRecord.objects.filter(pk=record.pk).exists()  # a GET changes nothing
    response = client.post(urls_of(record)["delete"])
    assert response.status_code == 302 and response["Location"] == LIST
    assert not ThoughtRecord.objects.filter(pk=record.pk).exists()


# --- the list and its search --------------------------------------------------------------------


def test_record_list_newest_first_with_the_emotions(owner):
    record_of(owner, day=DAY - timedelta(days=2), thought="Plus ancienne")
    record_of(
        owner, day=DAY, thought="Plus récente", emotions=[{"emotion": "worry", "before": 80, "after": 35}]
    )
    page = client_for(owner).get(LIST).content.decode()
    assert page.index("Plus récente") < page.index("Plus ancienne")
    assert 'worry</span> <span class="thought-emotions__values"><span aria-hidden="true">80 → 35' in page


def test_record_list_search_is_case_and_accent_blind(owner):
    record_of(owner, situation="Dîner chez ma SŒUR", thought="Elle m'en veut.")
    record_of(owner, situation="Au travail", thought="Je vais échouer.")
    client = client_for(owner)
    page = client.get(LIST, {"q": "diner soeur"}).content.decode()
    assert "1 record found for “diner soeur”." in page
    assert "Elle m&#x27;en veut." in page and "Je vais échouer." not in page
    page = client.get(LIST, {"q": "ÉCHOUER"}).content.decode()
    assert "Je vais échouer." in page and "Elle m&#x27;en veut." not in page
    page = client.get(LIST, {"q": "introuvable"}).content.decode()
    assert "No thought record holds all these words." in page


def test_record_list_paginates_without_n_plus_one(owner, django_assert_max_num_queries):
    for n in range(30):
        record_of(
            owner,
            day=DAY - timedelta(days=n),
            thought=f"Pensée {n}",
            emotions=[{"emotion": "fear", "before": n}],
        )
    client = client_for(owner)
    client.get(LIST)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert response.content.decode().count('class="card"') == 25
    with django_assert_max_num_queries(9):
        second = client.get(LIST, {"page": 2})
    assert second.content.decode().count('class="card"') == 5
    with django_assert_max_num_queries(9):
        found = client.get(LIST, {"q": "pensée"})
    assert found.content.decode().count('class="card"') == 25
