"""The goal pages: list, form (new, edit), a goal with its checklist (ticking without JavaScript,
and with htmx), deleting, progress; one-time tokens; another person's goal is a 404 and the pages
ask to log in."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from conftest import client_for
from entraide.goals import services
from entraide.goals.access import get_goal_of
from entraide.goals.models import Goal, GoalStatus
from entraide.goals.tests.factories import make_goal, token_of

pytestmark = pytest.mark.django_db

LIST = "/objectifs/"
NEW = "/objectifs/nouveau/"
PROGRESS = "/objectifs/progres/"


def urls_of(goal: Goal) -> dict[str, str]:
    return {
        "goal": f"/objectifs/{goal.pk}/",
        "edit": f"/objectifs/{goal.pk}/modifier/",
        "delete": f"/objectifs/{goal.pk}/supprimer/",
    }


def step_urls(goal: Goal, step: dict) -> dict[str, str]:
    return {
        "tick": f"/objectifs/{goal.pk}/etapes/{step['id']}/",
        "remove": f"/objectifs/{goal.pk}/etapes/{step['id']}/retirer/",
    }


# --- who may see what ---------------------------------------------------------------------------


def test_goal_pages_open_for_their_owner_with_one_h1(owner):
    goal = make_goal(owner, title="Mon but")
    client = client_for(owner)
    for url in [LIST, NEW, PROGRESS, *urls_of(goal).values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
        assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"], (
            url
        )


def test_goal_pages_are_a_404_for_someone_else(owner, stranger):
    goal = make_goal(owner, title="Secret de Camille")
    step = goal.steps[0]
    client = client_for(stranger)
    for url in [*urls_of(goal).values(), *step_urls(goal, step).values(), f"/objectifs/{goal.pk}/etapes/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(urls_of(goal)["delete"]).status_code == 404
    assert client.post(step_urls(goal, step)["tick"], {"done": "yes"}).status_code == 404
    assert client.post(step_urls(goal, step)["remove"]).status_code == 404
    assert client.post(f"/objectifs/{goal.pk}/etapes/", {"text": "intrus"}).status_code == 404
    edit = client.post(urls_of(goal)["edit"], {"title": "changé", "status": "in_progress"})
    assert edit.status_code == 404
    goal = get_goal_of(owner, goal.pk)
    assert goal.title == "Secret de Camille" and goal.steps_done == 0 and len(goal.steps) == 2
    for url in (LIST, PROGRESS):
        assert "Secret de Camille" not in client.get(url).content.decode()


def test_goal_pages_send_anonymous_visitors_to_log_in(owner):
    goal = make_goal(owner)
    client = client_for()
    for url in [LIST, NEW, PROGRESS, *urls_of(goal).values(), *step_urls(goal, goal.steps[0]).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url


def test_unknown_goal_or_step_is_a_404(owner):
    goal = make_goal(owner)
    client = client_for(owner)
    assert client.get(f"/objectifs/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"/objectifs/{goal.pk}/etapes/{uuid.uuid4()}/", {"done": "yes"}).status_code == 404


# --- creating and changing ----------------------------------------------------------------------


def test_goal_new_saves_with_its_first_steps(owner):
    client = client_for(owner)
    response = client.post(
        NEW,
        {
            "form_token": token_of(client.get(NEW)),
            "title": "Reprendre la guitare",
            "why": "Pour moi.",
            "steps": "Changer les cordes\r\n\r\nJouer 10 minutes",
            "target_date": "2026-09-01",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(owner=owner)
    assert response["Location"] == urls_of(goal)["goal"]
    assert goal.title == "Reprendre la guitare" and goal.target_date == date(2026, 9, 1)
    assert [s["text"] for s in goal.steps] == ["Changer les cordes", "Jouer 10 minutes"]
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Reprendre la guitare</h1>" in page
    assert "0 of 2 steps done" in page
    assert '<progress class="goal-progress__bar" max="2" value="0"' in page


def test_goal_new_twice_with_one_token_saves_once(owner):
    client = client_for(owner)
    data = {"form_token": token_of(client.get(NEW)), "title": "Une fois", "status": "in_progress"}
    first, second = client.post(NEW, data), client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Goal.objects.filter(owner=owner).count() == 1


def test_goal_new_errors_keep_every_value(owner):
    client = client_for(owner)
    token = token_of(client.get(NEW))
    long_title = "T" * 201
    response = client.post(
        NEW,
        {
            "form_token": token,
            "title": long_title,
            "why": "Parce que <c'est> important",
            "steps": "Un\nDeux",
            "target_date": "2026-10-01",
            "status": "paused",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Keep the title under 200 characters." in page
    assert long_title in page
    assert "Parce que &lt;c&#x27;est&gt; important" in page
    assert "Un\nDeux" in page
    assert 'value="2026-10-01"' in page
    assert re.search(r'value="paused"[^>]*checked', page)
    assert token_of(response) == token
    assert not Goal.objects.exists()


def test_goal_new_at_the_limit_explains_it(owner):
    Goal.objects.bulk_create(
        [Goal(owner=owner, payload={"title": f"But {n}", "why": "", "steps": []}) for n in range(200)]
    )
    client = client_for(owner)
    response = client.post(
        NEW, {"form_token": token_of(client.get(NEW)), "title": "Encore", "status": "in_progress"}
    )
    assert response.status_code == 200
    assert "You have 200 goals, the most there can be." in response.content.decode()
    assert Goal.objects.filter(owner=owner).count() == 200


def test_goal_new_with_another_accounts_token_saves_nothing(owner, stranger):
    token = token_of(client_for(stranger).get(NEW))
    response = client_for(owner).post(NEW, {"form_token": token, "title": "Mien", "status": "in_progress"})
    assert response.status_code == 200
    assert "opened for another account" in response.content.decode()
    assert not Goal.objects.exists()


def test_goal_edit_changes_it_and_keeps_the_steps(owner):
    goal = make_goal(owner, title="Avant")
    client = client_for(owner)
    url = urls_of(goal)["edit"]
    page = client.get(url)
    assert 'value="Avant"' in page.content.decode()
    assert 'name="steps"' not in page.content.decode()
    response = client.post(
        url,
        {"form_token": token_of(page), "title": "Après", "why": "", "target_date": "", "status": "reached"},
    )
    assert response.status_code == 302
    goal = get_goal_of(owner, goal.pk)
    assert goal.title == "Après" and goal.status == GoalStatus.REACHED and goal.reached_at is not None
    assert len(goal.steps) == 2


def test_goal_delete_asks_then_deletes_on_post(owner):
    goal = make_goal(owner, title="À effacer")
    client = client_for(owner)
    confirm = client.get(urls_of(goal)["delete"])
    assert "À effacer" in confirm.content.decode()
    assert Goal.objects.filter(pk=goal.pk).exists()
    response = client.post(urls_of(goal)["delete"])
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Goal.objects.filter(pk=goal.pk).exists()


# --- the checklist ------------------------------------------------------------------------------


def test_ticking_a_step_without_javascript_is_one_post(owner):
    goal = make_goal(owner)
    step = goal.steps[0]
    client = client_for(owner)
    page = client.get(urls_of(goal)["goal"]).content.decode()
    assert f'action="{step_urls(goal, step)["tick"]}"' in page
    assert 'name="done" value="yes"' in page
    response = client.post(step_urls(goal, step)["tick"], {"done": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"{urls_of(goal)['goal']}#etape-{step['id']}"
    again = client.post(step_urls(goal, step)["tick"], {"done": "yes"})  # a double tap: same state
    assert again.status_code == 302
    assert get_goal_of(owner, goal.pk).steps_done == 1
    page = client.get(urls_of(goal)["goal"]).content.decode()
    assert "1 of 2 steps done" in page
    assert 'name="done" value="no"' in page
    client.post(step_urls(goal, step)["tick"], {"done": "no"})
    assert get_goal_of(owner, goal.pk).steps_done == 0


def test_ticking_with_htmx_answers_the_checklist_only(owner):
    goal = make_goal(owner)
    step = goal.steps[1]
    response = client_for(owner).post(step_urls(goal, step)["tick"], {"done": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="checklist">') and "<h1" not in body
    assert "1 of 2 steps done" in body


def test_a_get_on_a_step_changes_nothing(owner):
    goal = make_goal(owner)
    step = goal.steps[0]
    client = client_for(owner)
    for url in step_urls(goal, step).values():
        assert client.get(url).status_code == 302
    goal = get_goal_of(owner, goal.pk)
    assert goal.steps_done == 0 and len(goal.steps) == 2


def test_adding_a_step_once_per_token_and_errors_on_the_goal_page(owner):
    goal = make_goal(owner, steps=[])
    client = client_for(owner)
    url = f"/objectifs/{goal.pk}/etapes/"
    token = token_of(client.get(urls_of(goal)["goal"]))
    first = client.post(url, {"form_token": token, "text": "Appeler le médecin"})
    second = client.post(url, {"form_token": token, "text": "Appeler le médecin"})
    assert first.status_code == second.status_code == 302
    assert [s["text"] for s in get_goal_of(owner, goal.pk).steps] == ["Appeler le médecin"]
    refused = client.post(url, {"form_token": token_of(client.get(urls_of(goal)["goal"])), "text": "x" * 201})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Keep each step under 200 characters." in page and "x" * 201 in page
    assert page.count("<h1") == 1


def test_removing_a_step(owner):
    goal = make_goal(owner)
    step = goal.steps[0]
    response = client_for(owner).post(step_urls(goal, step)["remove"])
    assert response.status_code == 302
    assert [s["text"] for s in get_goal_of(owner, goal.pk).steps] == ["Première marche de 10 minutes"]


# --- lists --------------------------------------------------------------------------------------


def test_goal_list_shows_goals_in_progress_first_in_calm_words(owner):
    make_goal(owner, title="Laissé de côté", status=GoalStatus.LET_GO)
    make_goal(owner, title="Atteint", status=GoalStatus.REACHED)
    make_goal(owner, title="En cours")
    page = client_for(owner).get(LIST).content.decode()
    assert page.index("En cours") < page.index("Atteint") < page.index("Laissé de côté")
    assert "In progress" in page and "Reached" in page and "Let go" in page
    assert "fail" not in strip_tags(page).lower()  # the words read, not a random token


@pytest.mark.parametrize("count", [3, 40])
def test_goal_list_query_count_does_not_grow(owner, count, django_assert_num_queries):
    for n in range(count):
        make_goal(owner, title=f"But {n}")
    client = client_for(owner)
    client.get(LIST)
    # Session, person, instance settings, the count, one page of goals, the person's key.
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.content.decode().count('class="card"') == min(count, 25)


def test_progress_page_shows_steps_and_reached_goals(owner, django_assert_num_queries):
    goal = make_goal(owner, title="Marcher")
    services.update_step(goal, goal.steps[0]["id"], done=True)
    for n in range(3):
        make_goal(owner, title=f"Fini {n}", status=GoalStatus.REACHED)
    client = client_for(owner)
    client.get(PROGRESS)
    with django_assert_num_queries(6):  # session, person, settings, goals in progress, reached, key
        page = client.get(PROGRESS).content.decode()
    assert "1 of 2 steps done" in page
    assert "You have reached 3 goals in all." in page
    assert re.search(r'<meter class="reached__bar" min="0" max="3" value="3"', page)
    assert "style=" not in page


def test_goal_typed_after_the_session_expired_comes_back_after_login(owner):
    from django.contrib.sessions.models import Session

    from conftest import PASSWORD

    client = client_for(owner)
    token = token_of(client.get(NEW))
    Session.objects.all().delete()
    response = client.post(NEW, {"form_token": token, "title": "Écrit avant la fin", "status": "in_progress"})
    assert response["Location"].startswith(f"{reverse('account_login')}?next={NEW}")
    client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    page = client.get(NEW).content.decode()
    assert 'value="Écrit avant la fin"' in page
    assert not Goal.objects.exists()


def test_a_step_typed_after_the_session_expired_comes_back_on_the_goal_page(owner):
    from django.contrib.sessions.models import Session

    from conftest import PASSWORD

    goal = make_goal(owner, steps=[])
    client = client_for(owner)
    token = token_of(client.get(urls_of(goal)["goal"]))
    Session.objects.all().delete()
    url = f"/objectifs/{goal.pk}/etapes/"
    response = client.post(url, {"form_token": token, "text": "Étape gardée"})
    assert response["Location"].startswith(f"{reverse('account_login')}?next={url}")
    client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Étape gardée"' in page.content.decode()
    assert get_goal_of(owner, goal.pk).steps == []
    assert client.get(url).status_code == 302  # once: then back to the goal's page
