"""``/api/v1/questionnaires`` and ``/api/v1/questionnaire-responses``: definitions with the wording
verbatim, responses scored on the server, owner only."""

from __future__ import annotations

import typing

import pytest
from django.urls import reverse

from entraide.api.endpoints.assessments import QuestionnaireKey
from entraide.api.tests.conftest import api_client, json_post
from entraide.assessments import engine
from entraide.assessments.models import QuestionnaireResponse
from entraide.assessments.tests.factories import make_response

pytestmark = pytest.mark.django_db

BASE = "/api/v1/questionnaire-responses"


def test_the_schema_lists_every_questionnaire_of_the_engine():
    assert list(typing.get_args(QuestionnaireKey)) == list(engine.KEYS)


def test_definitions_in_french_and_in_english(owner_api):
    french = owner_api.get("/api/v1/questionnaires", HTTP_ACCEPT_LANGUAGE="fr").json()["items"]
    assert [q["key"] for q in french] == ["phq9", "gad7", "who5"]
    phq9 = french[0]
    assert phq9["language"] == "fr"
    assert phq9["items"][8]["text"] == (
        "Penser qu'il vaudrait mieux mourir ou envisager de vous faire du mal d'une manière ou d'une autre"
    )
    assert phq9["items"][8]["crisis_if_above"] == 0 and phq9["items"][8]["loinc"] == "44260-8"
    assert phq9["difficulty_item"]["required_if_a_scored_item_is_above_0"] is True
    assert [(b["min"], b["max"], b["key"]) for b in phq9["bands"]] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately_severe"),
        (20, 27, "severe"),
    ]
    english = owner_api.get("/api/v1/questionnaires/who5?language=en").json()
    assert english["name"] == "WHO-5 Well-Being Index" and english["language"] == "en"
    assert english["score_range"] == [0, 100] and english["percentage_multiplier"] == 4
    assert [c["key"] for c in english["cutoffs"]] == ["poor_wellbeing", "likely_depression"]
    assert english["options"][0] == {"value": 5, "text": "All of the time"}
    assert "not a diagnosis" in english["not_a_diagnosis"]
    assert owner_api.get("/api/v1/questionnaires/beck").status_code == 404


def test_a_response_is_scored_on_the_server(owner, owner_api):
    response = json_post(
        owner_api, BASE, {"questionnaire": "phq9", "answers": [2, 2, 2, 2, 2, 1, 1, 1, 0], "difficulty": 2}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["raw"], body["score"], body["band"], body["crisis"], body["crisis_url"]) == (
        13,
        13,
        "moderate",
        False,
        None,
    )
    assert QuestionnaireResponse.objects.get(owner=owner).raw == 13


def test_who5_answers_give_the_percentage(owner_api):
    body = json_post(owner_api, BASE, {"questionnaire": "who5", "answers": [1, 1, 2, 2, 1]}).json()
    assert (body["raw"], body["percentage"], body["score"], body["band"]) == (7, 28, 28, "likely_depression")
    assert set(body["cutoffs"]) == {"poor_wellbeing", "likely_depression"}


def test_item_9_above_0_says_crisis_and_where_the_crisis_screen_is(owner, owner_api):
    from entraide.safety.models import CrisisMoment

    body = json_post(
        owner_api, BASE, {"questionnaire": "phq9", "answers": [0] * 8 + [1], "difficulty": 0}
    ).json()
    assert body["crisis"] is True and body["crisis_url"] == reverse("safety:crisis")
    assert CrisisMoment.objects.filter(owner=owner).count() == 1


def test_missing_items_are_a_422_naming_each(owner_api):
    response = json_post(owner_api, BASE, {"questionnaire": "gad7", "answers": [1, None, 1, 1, 1]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"answers.2", "answers.6", "answers.7"}
    response = json_post(owner_api, BASE, {"questionnaire": "phq9", "answers": [1] + [0] * 8})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["difficulty"]
    assert not QuestionnaireResponse.objects.exists()


def test_a_score_cannot_be_sent(owner_api):
    response = json_post(owner_api, BASE, {"questionnaire": "gad7", "answers": [0] * 7, "score": 21})
    assert response.status_code == 422
    assert not QuestionnaireResponse.objects.exists()


def test_list_filter_read_and_delete_own_responses(owner, stranger, owner_api, django_assert_max_num_queries):
    mine = [make_response(owner, "phq9"), make_response(owner, "gad7"), make_response(owner, "gad7")]
    make_response(stranger, "gad7")
    with django_assert_max_num_queries(10):  # + the roles and circle grants, for the second factor
        listed = owner_api.get(f"{BASE}?questionnaire=gad7").json()
    assert listed["count"] == 2 and {i["id"] for i in listed["items"]} == {str(r.pk) for r in mine[1:]}
    one = owner_api.get(f"{BASE}/{mine[0].pk}").json()
    assert one["answers"] == mine[0].answers and one["questionnaire"] == "phq9"
    assert owner_api.delete(f"{BASE}/{mine[0].pk}").status_code == 204
    assert not QuestionnaireResponse.objects.filter(pk=mine[0].pk).exists()


def test_another_persons_response_is_a_404(owner, stranger_api):
    row = make_response(owner)
    assert stranger_api.get(f"{BASE}/{row.pk}").status_code == 404
    assert stranger_api.delete(f"{BASE}/{row.pk}").status_code == 404
    assert stranger_api.get(BASE).json()["count"] == 0
    assert QuestionnaireResponse.objects.filter(pk=row.pk).exists()


def test_a_token_is_needed_and_a_read_only_one_cannot_answer(reader_api):
    assert api_client().get("/api/v1/questionnaires").status_code == 401
    assert api_client().get(BASE).status_code == 401
    assert json_post(reader_api, BASE, {"questionnaire": "gad7", "answers": [0] * 7}).status_code == 403
