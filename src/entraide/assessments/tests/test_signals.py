"""The questionnaires' named signals are sent once the write is committed, from the pages and the
API alike (both call the services)."""

from __future__ import annotations

import json
import re

import pytest

from entraide.assessments import services, signals
from entraide.assessments.models import QuestionnaireResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    found: list[tuple[str, object, object]] = []

    def recorded(sender, *, owner, response, **kwargs):
        assert sender is QuestionnaireResponse
        found.append(("response_recorded", owner.pk, response.pk))

    def deleted(sender, *, owner, response_id, instrument, **kwargs):
        found.append(("response_deleted", owner.pk, response_id))

    signals.response_recorded.connect(recorded, dispatch_uid="test-recorded")
    signals.response_deleted.connect(deleted, dispatch_uid="test-deleted")
    yield found
    signals.response_recorded.disconnect(dispatch_uid="test-recorded")
    signals.response_deleted.disconnect(dispatch_uid="test-deleted")


def test_the_services_send_them_after_the_commit_only(owner, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = services.record_response(owner, questionnaire="gad7", answers=[1] * 7)
    response_id = response.pk
    assert heard == [] and len(pending) == 1
    pending[0]()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_response(response)
    assert heard == [
        ("response_recorded", owner.pk, response_id),
        ("response_deleted", owner.pk, response_id),
    ]


def test_refused_answers_send_nothing(owner, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.InvalidValuesError):
        services.record_response(owner, questionnaire="gad7", answers=[9] * 7)
    assert heard == []


def test_the_page_and_the_api_send_them_too(owner, owner_client, heard, django_capture_on_commit_callbacks):
    from entraide.api import services as api_services

    page = owner_client.get("/questionnaires/gad7/repondre/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    answers = {f"item_{n}": "1" for n in range(1, 8)}
    with django_capture_on_commit_callbacks(execute=True):
        posted = owner_client.post("/questionnaires/gad7/repondre/", {**answers, "form_token": token})
    assert posted.status_code == 302
    secret = api_services.create_token(owner, name="test", scope="read_write", days=30)[1]
    with django_capture_on_commit_callbacks(execute=True):
        created = owner_client.post(
            "/api/v1/questionnaire-responses",
            json.dumps({"questionnaire": "gad7", "answers": [0] * 7}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert created.status_code == 201, created.content
    assert [name for name, *_ in heard] == ["response_recorded", "response_recorded"]
    assert heard[1][2] == QuestionnaireResponse.objects.get(pk=created.json()["id"]).pk
