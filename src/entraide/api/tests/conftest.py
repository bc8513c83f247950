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


def every_area_token(user: Any) -> str:
    """A read and write token of every area, with the area of what others share (read only,
    opened only when named): for the tests that try every operation."""
    from entraide.core.registries import api_areas

    areas = {area.key: "read" if area.others else "read_write" for area in api_areas.ordered()}
    return services.create_token(user, name="Tout", days=90, areas=areas)[1]


@pytest.fixture
def circle_of(owner: Any) -> dict[str, list[str]]:
    """Both sides of the owner's circle, for the tests that try every operation: the owner shares
    their goals with a friend (a link, a grant) and holds an invitation by code; another person
    shares every data scope with the owner (who therefore uses a second factor)."""
    from conftest import enrol_totp, link_people, make_user
    from entraide.circle import services as circle

    enrol_totp(owner)
    friend = make_user("Ami")
    enrol_totp(friend)
    mine = link_people(owner, friend, scopes=("goals",))
    invitation, _ = circle.invite_person(owner, kind="other")
    sharing = make_user("Partage")
    scopes = (
        "checkins",
        "notes",
        "indicators",
        "thoughts",
        "goals",
        "assessments",
        "safety_plan",
        "treatments",
    )
    link_people(sharing, owner, scopes=scopes)
    journal.record_checkin(
        sharing, moment=datetime.fromisoformat("2026-11-02T09:00:00+01:00"), values={"mood": 5}
    )
    return {
        "person_id": [str(sharing.pk)],
        "link_id": [str(mine.pk)],
        "invitation_id": [str(invitation.pk)],
        "scope": ["goals"],
    }


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
