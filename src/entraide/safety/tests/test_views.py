"""The safety pages without JavaScript: the plan (or an invitation), the one-page form with its
empty rows, errors kept on their rows, one-time tokens, "j'ai relu mon plan", keeping the plan on a
device, the wallet card, the service worker; the crisis button and screen; crisis moments. Another
person's moment is a 404; the pages ask to log in."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from conftest import client_for
from entraide.core.registries import (
    CrisisAction,
    CrisisNotice,
    crisis_actions,
    crisis_notices,
)
from entraide.safety import services
from entraide.safety.access import find_plan_of
from entraide.safety.models import CrisisMoment
from entraide.safety.tests.factories import FULL_PLAN, make_moment, make_plan, token_of
from entraide.safety.views.common import OFFLINE_KEY

pytestmark = pytest.mark.django_db

PLAN = "/securite/plan/"
EDIT = "/securite/modifier/"
REVIEW = "/securite/relu/"
OFFLINE = "/securite/appareil/"
CARD = "/securite/carte/"
WORKER = "/securite/sw.js"
SIGNAL = "/securite/je-ne-vais-pas-bien/"
CRISIS = "/securite/crise/"
MOMENTS = "/securite/moments/"
PAGES = [PLAN, EDIT, CARD, CRISIS, MOMENTS]


def text(response) -> str:
    return response.content.decode()


def form_data(token: str, **steps) -> dict:
    data: dict = {"form_token": token}
    for key, items in steps.items():
        if key in ("help_people", "professionals"):
            data[f"{key}-name"] = [i["name"] for i in items]
            data[f"{key}-phone"] = [i["phone"] for i in items]
        else:
            data[key] = items
    return data


# --- who may see what ---------------------------------------------------------------------------


def test_safety_pages_open_for_their_owner_with_one_h1_and_no_store(owner):
    make_plan(owner)
    make_moment(owner)
    client = client_for(owner)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text(response).count("<h1") == 1, url
        assert "no-store" in response["Cache-Control"], url


def test_safety_pages_open_with_nothing_written_yet(owner):
    client = client_for(owner)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert "Write my safety plan" in text(client.get(PLAN))


def test_safety_pages_send_anonymous_visitors_to_log_in(owner):
    moment = make_moment(owner)
    client = client_for()
    for url in [*PAGES, REVIEW, OFFLINE, SIGNAL, f"{MOMENTS}{moment.pk}/supprimer/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url
    assert client.post(SIGNAL).status_code == 302
    assert not CrisisMoment.objects.exclude(pk=moment.pk).exists()


def test_someone_else_never_sees_the_plan_or_the_moments(owner, stranger):
    make_plan(owner)
    moment = make_moment(owner)
    client = client_for(stranger)
    for url in PAGES:
        body = text(client.get(url))
        assert "Pixel" not in body and "Léa" not in body, url
    delete = f"{MOMENTS}{moment.pk}/supprimer/"
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    assert CrisisMoment.objects.filter(pk=moment.pk).exists()
    client.post(REVIEW)
    assert find_plan_of(owner).reviewed_at == find_plan_of(owner).updated_at


def test_unknown_moment_is_a_404(owner):
    assert client_for(owner).get(f"{MOMENTS}{uuid.uuid4()}/supprimer/").status_code == 404


# --- the plan -----------------------------------------------------------------------------------


def test_plan_page_shows_every_step_in_order_with_the_crisis_numbers(owner):
    make_plan(owner)
    body = text(client_for(owner).get(PLAN))
    positions = [
        body.index(str(n)) for n in ("My warning signs", "What I can do on my own", "My reasons for living")
    ]
    assert positions == sorted(positions)
    for items in FULL_PLAN.values():
        for item in items:
            shown = item["name"] if isinstance(item, dict) else item
            assert shown.replace("'", "&#x27;") in body or shown in body, shown
    assert 'href="tel:0612345678"' in body  # a person to call, one tap away
    assert 'href="tel:3114"' in body  # the instance's crisis numbers are on the printed page too
    assert "Last read again on" in body


def test_edit_form_has_empty_rows_for_every_step_and_a_token(owner):
    make_plan(owner, coping=["Marcher"])
    body = text(client_for(owner).get(EDIT))
    token_of(body)
    assert len(re.findall(r'name="coping"', body)) == 1 + 3  # the item and three empty rows
    assert len(re.findall(r'name="warning_signs"', body)) == 3
    assert len(re.findall(r'name="help_people-name"', body)) == 3
    assert len(re.findall(r'name="help_people-phone"', body)) == 3
    assert 'value="Marcher"' in body
    make_plan(owner)
    full = text(client_for(owner).get(EDIT))
    assert len(re.findall(r'name="coping"', full)) == 5 + 3


def test_saving_the_form_writes_the_plan_and_marks_it_read(owner):
    client = client_for(owner)
    token = token_of(text(client.get(EDIT)))
    response = client.post(
        EDIT,
        form_data(
            token,
            warning_signs=["Je m'isole", "", ""],
            help_people=[{"name": "Léa", "phone": "06 12 34 56 78"}, {"name": "", "phone": ""}],
            reasons=["Pixel", ""],
        ),
    )
    assert response.status_code == 302 and response["Location"] == PLAN
    plan = find_plan_of(owner)
    assert plan.items("warning_signs") == ["Je m'isole"]
    assert plan.items("help_people") == [{"name": "Léa", "phone": "06 12 34 56 78"}]
    assert plan.items("reasons") == ["Pixel"] and plan.items("coping") == []
    assert plan.reviewed_at is not None
    assert "Your safety plan is saved." in text(client.get(PLAN))


def test_save_and_add_more_lines_comes_back_to_the_form_with_new_empty_rows(owner):
    client = client_for(owner)
    token = token_of(text(client.get(EDIT)))
    response = client.post(EDIT, {**form_data(token, coping=["Un", "Deux", "Trois"]), "then": "edit"})
    assert response["Location"] == EDIT
    body = text(client.get(EDIT))
    assert len(re.findall(r'name="coping"', body)) == 6


def test_a_second_post_of_the_same_form_saves_once(owner):
    client = client_for(owner)
    token = token_of(text(client.get(EDIT)))
    client.post(EDIT, form_data(token, coping=["Premier envoi"]))
    second = client.post(EDIT, form_data(token, coping=["Second envoi"]))
    assert second.status_code == 302 and second["Location"] == PLAN
    assert find_plan_of(owner).items("coping") == ["Premier envoi"]
    assert "already saved" in text(client.get(PLAN))


def test_errors_come_back_on_their_rows_with_every_value_kept(owner):
    make_plan(owner)
    client = client_for(owner)
    token = token_of(text(client.get(EDIT)))
    response = client.post(
        EDIT,
        form_data(
            token,
            coping=["Garde-moi", "", "x" * 301],
            professionals=[{"name": "Dr Martin", "phone": "pas un numéro"}],
            help_people=[{"name": "", "phone": "06 12 34 56 78"}],
        ),
    )
    assert response.status_code == 200
    body = text(response)
    assert "error-summary" in body
    assert 'href="#id_coping_2"' in body and 'href="#id_professionals_0_phone"' in body
    assert 'href="#id_help_people_0"' in body
    assert (
        'value="Garde-moi"' in body and 'value="pas un numéro"' in body and 'value="06 12 34 56 78"' in body
    )
    assert 'aria-invalid="true"' in body
    assert token_of(body) == token  # nothing was saved: the same token may still save it
    assert find_plan_of(owner).items("coping") == FULL_PLAN["coping"]


def test_a_token_for_another_account_saves_nothing(owner, stranger):
    other_token = token_of(text(client_for(stranger).get(EDIT)))
    response = client_for(owner).post(EDIT, form_data(other_token, coping=["Intrus"]))
    assert response.status_code == 200 and "opened for another account" in text(response)
    assert 'value="Intrus"' in text(response)
    assert find_plan_of(owner) is None


def test_review_button_moves_the_review_date(owner):
    plan = services.save_safety_plan(owner, steps=FULL_PLAN, now=datetime(2026, 1, 5, tzinfo=UTC))
    client = client_for(owner)
    assert client.get(REVIEW)["Location"] == PLAN  # a GET changes nothing
    assert find_plan_of(owner).reviewed_at == plan.reviewed_at
    response = client.post(REVIEW)
    assert response.status_code == 302 and response["Location"] == PLAN
    assert find_plan_of(owner).reviewed_at > plan.reviewed_at
    assert find_plan_of(owner).updated_at == plan.updated_at


def test_keeping_the_plan_on_this_device_is_this_sessions_choice(owner):
    make_plan(owner)
    phone, laptop = client_for(owner), client_for(owner)
    assert 'content="forget"' in text(phone.get(PLAN))
    phone.post(OFFLINE, {"keep": "yes"})
    assert phone.session[OFFLINE_KEY] is True
    body = text(phone.get(PLAN))
    assert 'name="entraide-offline" content="keep"' in body
    assert 'data-worker="/securite/sw.js" data-scope="/securite/plan/"' in body
    assert 'content="forget"' in text(laptop.get(PLAN))  # another device decides for itself
    phone.post(OFFLINE, {"keep": "no"})
    assert 'content="forget"' in text(phone.get(PLAN))


def test_service_worker_is_served_for_the_plan_scope_only():
    response = client_for().get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "Service-Worker-Allowed" not in response  # its scope cannot be widened beyond /securite/
    script = text(response)
    assert 'new URL("plan/", self.location.href)' in script and "caches.delete" in script


def test_wallet_card_shows_the_first_lines_and_the_people_to_call(owner):
    make_plan(owner)
    body = text(client_for(owner).get(CARD))
    assert "Léa (ma sœur) · 06 12 34 56 78" in body
    assert "Maman" in body and "Nour, voisine" not in body  # the first three only
    assert "safety/card" in body and "card.css" in body


# --- the crisis pathway -------------------------------------------------------------------------


def test_the_button_records_a_moment_and_opens_the_crisis_screen(owner):
    make_plan(owner)
    client = client_for(owner)
    response = client.post(SIGNAL)
    assert response.status_code == 302 and response["Location"] == CRISIS
    [moment] = CrisisMoment.objects.filter(owner=owner)
    assert moment.source == "button"
    body = text(client.get(CRISIS))
    assert "Pixel" in body and "My warning signs" in body  # their plan, at once
    assert 'href="tel:3114"' in body  # the instance's numbers
    assert "Breathe slowly" in body  # what to do now
    assert "This screen contacts no one" in body


def test_a_get_of_the_button_records_nothing(owner):
    response = client_for(owner).get(SIGNAL)
    assert response["Location"] == CRISIS
    assert not CrisisMoment.objects.exists()


def test_crisis_screen_without_a_plan_invites_calmly(owner):
    body = text(client_for(owner).get(CRISIS))
    assert "You have not written a safety plan yet" in body
    assert EDIT in body


def test_crisis_screen_offers_no_action_while_none_is_registered(owner):
    assert not crisis_actions.items and not crisis_notices.items  # the circle comes later
    body = text(client_for(owner).get(CRISIS))
    assert "What you set up earlier still applies" not in body
    main = body[body.index("<main") :]
    assert "button--secondary" not in main.split("crisis-who-knows")[1]
    assert "notif" not in main.lower() and "prévenir" not in main.lower()


@pytest.fixture
def registered_action():
    action = CrisisAction(key="test.tell", label="Tell my circle", url_name="safety:plan")
    notice = CrisisNotice(key="test.rules", lines=lambda person: ["If your mood drops, Léa is told."])
    crisis_actions.register(action)
    crisis_notices.register(notice)
    yield
    del crisis_actions.items["test.tell"]
    del crisis_notices.items["test.rules"]


def test_crisis_screen_shows_registered_actions_and_notices(owner, registered_action):
    body = text(client_for(owner).get(CRISIS))
    assert "Tell my circle" in body and f'href="{PLAN}"' in body
    assert "If your mood drops, Léa is told." in body
    assert "This screen contacts no one" in body


def test_home_and_help_pages_offer_the_button_when_logged_in(owner):
    client = client_for(owner)
    for url in ("/", "/aide/"):
        body = text(client.get(url))
        assert f'action="{SIGNAL}"' in body and 'method="post"' in body, url
    assert f'href="{PLAN}"' in text(client.get("/aide/"))  # the plan, two taps from anywhere
    for url in ("/", "/aide/"):
        assert SIGNAL not in text(client_for().get(url)), url


def test_moments_are_listed_and_deleted_by_their_owner(owner):
    moment = make_moment(owner)
    make_moment(owner, source="phq9")
    client = client_for(owner)
    body = text(client.get(MOMENTS))
    assert "You tapped" in body and "From a questionnaire." in body
    assert "PHQ" not in strip_tags(body)  # no questionnaire name (in the words read, not a token)
    delete = f"{MOMENTS}{moment.pk}/supprimer/"
    assert client.get(delete).status_code == 200
    response = client.post(delete)
    assert response["Location"] == MOMENTS
    assert CrisisMoment.objects.filter(owner=owner).count() == 1


def test_overview_page_invites_to_write_a_plan_then_links_to_it(owner):
    client = client_for(owner)
    assert EDIT in text(client.get("/journal/apercu/"))
    make_plan(owner)
    body = text(client.get("/journal/apercu/"))
    assert f'href="{PLAN}"' in body and f'href="{CARD}"' in body


def test_moments_list_makes_a_fixed_number_of_queries(owner, django_assert_max_num_queries):
    client = client_for(owner)
    make_moment(owner)
    client.get(MOMENTS)
    with django_assert_max_num_queries(12) as few:
        client.get(MOMENTS)
    for _ in range(20):
        make_moment(owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(MOMENTS).content.decode().count('class="card moment"') == 21
