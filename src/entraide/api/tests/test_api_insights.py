"""Trends and comparisons as JSON: the same figures as the pages, owner only."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from entraide.journal import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def week_of_data(owner):
    zone = ZoneInfo(owner.time_zone)
    today = timezone.localdate()
    for i, (hours, mood) in enumerate([(6, 4), (8, 7), (7, 5), (9, 8), (6, 3), (8, 6), (7, 6)]):
        day = today - timedelta(days=6 - i)
        wake = f"{(23 + hours) % 24:02d}:00"
        services.record_checkin(
            owner,
            moment=datetime(day.year, day.month, day.day, 20, tzinfo=zone),
            values={"mood": mood, "sleep_bed": "23:00", "sleep_wake": wake},
        )
    return owner


def test_trend_gives_daily_values_and_trailing_means(owner_api, week_of_data):
    body = owner_api.get("/api/v1/trends?measure=mood&days=7").json()
    assert body["days_with_data"] == 7
    assert [p["value"] for p in body["points"]] == [4, 7, 5, 8, 3, 6, 6]
    assert math.isclose(body["points"][-1]["mean7"], 39 / 7)
    assert body["first_mean7"] == 4


def test_comparison_matches_the_page(owner_api, week_of_data):
    body = owner_api.get("/api/v1/comparisons?x=sleep&y=mood&lag=0&days=90").json()
    assert body["pairs"] == 7 and body["caution"] is True
    assert body["threshold"] == 7  # median of the hours of sleep
    assert body["spearman"] > 0.9
    assert any("not causing" in s or "pas" in s for s in body["sentences"])


def test_unknown_measure_is_a_404_and_a_stranger_sees_only_their_own(owner_api, stranger_api, week_of_data):
    assert owner_api.get("/api/v1/trends?measure=nope").status_code == 404
    assert stranger_api.get("/api/v1/trends?measure=mood&days=7").json()["days_with_data"] == 0
    measures = owner_api.get("/api/v1/measures").json()
    assert {"mood", "sleep", "regular_meals"} <= {m["key"] for m in measures}
