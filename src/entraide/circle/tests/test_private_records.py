""" "Reste privé" on check-ins, journal entries, thought records and questionnaire answers: the
owner's toggles, and the projections that leave private records (and what they caused) out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for, link_people
from entraide.assessments.services import mark_response_private, record_response
from entraide.circle import gate, projections, services
from entraide.circle.models import Channel
from entraide.journal.models import Checkin
from entraide.journal.services import create_entry, mark_entry_private, record_checkin
from entraide.safety.models import CrisisMoment
from entraide.safety.services import record_crisis_moment
from entraide.thoughts.services import create_thought, mark_thought_private

pytestmark = pytest.mark.django_db


def _pass(owner, supporter, scope):
    return gate.require(supporter, owner.pk, scope, Channel.WEB)


def test_private_entries_and_thoughts_never_reach_the_projections(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("notes", "thoughts"))
    today = timezone.localdate()
    shared = create_entry(owner, day=today, title="Partagée", body="texte")
    hidden = mark_entry_private(create_entry(owner, day=today, title="Cachée", body="texte"), private=True)
    thought = create_thought(owner, day=today, situation="Au travail", thought="Je rate tout")
    secret = mark_thought_private(
        create_thought(owner, day=today, situation="Seul", thought="x"), private=True
    )
    entries = list(projections.journal_entries(_pass(owner, peer_helper, "notes")))
    assert shared in entries and hidden not in entries
    records = list(projections.thought_records(_pass(owner, peer_helper, "thoughts")))
    assert thought in records and secret not in records
    mark_entry_private(hidden, private=False)
    assert hidden in projections.journal_entries(_pass(owner, peer_helper, "notes"))
    with pytest.raises(ValueError):
        projections.thought_records(_pass(owner, peer_helper, "notes"))


def test_a_crisis_moment_caused_by_a_private_answer_is_private_too(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("assessments",))
    choice = services.GrantChoice(
        "safety_plan", until=None, visible_from=None, options={"crisis_moments": True}
    )
    services.grant_scope(link, choice=choice, by=owner)
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 2]  # PHQ-9 item 9 above 0: a crisis moment
    response = record_response(owner, questionnaire="phq9", answers=answers, difficulty=1)
    caused = CrisisMoment.objects.get(owner=owner)
    assert caused.cause == str(response.pk)
    button = record_crisis_moment(owner, source="button", now=timezone.now() + timedelta(seconds=1))
    passed = _pass(owner, peer_helper, "safety_plan")
    assert projections.crisis_moments(passed) == [button.created_at, caused.created_at]
    assert response in projections.questionnaire_responses(_pass(owner, peer_helper, "assessments"))
    mark_response_private(response, private=True)
    assert projections.crisis_moments(passed) == [button.created_at]
    assert response not in projections.questionnaire_responses(_pass(owner, peer_helper, "assessments"))
    # Deleted, its moment stays with the person and still reaches no one.
    response.delete()
    assert projections.crisis_moments(passed) == [button.created_at]


def test_crisis_moments_need_their_option(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("safety_plan",))
    record_crisis_moment(owner, source="button")
    assert projections.crisis_moments(_pass(owner, peer_helper, "safety_plan")) == []


def test_the_check_in_list_keeps_a_check_in_private_in_one_action(owner, stranger):
    checkin = record_checkin(owner, moment=timezone.now(), values={"mood": 6})
    client = client_for(owner)
    page = client.get("/journal/points/").content.decode()
    assert f"/journal/point/{checkin.pk}/prive/" in page and "Keep it private" in page
    response = client.post(
        f"/journal/point/{checkin.pk}/prive/", {"private": "1", "back": "list", "page": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/journal/points/?page=1"
    assert Checkin.objects.get(pk=checkin.pk).private
    page = client.get("/journal/points/").content.decode()
    assert "Stays private" in page and "Let my circle see it again" in page
    # From its own page, back again.
    edit = client.get(f"/journal/point/{checkin.pk}/").content.decode()
    assert "Stays private" in edit
    response = client.post(f"/journal/point/{checkin.pk}/prive/", {"private": "0"})
    assert response["Location"] == f"/journal/point/{checkin.pk}/"
    assert not Checkin.objects.get(pk=checkin.pk).private
    # Owner only, POST only.
    assert (
        client_for(stranger).post(f"/journal/point/{checkin.pk}/prive/", {"private": "1"}).status_code == 404
    )
    assert client.get(f"/journal/point/{checkin.pk}/prive/").status_code == 405
    assert not Checkin.objects.get(pk=checkin.pk).private


def test_entries_thoughts_and_answers_are_kept_private_from_their_pages(owner, stranger):
    today = timezone.localdate()
    entry = create_entry(owner, day=today, title="Titre", body="texte")
    thought = create_thought(owner, day=today, situation="Au travail", thought="Je rate tout")
    response = record_response(owner, questionnaire="gad7", answers=[0, 1, 2, 3, 0, 1, 2])
    client = client_for(owner)
    for page, action, row in (
        (f"/journal/carnet/{entry.pk}/", f"/journal/carnet/{entry.pk}/prive/", entry),
        (f"/pensees/{thought.pk}/", f"/pensees/{thought.pk}/prive/", thought),
        (
            f"/questionnaires/reponse/{response.pk}/",
            f"/questionnaires/reponse/{response.pk}/prive/",
            response,
        ),
    ):
        assert action in client.get(page).content.decode()
        assert client_for(stranger).post(action, {"private": "1"}).status_code == 404
        row.refresh_from_db()
        assert not row.private
        followed = client.post(action, {"private": "1"}, follow=True)
        assert followed.redirect_chain[-1][0] == page
        assert "It stays private" in followed.content.decode()
        row.refresh_from_db()
        assert row.private


def test_a_check_in_and_an_answer_can_be_private_from_the_start(owner, peer_helper):
    """ "Reste privé" on the forms that create them: never shared, not even for a moment."""
    import re

    from entraide.assessments.models import QuestionnaireResponse

    link = link_people(owner, peer_helper, scopes=("checkins",))
    choice = services.GrantChoice(
        "safety_plan", until=None, visible_from=None, options={"crisis_moments": True}
    )
    services.grant_scope(link, choice=choice, by=owner)
    client = client_for(owner)

    def token(url):
        page = client.get(url).content.decode()
        assert 'name="private"' in page
        return re.search(r'name="form_token" value="([^"]+)"', page).group(1)

    new = "/journal/point/nouveau/"
    moment = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(new, {"form_token": token(new), "moment": moment, "mood": "3", "private": "on"})
    assert response.status_code == 302
    assert Checkin.objects.get(owner=owner).private
    respond = "/questionnaires/phq9/repondre/"
    answers = {f"item_{n}": "1" for n in range(1, 10)}
    response = client.post(
        respond, {"form_token": token(respond), **answers, "difficulty": "1", "private": "on"}
    )
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.get(owner=owner).private
    assert CrisisMoment.objects.filter(owner=owner).exists()
    assert projections.crisis_moments(_pass(owner, peer_helper, "safety_plan")) == []


def test_an_entry_and_a_thought_can_be_private_from_the_start(owner):
    import re

    from entraide.journal.models import JournalEntry
    from entraide.thoughts.models import ThoughtRecord

    client = client_for(owner)
    today = timezone.localdate().isoformat()
    for url, data, model in (
        ("/journal/carnet/nouveau/", {"day": today, "body": "Pour moi seul"}, JournalEntry),
        ("/pensees/nouvelle/", {"day": today, "situation": "Pour moi seul"}, ThoughtRecord),
    ):
        page = client.get(url).content.decode()
        assert 'name="private"' in page
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        response = client.post(url, {"form_token": token, **data, "private": "on"})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert model.objects.get(owner=owner).private
