"""The recovery self-assessment pages: rating a month (again: it replaces, with a calm note), the
history with a chart per dimension and the words by month, deleting a month."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from conftest import client_for
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.models import RecoveryAssessment
from entraide.goals.tests.factories import make_assessment, scores, token_of

pytestmark = pytest.mark.django_db

HISTORY = "/objectifs/retablissement/"
RATE = "/objectifs/retablissement/evaluer/"
NOW = "2026-03-20 12:00Z"


def delete_url(assessment: RecoveryAssessment) -> str:
    return f"/objectifs/retablissement/{assessment.pk}/supprimer/"


def filled(token: str, month: str = "2026-03", **values: str) -> dict[str, str]:
    return {"form_token": token, "month": month, **values}


def test_recovery_pages_open_for_their_owner_with_one_h1(owner):
    assessment = make_assessment(owner)
    client = client_for(owner)
    for url in [HISTORY, RATE, f"{RATE}?mois=2026-03", delete_url(assessment)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_recovery_pages_are_a_404_for_someone_else_and_ask_to_log_in(owner, stranger):
    assessment = make_assessment(owner, hope=2)
    client = client_for(stranger)
    assert client.get(delete_url(assessment)).status_code == 404
    assert client.post(delete_url(assessment)).status_code == 404
    assert RecoveryAssessment.objects.filter(pk=assessment.pk).exists()
    page = client.get(f"{RATE}?mois=2026-03").content.decode()
    assert "You already answered" not in page
    anonymous = client_for()
    for url in (HISTORY, RATE, delete_url(assessment)):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('account_login')}?next=")


def test_rate_form_explains_each_dimension_in_plain_words(owner):
    page = client_for(owner).get(RATE).content.decode()
    for dimension in v.DIMENSIONS:
        assert str(dimension.explanation) in page
        assert f"{dimension.name}, in your own words" in page
    assert page.count('type="radio"') == 5 * 11


@time_machine.travel(NOW, tick=False)
def test_rate_this_month_once_per_token(owner):
    client = client_for(owner)
    token = token_of(client.get(RATE))
    data = filled(token, hope="6", hope_words="Je vois une suite", empowerment="4")
    first, second = client.post(RATE, data), client.post(RATE, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == HISTORY
    row = RecoveryAssessment.objects.get(owner=owner)
    assert row.month == date(2026, 3, 1)
    assert (row.score("hope"), row.words("hope"), row.score("empowerment"), row.score("meaning")) == (
        6,
        "Je vois une suite",
        4,
        None,
    )


@time_machine.travel(NOW, tick=False)
def test_rating_the_same_month_again_shows_a_calm_note_and_replaces(owner):
    make_assessment(owner, date(2026, 3, 1), hope=3)
    client = client_for(owner)
    page = client.get(RATE)
    body = page.content.decode()
    assert "You already answered for March 2026" in body
    assert re.search(r'name="hope" value="3"[^>]*checked', body)
    response = client.post(RATE, filled(token_of(page), meaning="8"), follow=True)
    assert "they replace the earlier ones" in response.content.decode()
    row = RecoveryAssessment.objects.get(owner=owner)
    assert row.score("meaning") == 8 and row.score("hope") is None


@time_machine.travel(NOW, tick=False)
def test_rating_a_past_month_and_never_a_future_one(owner):
    client = client_for(owner)
    page = client.get(RATE, {"mois": "2025-11"})
    assert "November 2025" in page.content.decode()
    client.post(RATE, filled(token_of(page), month="2025-11", identity="5"))
    assert RecoveryAssessment.objects.get().month == date(2025, 11, 1)
    future = client.get(RATE, {"mois": "2026-05"}).content.decode()
    assert 'name="month" value="2026-03"' in future  # back to this month


@time_machine.travel(NOW, tick=False)
def test_rating_nothing_keeps_the_words_and_says_what_to_do(owner):
    client = client_for(owner)
    response = client.post(RATE, filled(token_of(client.get(RATE)), hope_words="x" * 1001))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Keep these words under 1,000 characters." in page
    assert "x" * 1001 in page
    assert not RecoveryAssessment.objects.exists()
    response = client.post(RATE, filled(token_of(client.get(RATE))))
    assert "Answer for at least one side, or write a few words." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_history_shows_a_chart_per_dimension_and_the_words_by_month(owner):
    for month, hope in ((date(2025, 12, 1), 3), (date(2026, 1, 1), 5), (date(2026, 3, 1), 7)):
        services.rate_recovery(
            owner,
            month=month,
            values={**scores(hope=hope), "meaning": {"score": None, "words": f"Mots de {month:%m}"}},
        )
    client = client_for(owner)
    page = client.get(HISTORY).content.decode()
    assert 'id="chart-connectedness-caption"' in page  # the first side, until another is chosen
    assert "no rating for connectedness" in page
    assert "Your latest answers: March 2026" in page
    page = client.get(HISTORY, {"dimension": "hope"}).content.decode()
    assert 'id="chart-hope-caption"' in page and 'id="chart-connectedness-caption"' not in page
    assert re.search(r'href="\?dimension=hope#over-time" aria-current="page"', page)
    assert "hope 5 out of 10 on average, over 3 rated months." in page
    assert "First rating 3 (December 2025), latest 7 (March 2026)." in page
    assert "Each dot is the rating of one month." in page
    assert "7-day" not in page and "Thin line" not in page
    assert page.index("Mots de 03") < page.index("Mots de 01") < page.index("Mots de 12")
    assert "Change this month&#x27;s answers" in page or "Change this month's answers" in page
    assert "style=" not in page


@time_machine.travel(NOW, tick=False)
def test_history_of_three_years_stays_small_with_fixed_queries(owner, django_assert_num_queries):
    """Each month rated, with words on every side: the page stays under 60 KB."""
    month = date(2023, 4, 1)
    while month <= date(2026, 3, 1):
        values = {
            d.key: {"score": (month.month + n) % 11, "words": f"{d.name} en {month:%B}: " + "des mots " * 20}
            for n, d in enumerate(v.DIMENSIONS)
        }
        services.rate_recovery(owner, month=month, values=values)
        month = services.add_months(month, 1)
    client = client_for(owner)
    client.get(HISTORY)
    with django_assert_num_queries(5):  # session, person, settings, every month, the key
        response = client.get(HISTORY)
    size = len(response.content)
    assert size < 60_000, size
    assert response.content.decode().count('class="card"') == 4  # months of words, by pages of 4
    second = client.get(HISTORY, {"dimension": "meaning", "page": "2"}).content.decode()
    assert 'id="chart-meaning-caption"' in second
    assert "?dimension=meaning&amp;page=3" in second


def test_delete_a_month_asks_first(owner):
    assessment = make_assessment(owner)
    client = client_for(owner)
    assert "March 2026" in client.get(delete_url(assessment)).content.decode()
    assert RecoveryAssessment.objects.exists()
    assert client.post(delete_url(assessment))["Location"] == HISTORY
    assert not RecoveryAssessment.objects.exists()
    assert client.get(f"/objectifs/retablissement/{uuid.uuid4()}/supprimer/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_history_at_its_largest_stays_under_60_kb(owner):
    """Ten years, every side rated, every words field full (1,000 characters of French)."""
    month = date(2016, 4, 1)
    rows = []
    while month <= date(2026, 3, 1):
        payload = {
            d.key: {"score": month.month % 11, "words": ("Été à la mer. " * 80)[: v.MAX_RECOVERY_WORDS]}
            for d in v.DIMENSIONS
        }
        rows.append(RecoveryAssessment(owner=owner, month=month, payload=payload))
        month = services.add_months(month, 1)
    RecoveryAssessment.objects.bulk_create(rows)
    response = client_for(owner).get(HISTORY)
    assert len(response.content) < 60_000, len(response.content)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("month", ["0001-01", "1899-12", "9999-12", "2026-3"])
def test_an_unreadable_or_out_of_range_month_is_this_month(owner, month):
    page = client_for(owner).get(RATE, {"mois": month}).content.decode()
    assert 'name="month" value="2026-03"' in page
