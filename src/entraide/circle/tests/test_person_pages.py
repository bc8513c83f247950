"""The pages of what a person shares, one per scope: through the gate, projections only (private
records left out, fields filtered), from the visible start, paginated, never cached, neutral
titles, in the person's time zone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for, link_people
from entraide.assessments.services import record_response
from entraide.circle import services
from entraide.goals.services import create_goal, create_strategy
from entraide.journal.services import create_entry, mark_entry_private
from entraide.thoughts.services import create_thought
from entraide.treatments.services import create_treatment

pytestmark = pytest.mark.django_db

PAGES = (
    "suivi",
    "indicateurs",
    "notes",
    "pensees",
    "objectifs",
    "questionnaires",
    "plan-de-securite",
    "traitements",
)
SCOPES = ("checkins", "indicators", "notes", "thoughts", "goals", "assessments", "safety_plan", "treatments")


def test_every_page_is_uncached_with_a_neutral_title_and_links_to_the_others(owner, peer_helper):
    link_people(owner, peer_helper, scopes=SCOPES)
    client = client_for(peer_helper)
    listing = client.get("/cercle/avec-moi/").content.decode()
    for slug in PAGES:
        url = f"/cercle/avec-moi/{owner.pk}/{slug}/"
        assert url in listing
        response = client.get(url)
        assert response.status_code == 200, slug
        assert "no-store" in response["Cache-Control"]
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
        assert owner.pseudonym not in title
        for other in PAGES:
            if other != slug:
                assert f"/cercle/avec-moi/{owner.pk}/{other}/" in response.content.decode()


def test_the_notes_page_shows_shared_entries_from_the_visible_start_page_by_page(
    owner, peer_helper, django_assert_max_num_queries
):
    today = timezone.localdate()
    link_people(owner, peer_helper, scopes=("notes",), visible_from=today - timedelta(days=30))
    create_entry(owner, day=today - timedelta(days=31), body="Trop ancienne")
    mark_entry_private(create_entry(owner, day=today, body="Gardée pour moi"), private=True)
    for n in range(23):
        create_entry(
            owner, day=today - timedelta(days=n % 20), title=f"Entrée {n:02d}", body="texte", tags=["t"]
        )
    client = client_for(peer_helper)
    with django_assert_max_num_queries(24):  # the same for 3 entries or 300: one page decrypted
        first = client.get(f"/cercle/avec-moi/{owner.pk}/notes/").content.decode()
    assert first.count('class="card"><article>') == 20 and "Page 1 of 2" in first
    second = client.get(f"/cercle/avec-moi/{owner.pk}/notes/?page=2").content.decode()
    assert second.count('class="card"><article>') == 3
    both = first + second
    assert "Trop ancienne" not in both and "Gardée pour moi" not in both


def test_answers_need_their_option_and_treatments_hide_the_prescriber(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("assessments", "treatments", "goals"))
    record_response(owner, questionnaire="gad7", answers=[1] * 7, language="en")
    create_treatment(owner, name="Sertraline", dose="50 mg", prescriber="Dr Prescripteur")
    create_goal(owner, title="Marcher")
    create_strategy(owner, name="Respirer")
    client = client_for(peer_helper)
    page = client.get(f"/cercle/avec-moi/{owner.pk}/questionnaires/").content.decode()
    assert "GAD-7" in page and "Several days" not in page
    choice = services.GrantChoice("assessments", None, None, options={"answers": True})
    services.grant_scope(link, choice=choice, by=owner)
    assert "Several days" in client.get(f"/cercle/avec-moi/{owner.pk}/questionnaires/").content.decode()
    treatments = client.get(f"/cercle/avec-moi/{owner.pk}/traitements/").content.decode()
    assert "Sertraline" in treatments and "Prescripteur" not in treatments
    goals = client.get(f"/cercle/avec-moi/{owner.pk}/objectifs/").content.decode()
    assert "Marcher" in goals and "Respirer" in goals


def test_thoughts_show_in_the_persons_zone_and_not_without_the_scope(owner, peer_helper, professional):
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    link_people(owner, peer_helper, scopes=("thoughts",))
    link_people(owner, professional, scopes=("notes",))
    create_thought(owner, day=timezone.localdate(), situation="Une réunion difficile")
    page = client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/pensees/").content.decode()
    assert "Une réunion difficile" in page and "Pacific/Auckland" in page
    assert client_for(professional).get(f"/cercle/avec-moi/{owner.pk}/pensees/").status_code == 404


def _plant_rows(owner, n, offset):
    today = timezone.localdate()
    for i in range(n):
        create_entry(owner, day=today, title=f"Entrée {offset + i}", body="texte")
        create_thought(owner, day=today, situation=f"Situation {offset + i}")
        create_goal(owner, title=f"Objectif {offset + i}")
        create_strategy(owner, name=f"Stratégie {offset + i}")
        record_response(owner, questionnaire="gad7", answers=[1] * 7, language="en")
        create_treatment(owner, name=f"Traitement {offset + i}", dose="1 mg")


@pytest.mark.parametrize("slug", ["notes", "pensees", "objectifs", "questionnaires", "traitements"])
def test_a_page_reads_as_many_rows_in_as_many_queries(owner, peer_helper, slug):
    """The queries of a page do not grow with the rows it lists (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    link_people(owner, peer_helper, scopes=("notes", "thoughts", "goals", "assessments", "treatments"))
    client = client_for(peer_helper)
    url = f"/cercle/avec-moi/{owner.pk}/{slug}/"
    counts = []
    for offset in (0, 2):
        _plant_rows(owner, 2 if offset == 0 else 6, offset)
        client.get(url)  # the access of this hour counted: the next request reads it only
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_choice_indicators_count_the_options_chosen_in_shared_check_ins(owner, peer_helper):
    from entraide.journal.services import create_indicator, record_checkin

    link_people(owner, peer_helper, scopes=("indicators",))
    sky = create_indicator(owner, name="Ciel", kind="choice", choices=["Soleil", "Pluie", "Neige"])
    now = timezone.now()
    for n, option in enumerate(["Soleil", "Soleil", "Pluie"]):
        record_checkin(
            owner, moment=now - timedelta(hours=n + 1), values={"indicators": {str(sky.pk): option}}
        )
    record_checkin(owner, moment=now, values={"indicators": {str(sky.pk): "Neige"}}, private=True)
    page = client_for(peer_helper).get(f"/cercle/avec-moi/{owner.pk}/indicateurs/?periode=7").content.decode()
    assert "Soleil: 2 times" in page and "Pluie: once" in page and "Neige" not in page
