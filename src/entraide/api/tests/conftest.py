"""Tokens and API clients for the api app's tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client

from entraide.api import services
from entraide.journal import services as journal


def api_client(secret: str | None = None, **headers: str) -> Client:
    """A client that speaks JSON, with ``Authorization: Bearer <secret>`` when given."""
    if secret is not None:
        headers.setdefault("Authorization", f"Bearer {secret}")
    return Client(headers=headers)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Off here, on in the tests that are about them: counting in the database cache adds its
    queries to every request, and the query counts measure the operations."""
    settings.RATE_LIMITS = False


@pytest.fixture
def make_token() -> Callable[..., str]:
    def make(user: Any, *, scope: str = "read_write", days: int = 90, name: str = "Mon script") -> str:
        return services.create_token(user, name=name, scope=scope, days=days)[1]

    return make


@pytest.fixture
def owner_api(owner: Any, make_token: Callable[..., str]) -> Client:
    return api_client(make_token(owner))


@pytest.fixture
def reader_api(owner: Any, make_token: Callable[..., str]) -> Client:
    return api_client(make_token(owner, scope="read"))


@pytest.fixture
def stranger_api(stranger: Any, make_token: Callable[..., str]) -> Client:
    return api_client(make_token(stranger))


def json_post(client: Client, url: str, data: Any = None, **extra: Any) -> Any:
    return client.post(url, data, content_type="application/json", **extra)


def json_put(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.put(url, data, content_type="application/json", **extra)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def journal_of(owner: Any) -> dict[str, Any]:
    """A few check-ins, two indicators (one archived) and entries, written through the services."""
    sleep = journal.create_indicator(owner, name="Sommeil réparateur", kind="scale")
    walk = journal.create_indicator(owner, name="Marche", kind="number", unit="km")
    old = journal.create_indicator(owner, name="Ancien", kind="yes_no")
    journal.archive_indicator(old)
    checkins = [
        journal.record_checkin(
            owner,
            moment=moment("2026-11-01T09:00:00+01:00"),
            values={"mood": 4, "emotions": ["calm"], "indicators": {str(sleep.pk): 6}},
        ),
        journal.record_checkin(
            owner,
            moment=moment("2026-11-02T21:30:00+01:00"),
            values={"mood": 7, "note": "Une bonne journée", "indicators": {str(walk.pk): 3.5}},
        ),
        journal.record_checkin(
            owner,
            moment=moment("2026-11-03T08:15:00+01:00"),
            values={
                "anxiety": 3,
                "sleep_bed": "23:30",
                "sleep_wake": "07:00",
                "indicators": {str(sleep.pk): 8},
            },
        ),
    ]
    entries = [
        journal.create_entry(owner, day=date(2026, 11, 1), title="Premier jour", body="Calme."),
        journal.create_entry(owner, day=date(2026, 11, 2), body="Marché **au soleil**", tags=["dehors"]),
    ]
    return {"indicators": [sleep, walk, old], "checkins": checkins, "entries": entries}
