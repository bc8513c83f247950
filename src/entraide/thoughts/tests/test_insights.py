"""What the records show, against figures worked out by hand on a small made-up set; and the page
that shows them (its words, its chart, its weight)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from conftest import client_for
from entraide.thoughts import services
from entraide.thoughts.insights import compute_insights, insights_of

pytestmark = pytest.mark.django_db

URL = "/pensees/bilan/"

# Five records, by hand:
#                before → after (drop)                         distortions
# 1 March   anger 80 → 40 (40), fear 60 → –, Honte 50 → 50 (0)  labelling, mental_filter
# 1 March   sadness 90 → 60 (30)                                 labelling
# 5 March   anger 60 → 50 (10), honte 70 → 30 (40)               mental_filter, labelling, magnification
# 10 March  (no emotion)                                         –
# 12 March  sadness 40 → 60 (−20), worry – → 30                  personalisation
SET = [
    (
        date(2026, 3, 1),
        {
            "situation": "Réunion",
            "emotions": [
                {"emotion": "anger", "before": 80, "after": 40},
                {"emotion": "fear", "before": 60},
                {"own": "Honte", "before": 50, "after": 50},
            ],
            "distortions": ["labelling", "mental_filter"],
        },
    ),
    (
        date(2026, 3, 1),
        {
            "thought": "Rien ne va",
            "emotions": [{"emotion": "sadness", "before": 90, "after": 60}],
            "distortions": ["labelling"],
        },
    ),
    (
        date(2026, 3, 5),
        {
            "thought": "Encore raté",
            "emotions": [
                {"emotion": "anger", "before": 60, "after": 50},
                {"own": "honte", "before": 70, "after": 30},
            ],
            "distortions": ["mental_filter", "labelling", "magnification"],
        },
    ),
    (date(2026, 3, 10), {"situation": "Au parc"}),
    (
        date(2026, 3, 12),
        {
            "thought": "Je la déçois",
            "emotions": [
                {"emotion": "sadness", "before": 40, "after": 60},
                {"emotion": "worry", "after": 30},
            ],
            "distortions": ["personalisation"],
        },
    ),
]


@pytest.fixture
def hand_made(owner):
    for day, values in SET:
        services.create_thought(owner, day=day, **values)
    return owner


def test_compute_insights_matches_the_figures_worked_out_by_hand():
    with override("en"):
        figures = compute_insights((day, services.clean_thought(day=day, **values)) for day, values in SET)
    assert figures.records == 5
    assert figures.records_with_distortions == 4
    assert [(d.distortion.key, d.count) for d in figures.distortions] == [
        ("labelling", 3),
        ("mental_filter", 2),
        ("magnification", 1),  # ties in the usual order of the ten
        ("personalisation", 1),
    ]
    assert [(e.name, e.pairs, e.mean_before, e.mean_after, e.drop) for e in figures.emotions] == [
        ("anger", 2, 70, 45, 25),
        ("Honte", 2, 60, 40, 20),  # "Honte" and "honte" are one emotion, spelt as first written
        ("sadness", 2, 65, 60, 5),
    ]
    assert figures.pairs == 6  # fear and worry have one intensity only: not compared
    assert figures.mean_before == 65  # (80 + 50 + 90 + 60 + 70 + 40) / 6
    assert figures.mean_after == pytest.approx(290 / 6)  # 48.33…
    assert figures.mean_drop == pytest.approx(50 / 3)  # 16.67…
    assert figures.daily_drops == [
        (date(2026, 3, 1), pytest.approx(70 / 3)),  # (40 + 0 + 30) / 3
        (date(2026, 3, 5), 25),  # (10 + 40) / 2
        (date(2026, 3, 12), -20),
    ]


def test_insights_of_reads_only_the_persons_records(hand_made, stranger):
    services.create_thought(stranger, day=date(2026, 3, 1), thought="x", distortions=["labelling"])
    figures = insights_of(hand_made)
    assert figures.records == 5
    assert figures.distortions[0].count == 3


def test_compute_insights_of_nothing():
    figures = compute_insights([])
    assert (figures.records, figures.pairs, figures.mean_drop, figures.distortions) == (0, 0, None, [])


@time_machine.travel(datetime(2026, 3, 31, 12, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
def test_insights_page_states_the_figures_in_english(hand_made):
    page = client_for(hand_made).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("<h1") == 1
    assert "Based on your 5 thought records." in page
    assert 'Labelling</span> <span class="insight-traps__count">in 3 records out of 5</span>' in page
    assert "Giving yourself or someone else a harsh label" in page
    assert (
        "Over 6 emotions rated both before and after, the mean intensity went from 65 to 48.3 out of 100."
        in page
    )
    assert "That is 16.7 points lower on average." in page
    assert '<tr><th scope="row">anger</th><td>2</td><td>70</td><td>45</td><td>25</td></tr>' in page
    # The trend: one value per day with records, from the first record to today.
    assert (
        "From 1 March 2026 to 31 March 2026: drop in intensity 9.4 points on average, over 3 days with data."
        in page
    )


@time_machine.travel(datetime(2026, 3, 31, 12, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
def test_insights_page_states_the_figures_in_french(hand_made):
    client = client_for(hand_made)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(URL).content.decode()
    assert '<html lang="fr">' in page
    assert "65" in page and "48,3" in page and "16,7" in page
    assert "<td>2</td><td>70</td><td>45</td><td>25</td>" in page


def test_insights_page_without_records_says_what_it_will_show(owner):
    page = client_for(owner).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No thought record yet." in page
    assert "<svg" not in page


def test_insights_page_of_a_year_stays_under_60_kb(owner, django_assert_max_num_queries):
    today = timezone.localdate()
    keys = ["anger", "sadness", "worry", "fear", "shame"]
    for n in range(365):
        services.create_thought(
            owner,
            day=today - timedelta(days=n),
            thought=f"Pensée {n}",
            emotions=[
                {"emotion": keys[(n + i) % 5], "before": 60 + i * 5, "after": 30 + (n % 40)} for i in range(3)
            ]
            + [{"own": f"mot {n % 30}", "before": 50, "after": 40}],
            distortions=[["labelling", "mental_filter", "magnification", "should_statements"][n % 4]],
        )
    client = client_for(owner)
    with django_assert_max_num_queries(12):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert len(response.content) < 60_000, len(response.content)
    page = response.content.decode()
    assert page.count("<svg") == 1
    assert "And 15 other emotions, rated fewer times." in page  # 5 listed + 30 own words, 20 shown
