"""The questionnaire pages with JavaScript off: a Django client posting forms as a browser would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from conftest import client_for
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.assessments.tests.factories import make_response
from entraide.notifications.models import Reminder

pytestmark = pytest.mark.django_db

RESPOND = "/questionnaires/phq9/repondre/"
ITEM9_FR = "Penser qu'il vaudrait mieux mourir ou envisager de vous faire du mal d'une manière ou d'une autre"
ITEM9_EN = "Thoughts that you would be better off dead or of hurting yourself in some way"


def token_of(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def phq9_form(values: list[int | None], difficulty: int | None = None) -> dict[str, str]:
    data = {f"item_{n}": str(v) for n, v in enumerate(values, start=1) if v is not None}
    if difficulty is not None:
        data["difficulty"] = str(difficulty)
    return data


def post_phq9(client, values, difficulty=None, **extra):
    page = client.get(RESPOND)
    return client.post(RESPOND, {"form_token": token_of(page), **phq9_form(values, difficulty), **extra})


def html(response) -> str:
    return response.content.decode()


def test_pages_need_a_login(client):
    for url in ("/questionnaires/", RESPOND, "/questionnaires/phq9/", "/questionnaires/rythme/"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/login/" in response["Location"], url


def test_the_list_shows_each_questionnaire_and_that_it_is_not_a_diagnosis(owner, owner_client):
    page = html(owner_client.get("/questionnaires/"))
    for name in ("PHQ-9", "GAD-7", "Indice de bien-être OMS-5 (WHO-5)"):  # the file's French names
        assert name in page
    assert "WHO-5 Well-Being Index" in html(client_for(owner).get("/questionnaires/"))
    assert "A questionnaire is not a diagnosis" in html(client_for(owner).get("/questionnaires/"))


def test_the_form_shows_the_wording_verbatim_in_french(owner_client):
    page = html(owner_client.get(RESPOND)).replace("&#x27;", "'")
    assert ITEM9_FR in page
    assert "Au cours des 2 dernières semaines, selon quelle fréquence avez-vous été gêné(e)" in page
    assert page.count('type="radio"') == 9 * 4 + 4
    assert 'lang="fr"' in page


def test_the_form_shows_the_english_wording_to_an_english_reader(owner):
    page = html(client_for(owner).get(RESPOND)).replace("&#x27;", "'")
    assert ITEM9_EN in page and "Nearly every day" in page
    assert ITEM9_FR not in page


def test_a_complete_phq9_is_saved_and_shows_its_result(owner, owner_client):
    response = post_phq9(owner_client, [1, 1, 2, 1, 0, 1, 2, 0, 0], difficulty=1)
    saved = QuestionnaireResponse.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:response", kwargs={"response_id": saved.pk})
    assert (saved.raw, saved.band, saved.difficulty) == (8, "mild", 1)
    page = html(owner_client.get(response["Location"]))
    assert "Plus de la moitié du temps" in page  # the answer chosen, in the file's words
    page = html(client_for(owner).get(response["Location"]))
    assert "8 out of 27" in page and "Mild" in page
    assert "A questionnaire is not a diagnosis" in page
    assert "More than half the days" not in page  # answered in French: shown as answered


def test_a_score_cannot_be_posted(owner, owner_client):
    post_phq9(owner_client, [0] * 9, score="27", raw="27", band="severe")
    assert QuestionnaireResponse.objects.get(owner=owner).raw == 0


def test_a_missing_item_shows_the_form_again_with_every_answer_kept(owner, owner_client):
    response = post_phq9(owner_client, [2, 1, None, 3, 0, 0, 1, 0, 0], difficulty=2)
    assert response.status_code == 200
    page = html(response)
    assert 'class="error-summary"' in page and 'href="#id_item_3_0"' in page
    assert 'id="id_item_3_error"' in page
    for n, value in [(1, 2), (2, 1), (4, 3), (7, 1), (9, 0)]:
        assert re.search(rf'name="item_{n}" value="{value}"[^>]*checked', page), n
    assert re.search(r'name="difficulty" value="2"[^>]*checked', page)
    assert not QuestionnaireResponse.objects.exists()


def test_difficulty_is_asked_only_when_a_problem_was_ticked(owner, owner_client):
    response = post_phq9(owner_client, [0] * 8 + [0])
    assert response.status_code == 302
    response = post_phq9(owner_client, [1] + [0] * 8)
    assert response.status_code == 200 and 'id="id_difficulty_error"' in html(response)
    assert QuestionnaireResponse.objects.filter(owner=owner).count() == 1


def test_item_9_above_0_leads_to_the_crisis_screen(owner, owner_client):
    from entraide.safety.models import CrisisMoment

    response = post_phq9(owner_client, [0] * 8 + [1], difficulty=0)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:crisis")
    assert QuestionnaireResponse.objects.get(owner=owner).crisis is True
    assert CrisisMoment.objects.filter(owner=owner).count() == 1
    assert owner_client.get(response["Location"]).status_code == 200


def test_a_second_post_of_the_same_form_saves_once(owner, owner_client):
    page = owner_client.get(RESPOND)
    data = {"form_token": token_of(page), **phq9_form([0] * 8 + [2], 1)}
    first = owner_client.post(RESPOND, data)
    second = owner_client.post(RESPOND, data)
    assert first["Location"] == second["Location"] == reverse("safety:crisis")
    assert QuestionnaireResponse.objects.filter(owner=owner).count() == 1


def test_an_unknown_questionnaire_is_a_404(owner_client):
    assert owner_client.get("/questionnaires/beck/repondre/").status_code == 404
    assert owner_client.get("/questionnaires/beck/").status_code == 404


def test_another_persons_response_is_a_404(owner, stranger):
    response = make_response(owner)
    stranger_client = client_for(stranger)
    detail = reverse("assessments:response", kwargs={"response_id": response.pk})
    delete = reverse("assessments:response-delete", kwargs={"response_id": response.pk})
    assert stranger_client.get(detail).status_code == 404
    assert stranger_client.get(delete).status_code == 404
    assert stranger_client.post(delete).status_code == 404
    assert QuestionnaireResponse.objects.filter(pk=response.pk).exists()
    assert str(response.pk) not in html(stranger_client.get("/questionnaires/phq9/"))
    assert "Last answered" not in html(stranger_client.get("/questionnaires/"))


def test_delete_asks_then_deletes(owner, owner_client):
    response = make_response(owner)
    url = reverse("assessments:response-delete", kwargs={"response_id": response.pk})
    assert owner_client.get(url).status_code == 200
    assert QuestionnaireResponse.objects.filter(pk=response.pk).exists()
    done = owner_client.post(url)
    assert done.status_code == 302 and done["Location"] == "/questionnaires/phq9/"
    assert not QuestionnaireResponse.objects.filter(pk=response.pk).exists()


def test_history_shows_the_trend_with_a_summary_and_a_table(
    owner, owner_client, django_assert_max_num_queries
):
    now = timezone.now()
    for weeks, total in [(8, 14), (6, 11), (4, 9), (2, 6), (0, 4)]:
        make_response(owner, "phq9", total=total, at=now - timedelta(weeks=weeks))
    make_response(owner, "gad7", total=20)  # another questionnaire: not in this history
    phq9 = QuestionnaireResponse.objects.filter(owner=owner, instrument="phq9")
    with django_assert_max_num_queries(13):  # 3 of this page (count, page, chart) + its key
        response = owner_client.get("/questionnaires/phq9/")
    page = html(response)
    assert "<svg" in page and page.count('class="chart__dot"') == 5
    assert "5 responses" in page or "5 réponses" in page
    assert page.count('<tr><th scope="row">') >= 5
    assert page.count('href="/questionnaires/reponse/') == 5
    for row in phq9:  # each past response links to its own page, under its own day
        day = formats.date_format(row.local_date, "j F Y")
        assert f'<a href="/questionnaires/reponse/{row.pk}/">{day}</a>' in page


def test_who5_history_says_what_change_is_meaningful(owner, owner_client):
    make_response(owner, "who5", total=10)
    page = html(client_for(owner).get("/questionnaires/who5/"))
    assert "a change of 10 points or more is considered meaningful" in page
    assert "40 out of 100" in page and "raw score 10 out of 25" in page


def test_the_rhythm_and_reminder_are_saved(owner, owner_client):
    page = owner_client.get("/questionnaires/rythme/")
    assert page.status_code == 200
    response = owner_client.post(
        "/questionnaires/rythme/",
        {
            "form_token": token_of(page),
            "every_phq9": "7",
            "every_gad7": "0",
            "every_who5": "28",
            "remind": "on",
            "at": "19:15",
        },
    )
    assert response.status_code == 302
    rhythms = dict(QuestionnaireSchedule.objects.filter(owner=owner).values_list("instrument", "every_days"))
    assert rhythms == {"phq9": 7, "gad7": 0, "who5": 28}
    reminder = Reminder.objects.get(owner=owner, kind="assessments.due")
    assert reminder.enabled and reminder.local_time == time(19, 15)


def test_a_reminder_without_a_time_shows_the_form_again(owner, owner_client):
    page = owner_client.get("/questionnaires/rythme/")
    response = owner_client.post(
        "/questionnaires/rythme/",
        {
            "form_token": token_of(page),
            "every_phq9": "14",
            "every_gad7": "14",
            "every_who5": "14",
            "remind": "on",
            "at": "",
        },
    )
    assert response.status_code == 200 and 'class="error-summary"' in html(response)
    assert not Reminder.objects.filter(owner=owner).exists()


def test_the_overview_shows_the_latest_results(owner, owner_client):
    make_response(owner, "gad7", total=7, at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    page = html(client_for(owner).get(reverse("journal:overview")))
    assert "GAD-7" in page and "7 out of 21" in page


def test_history_pages_past_responses_and_keeps_the_period(owner, owner_client):
    now = timezone.now()
    for weeks in range(14):
        make_response(owner, "gad7", total=weeks, at=now - timedelta(weeks=2 * weeks))
    first = html(owner_client.get("/questionnaires/gad7/?periode=tout"))
    assert first.count('href="/questionnaires/reponse/') == 12
    assert "?periode=tout&amp;page=2" in first
    second = html(owner_client.get("/questionnaires/gad7/?periode=tout&page=2"))
    assert second.count('href="/questionnaires/reponse/') == 2
    assert second.count('class="chart__dot"') == 14  # the whole history in the chart
