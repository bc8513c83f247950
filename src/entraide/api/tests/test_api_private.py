""" "Reste privé" through the API: set when creating, changed when replacing, kept when a client
that does not know the field replaces a record (a privacy setting is never undone by omission)."""

from __future__ import annotations

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.assessments.models import QuestionnaireResponse
from entraide.journal.models import Checkin, JournalEntry
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "model", "body"),
    [
        ("/api/v1/checkins", Checkin, {"moment": "2026-11-02T09:00:00+01:00", "mood": 5}),
        ("/api/v1/entries", JournalEntry, {"day": "2026-11-02", "body": "Un texte"}),
        ("/api/v1/thought-records", ThoughtRecord, {"day": "2026-11-02", "situation": "Au travail"}),
    ],
)
def test_private_is_set_changed_and_never_undone_by_omission(owner_api, url, model, body):
    created = json_post(owner_api, url, {**body, "private": True})
    assert created.status_code == 201, created.content
    assert created.json()["private"] is True
    row_id = created.json()["id"]
    assert model.objects.get(pk=row_id).private
    replaced = json_put(owner_api, f"{url}/{row_id}", body)  # a client unaware of the field
    assert replaced.status_code == 200 and replaced.json()["private"] is True
    shared = json_put(owner_api, f"{url}/{row_id}", {**body, "private": False})
    assert shared.json()["private"] is False and not model.objects.get(pk=row_id).private
    plain = json_post(owner_api, url, body)
    assert plain.json()["private"] is False


def test_a_private_answer_is_private_from_the_start(owner_api):
    response = json_post(
        owner_api,
        "/api/v1/questionnaire-responses",
        {"questionnaire": "gad7", "answers": [0, 1, 0, 1, 0, 1, 0], "private": True},
    )
    assert response.status_code == 201, response.content
    assert response.json()["private"] is True
    assert QuestionnaireResponse.objects.get(pk=response.json()["id"]).private
    assert (
        json_post(
            owner_api, "/api/v1/questionnaire-responses", {"questionnaire": "gad7", "answers": [0] * 7}
        ).json()["private"]
        is False
    )
