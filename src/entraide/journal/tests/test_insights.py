"""Self-analysis and trends: Spearman with average ranks for ties (known answers computed by
hand), the plain-language comparison, and the pages (owner only, sizes)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from conftest import client_for
from entraide.journal import day_means, insights, services

# A hand-computed table with ties.
#   x: 1, 2, 2, 3, 4   → ranks 1, 2.5, 2.5, 4, 5
#   y: 2, 1, 3, 3, 5   → ranks 2, 1, 3.5, 3.5, 5
#   rank deviations from the mean 3: dx = -2, -0.5, -0.5, 1, 2; dy = -1, -2, 0.5, 0.5, 2
#   Σdx·dy = 2 + 1 - 0.25 + 0.5 + 4 = 7.25; Σdx² = Σdy² = 9.5; ρ = 7.25 / 9.5 = 0.76315…
X = [1, 2, 2, 3, 4]
Y = [2, 1, 3, 3, 5]


def test_average_ranks_share_ties():
    assert insights.average_ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert insights.average_ranks(X) == [1, 2.5, 2.5, 4, 5]
    assert insights.average_ranks([7, 7, 7]) == [2, 2, 2]


def test_spearman_known_answer_with_ties():
    assert math.isclose(insights.spearman(X, Y), 7.25 / 9.5)
    assert math.isclose(insights.spearman(Y, X), 7.25 / 9.5)


def test_spearman_perfect_and_undefined_cases():
    assert insights.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1
    assert insights.spearman([1, 2, 3, 4], [9, 7, 5, 1]) == -1
    assert insights.spearman([1, 2, 3], [5, 5, 5]) is None  # one side does not vary
    assert insights.spearman([1, 2], [1, 2]) is None  # too few pairs


def sleep_and_mood():
    sleep = insights.BASE_MEASURES[3]
    mood = insights.BASE_MEASURES[0]
    start = date(2026, 1, 1)
    # Sleep (hours) on days 0–5, mood the next day (days 1–6).
    sleep_points = [(start + timedelta(days=i), h) for i, h in enumerate([6, 8, 7, 9, 6, 8])]
    mood_points = [(start + timedelta(days=i + 1), m) for i, m in enumerate([4, 7, 5, 8, 3, 6])]
    return sleep, mood, sleep_points, mood_points


def test_compare_the_next_day_splits_at_the_median():
    sleep, mood, sleep_points, mood_points = sleep_and_mood()
    c = insights.compare(sleep, mood, sleep_points, mood_points, lag=1)
    assert c.pairs == 6
    assert c.threshold == 7.5  # median of 6, 6, 7, 8, 8, 9
    assert (c.high_days, c.low_days) == (3, 3)
    assert math.isclose(c.high_mean, (7 + 8 + 6) / 3) and math.isclose(c.low_mean, (4 + 5 + 3) / 3)
    # Same-day pairs: none, since mood was noted on the following days only.
    assert insights.compare(sleep, mood, sleep_points, mood_points, lag=0).pairs == 5


def test_compare_in_plain_words_with_a_caution_never_causal():
    sleep, mood, sleep_points, mood_points = sleep_and_mood()
    c = insights.compare(sleep, mood, sleep_points, mood_points, lag=1)
    with translation.override("en"):
        text = insights.describe(c)
    assert text[0] == (
        "The day after a day with sleep above 7 h 30, your mood averaged 7, against 4 after the other days (3 and 3 days)."
    )
    # Ranks: sleep 1.5, 4.5, 3, 6, 1.5, 4.5; mood 2, 5, 3, 6, 1, 4; Σdx·dy = 16.5, Σdx² = 16.5,
    # Σdy² = 17.5: ρ = √(16.5 / 17.5) = 0.971.
    assert math.isclose(c.rho, math.sqrt(16.5 / 17.5))
    assert text[1] == (
        "Spearman's rank correlation: 0.97 over 6 days, a strong link "
        "(when one is higher, the other tends to be higher too)."
    )
    assert "cause" not in " ".join(text[:2]).lower()
    assert text[-1].startswith("Caution: only 6 days can be paired, fewer than 14.")
    with translation.override("fr"):
        french = insights.describe(c)
    assert french[0] == (
        "Le lendemain d'un jour avec sommeil au-dessus de 7 h 30, votre humeur était en moyenne de 7, "
        "contre 4 après les autres jours (3 et 3 jours)."
    )


def test_compare_a_yes_no_measure_gives_days_with_and_without():
    meals = insights.BASE_MEASURES[7]
    mood = insights.BASE_MEASURES[0]
    start = date(2026, 1, 1)
    meal_points = [(start + timedelta(days=i), v) for i, v in enumerate([1, 0, 1, 1, 0])]
    mood_points = [(start + timedelta(days=i), v) for i, v in enumerate([6, 3, 7, 5, 4])]
    c = insights.compare(meals, mood, meal_points, mood_points, lag=0)
    assert (c.high_days, c.low_days) == (3, 2) and c.high_mean == 6 and c.low_mean == 3.5
    with translation.override("en"):
        assert insights.describe(c)[0].startswith(
            "On days with “regular meals”, your mood averaged 6, against 3.5"
        )


@pytest.mark.django_db
def test_daily_values_are_the_mean_of_each_local_day(owner):
    paris = ZoneInfo("Europe/Paris")
    services.record_checkin(owner, moment=datetime(2026, 3, 1, 9, tzinfo=paris), values={"mood": 4})
    services.record_checkin(owner, moment=datetime(2026, 3, 1, 21, tzinfo=paris), values={"mood": 7})
    services.record_checkin(owner, moment=datetime(2026, 3, 3, 9, tzinfo=paris), values={"anxiety": 2})
    values = insights.daily_values(owner, insights.BASE_MEASURES[:2], date(2026, 3, 1), date(2026, 3, 31))
    assert values["mood"] == [(date(2026, 3, 1), 5.5)]
    assert values["anxiety"] == [(date(2026, 3, 3), 2)]


@pytest.mark.django_db
def test_insight_pages_serve_their_owner_only(owner, owner_client, stranger, client):
    services.record_checkin(
        owner, moment=timezone.now(), values={"mood": 6, "sleep_bed": "23:00", "sleep_wake": "07:00"}
    )
    for url in ("/journal/tendances/", "/journal/historique/", "/journal/comparer/", "/journal/semaine/"):
        assert owner_client.get(url).status_code == 200
        assert "/compte/login/" in client.get(url)["Location"]
    # A stranger sees their own (empty) pages: never the owner's figures.
    body = client_for(stranger).get("/journal/semaine/").content.decode()
    assert "6/10" not in body and "Nothing noted this week" in body


@pytest.mark.django_db
def test_trends_over_a_year_of_daily_check_ins_stay_under_60_kb(
    owner, owner_client, django_assert_max_num_queries
):
    from entraide.journal.models import Checkin

    today = timezone.localdate()
    rows = []
    for i in range(400):
        day = today - timedelta(days=i)
        moment = datetime(day.year, day.month, day.day, 20, tzinfo=ZoneInfo(owner.time_zone))
        rows.append(
            Checkin(
                owner=owner,
                moment=moment,
                local_date=day,
                time_zone=owner.time_zone,
                payload={"mood": i % 11, "sleep_minutes": 420 + i % 90},
            )
        )
    Checkin.objects.bulk_create(rows)
    day_means.rebuild_all(owner)  # as the demo does after its bulk insert
    for url in (
        "/journal/tendances/?periode=365",
        "/journal/tendances/?periode=365&mesure=sleep",
        "/journal/historique/",
        "/journal/comparer/?periode=0",
    ):
        with django_assert_max_num_queries(13):  # the session, user, settings, roles, consents: 6 of them
            response = owner_client.get(url)
        assert response.status_code == 200
        assert len(response.content) < 60_000, (url, len(response.content))
        assert "style=" not in response.content.decode()


@pytest.mark.django_db
def test_overview_shows_the_registered_sections(owner):
    services.record_checkin(owner, moment=timezone.now(), values={"mood": 7})
    body = client_for(owner).get("/journal/apercu/").content.decode()
    assert "My mood, the last 30 days" in body
    assert "mood 7 out of 10 on average, over 1 day with data" in body


@pytest.mark.django_db
def test_overview_counts_this_weeks_check_ins_and_days(owner):
    zone = ZoneInfo(owner.time_zone)
    today = timezone.localdate(timezone=zone)
    monday = today - timedelta(days=today.weekday())

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(hour=hour)

    services.record_checkin(owner, moment=at(monday - timedelta(days=1), 20), values={"mood": 2})  # last week
    services.record_checkin(owner, moment=at(monday, 8), values={"mood": 5})
    services.record_checkin(owner, moment=at(today, 1), values={"mood": 6})
    services.record_checkin(
        owner, moment=at(today, 2), values={"emotions": ["calm"]}
    )  # no measure: still a check-in
    days = 1 if today == monday else 2
    page = client_for(owner).get("/journal/apercu/").content.decode()
    assert f"This week: 3 check-ins, on {days} day(s)." in page


@pytest.mark.django_db
def test_measure_pickers_list_every_measure_escaped_with_the_chosen_one_selected(owner):
    indicator = services.create_indicator(owner, name="Douleur <3", kind="scale")
    client = client_for(owner)
    trends = client.get(f"/journal/tendances/?mesure=ind-{indicator.pk}").content.decode()
    picker = trends[trends.index('<select id="mesure"') : trends.index("</select>")]
    assert f'<option value="ind-{indicator.pk}" selected>Douleur &lt;3</option>' in picker
    assert picker.count(" selected") == 1 and '<option value="mood">' in picker
    compare = client.get("/journal/comparer/?x=sleep&y=mood").content.decode()
    x_picker = compare[compare.index('<select id="x"') :]
    y_picker = compare[compare.index('<select id="y"') :]
    assert '<option value="sleep" selected>' in x_picker[: x_picker.index("</select>")]
    assert '<option value="mood" selected>' in y_picker[: y_picker.index("</select>")]
    assert f'<option value="ind-{indicator.pk}">Douleur &lt;3</option>' in y_picker


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["0001-01-01", "9999-12-31", "1899-12", "0001-01", "2026-02-30", "\x00"])
def test_week_and_history_pages_read_an_out_of_range_date_as_today(owner_client, asked):
    """Issue 18 item 2: ?semaine=0001-01-01 was an OverflowError (a 500)."""
    assert owner_client.get("/journal/semaine/", {"semaine": asked}).status_code == 200
    assert owner_client.get("/journal/historique/", {"mois": asked}).status_code == 200
