"""Idempotency-Key: a write sent again with the same key and body acts once (issue 18)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from entraide.api import idempotency, services
from entraide.api.models import IdempotentWrite
from entraide.api.tests.conftest import json_post, json_put
from entraide.journal.models import Checkin

pytestmark = pytest.mark.django_db
CHECKINS = "/api/v1/checkins"
BODY = {"moment": "2026-11-02T10:00:00+01:00", "mood": 5, "note": "Une note"}


def key() -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}


def test_the_same_key_and_body_writes_once_and_answers_the_object_as_it_is_now(owner_api):
    headers = key()
    first = json_post(owner_api, CHECKINS, BODY, **headers)
    assert first.status_code == 201
    checkin_id = first.json()["id"]
    json_put(owner_api, f"{CHECKINS}/{checkin_id}", {**BODY, "mood": 8})  # changed since
    again = json_post(owner_api, CHECKINS, BODY, **headers)
    assert again.status_code == 201
    assert again.json()["id"] == checkin_id and again.json()["mood"] == 8  # now, not a stored body
    assert Checkin.objects.count() == 1
    stored = IdempotentWrite.objects.get()
    assert (stored.status, stored.object_id) == (201, checkin_id)
    assert "Une note" not in repr(stored.__dict__)  # no body kept, the key only hashed
    assert headers["HTTP_IDEMPOTENCY_KEY"] not in repr(stored.__dict__)


def test_the_same_key_with_another_body_is_a_422(owner_api):
    headers = key()
    assert json_post(owner_api, CHECKINS, BODY, **headers).status_code == 201
    reused = json_post(owner_api, CHECKINS, {**BODY, "mood": 2}, **headers)
    assert reused.status_code == 422
    assert reused.json()["detail"][0]["field"] == "Idempotency-Key"
    assert Checkin.objects.count() == 1


def test_without_a_key_every_write_acts(owner_api):
    assert [json_post(owner_api, CHECKINS, BODY).status_code for _ in range(2)] == [201, 201]
    assert Checkin.objects.count() == 2
    assert not IdempotentWrite.objects.exists()


def test_a_key_is_one_tokens_own(owner, owner_api, make_token):
    from entraide.api.tests.conftest import api_client

    headers = key()
    json_post(owner_api, CHECKINS, BODY, **headers)
    other = api_client(make_token(owner))
    assert json_post(other, CHECKINS, BODY, **headers).status_code == 201
    assert Checkin.objects.count() == 2


def test_a_failed_write_claims_no_key(owner_api):
    headers = key()
    refused = json_post(owner_api, CHECKINS, {**BODY, "sleep_bed": "23:00"}, **headers)  # no wake time
    assert refused.status_code == 422
    assert not IdempotentWrite.objects.exists()
    assert json_post(owner_api, CHECKINS, BODY, **headers).status_code == 201


def test_a_delete_replays_its_204(owner_api):
    checkin_id = json_post(owner_api, CHECKINS, BODY).json()["id"]
    headers = key()
    assert owner_api.delete(f"{CHECKINS}/{checkin_id}", **headers).status_code == 204
    assert owner_api.delete(f"{CHECKINS}/{checkin_id}", **headers).status_code == 204  # not a 404


@pytest.mark.parametrize("value", ["", "a" * 256, "clé"])
def test_malformed_keys_are_a_422(owner_api, value):
    response = json_post(owner_api, CHECKINS, BODY, HTTP_IDEMPOTENCY_KEY=value)
    assert response.status_code == 422
    assert not Checkin.objects.exists()


def test_keys_are_forgotten_after_24_hours(owner_api):
    headers = key()
    json_post(owner_api, CHECKINS, BODY, **headers)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        # Not pruned yet: still a new key.
        assert json_post(owner_api, CHECKINS, BODY, **headers).status_code == 201
        assert Checkin.objects.count() == 2
        IdempotentWrite.objects.update(created_at=timezone.now() - timedelta(hours=25))
        assert services.prune_idempotent_writes() == 1
    assert not IdempotentWrite.objects.exists()


# Writes whose object no GET operation shows alone: a replay answers 409 with the id (docs/api.md).
WITHOUT_READER = [
    (["POST"], "/goals/{goal_id}/steps", 201),
    (["PUT"], "/goals/{goal_id}/steps/{step_id}", 200),
    (["POST"], "/treatments/{treatment_id}/schedules/{schedule_id}/starts", 201),
    (["POST"], "/treatments/{treatment_id}/side-effects", 201),
    (["PUT"], "/doses/{schedule_id}/{dose_at}", 200),
    # The answer to posting carries the crisis numbers when the watch matched (issue 21), which no
    # reader gives back: a replay says it was done, with the post's id, rather than drop them.
    (["POST"], "/community/spaces/{space_slug}/topics", 201),
    (["POST"], "/community/topics/{topic_id}/posts", 201),
    # A report is read by the moderators only: sent again it changes the same report anyway.
    (["PUT"], "/community/posts/{post_id}/flag", 200),
]


def test_a_write_without_a_reader_replays_as_409_with_its_id(owner_api):
    goal = json_post(owner_api, "/api/v1/goals", {"title": "Marcher"}).json()
    headers = key()
    first = json_post(owner_api, f"/api/v1/goals/{goal['id']}/steps", {"text": "Chaussures"}, **headers)
    assert first.status_code == 201, first.content
    again = json_post(owner_api, f"/api/v1/goals/{goal['id']}/steps", {"text": "Chaussures"}, **headers)
    assert again.status_code == 409 and "Already done" in again.json()["detail"]
    assert len(owner_api.get(f"/api/v1/goals/{goal['id']}").json()["steps"]) == 1


def test_every_write_operation_can_be_replayed():
    """A write whose answer has no GET operation is shown again as a 409: only the known ones."""
    from entraide.api.v1 import api

    missing = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                if not set(operation.methods) & idempotency.WRITE_METHODS:
                    continue
                for status in operation.response_models:
                    if not 200 <= int(status) < 300:
                        continue
                    schema = idempotency._schema_of(operation, status)
                    known = set(re.findall(r"{(?:\w+:)?(\w+)}", path))
                    if schema is not None and idempotency._reader_for(schema, known) is None:
                        missing.append((operation.methods, path, status))
    assert missing == WITHOUT_READER, "\n".join(map(str, missing))
