"""The journal's named signals are sent once the write is committed, on every path: the services
behind the pages, the API and the demo."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from entraide.core.errors import InvalidValuesError
from entraide.journal import services, signals
from entraide.journal.models import Checkin

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every journal signal sent during the test, as (signal name, owner id, check-in id)."""
    found: list[tuple[str, object, object]] = []
    receivers = {}
    for name in ("checkin_recorded", "checkin_changed", "checkin_deleted"):

        def receive(sender, *, owner, name=name, **kwargs):
            assert sender is Checkin
            found.append((name, owner.pk, kwargs["checkin_id"]))

        receivers[name] = receive
        getattr(signals, name).connect(receive, dispatch_uid=f"test-{name}")
    yield found
    for name in receivers:
        getattr(signals, name).disconnect(dispatch_uid=f"test-{name}")


def test_the_services_send_them_after_the_commit_only(owner, heard, django_capture_on_commit_callbacks):
    moment = timezone.now() - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        checkin = services.record_checkin(owner, moment=moment, values={"mood": 4})
    checkin_id = checkin.pk
    assert heard == [] and len(pending) == 1  # nothing heard before the commit
    pending[0]()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_checkin(checkin, moment=moment, values={"mood": 5})
        services.mark_checkin_private(checkin, private=True)
        services.delete_checkin(checkin)
    assert heard == [
        ("checkin_recorded", owner.pk, checkin_id),
        ("checkin_changed", owner.pk, checkin_id),
        ("checkin_changed", owner.pk, checkin_id),
        ("checkin_deleted", owner.pk, checkin_id),
    ]


def test_a_refused_check_in_sends_nothing(owner, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidValuesError):
        services.record_checkin(owner, moment=timezone.now(), values={"mood": 11})
    assert heard == []


def test_the_page_and_the_api_send_them_too(owner, owner_client, heard, django_capture_on_commit_callbacks):
    from entraide.api import services as api_services

    page = owner_client.get("/journal/point/nouveau/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/journal/point/nouveau/", {"moment": now, "mood": "6", "form_token": token}
        )
    assert response.status_code == 302
    secret = api_services.create_token(owner, name="test", scope="read_write", days=30)[1]
    with django_capture_on_commit_callbacks(execute=True):
        created = owner_client.post(
            "/api/v1/checkins",
            json.dumps({"moment": datetime.now(UTC).isoformat(), "mood": 3}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert created.status_code == 201, created.content
    assert [name for name, *_ in heard] == ["checkin_recorded", "checkin_recorded"]
    assert heard[1][2] == Checkin.objects.get(pk=created.json()["id"]).pk
