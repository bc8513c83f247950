"""What others share with me, through the API (``/api/v1/circle/people/…``): only with a token
that names the area, every read through the consent gate (recorded, channel ``api``), projections
only, the person's dates, and a 404 for anything refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from conftest import link_people, make_user
from entraide.api import services as api_services
from entraide.api.models import PersonalToken
from entraide.api.tests.conftest import api_client
from entraide.assessments.services import record_response
from entraide.circle import services as circle
from entraide.circle.models import AccessEvent
from entraide.journal import services as journal
from entraide.safety.services import record_crisis_moment, save_safety_plan

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/circle/people"
ALL_SCOPES = (
    "checkins",
    "indicators",
    "notes",
    "thoughts",
    "goals",
    "assessments",
    "safety_plan",
    "treatments",
)
READS = {  # operation path under /circle/people/{id}, and the scope it needs
    "checkins/trend": "checkins",
    "checkins/days": "checkins",
    "indicators": "indicators",
    "entries": "notes",
    "checkin-notes": "notes",
    "thought-records": "thoughts",
    "goals": "goals",
    "questionnaire-responses": "assessments",
    "safety-plan": "safety_plan",
    "treatments": "treatments",
}


def shared_token(person, **areas):
    return api_services.create_token(
        person, name="Lecteur", days=30, areas={"circle_shared": "read", **areas}
    )[1]


def reader(person):
    return api_client(shared_token(person), **{"Accept-Language": "en"})


def test_the_area_opens_only_when_named_and_only_to_read(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    every = api_services.create_token(peer_helper, name="Tout", days=30, scope="read_write")[1]
    refused = api_client(every).get(PEOPLE)
    assert refused.status_code == 403
    assert "circle_shared" in refused.json()["detail"]
    token, old = api_services.create_token(peer_helper, name="Ancien", days=30, scope="read")
    PersonalToken.objects.filter(pk=token.pk).update(areas=["*:read_write"])  # made before areas
    assert api_client(old).get(PEOPLE).status_code == 403
    with pytest.raises(ValueError, match="read only"):
        api_services.create_token(peer_helper, name="X", days=30, areas={"circle_shared": "read_write"})
    assert reader(peer_helper).get(PEOPLE).status_code == 200


def test_the_list_says_who_shares_what_until_when_and_records_nothing(owner, peer_helper, relative):
    until = timezone.now() + timedelta(days=90)
    link_people(owner, peer_helper, kind="peer_helper", scopes=("checkins", "safety_plan"), until=until)
    other = make_user("Zoe")
    paused = link_people(other, peer_helper, scopes=("notes",))
    circle.pause_sharing(other, link=paused)
    body = reader(peer_helper).get(PEOPLE).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["pseudonym"], first["kind"], first["paused"]) == ("Camille", "peer_helper", False)
    assert [s["scope"] for s in first["scopes"]] == ["checkins", "safety_plan"]
    assert first["scopes"][0]["until"] is not None and first["id"] == str(owner.pk)
    assert (second["pseudonym"], second["paused"], second["scopes"]) == ("Zoe", True, [])
    assert not AccessEvent.objects.exists()
    assert reader(relative).get(PEOPLE).json() == {"count": 0, "items": []}


def test_the_list_costs_the_same_few_queries_for_many_people(peer_helper, django_assert_max_num_queries):
    for n in range(6):
        link_people(make_user(f"Personne{n}"), peer_helper, scopes=("checkins", "notes"))
    client = reader(peer_helper)
    client.get(PEOPLE)  # the first request warms the instance settings
    with django_assert_max_num_queries(8):  # measured: 8 for one person as for six
        assert client.get(PEOPLE).json()["count"] == 6


def test_a_trend_shows_shared_check_ins_only_and_records_the_access(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    now = timezone.now()
    journal.record_checkin(
        owner, moment=now - timedelta(hours=1), values={"mood": 4, "activity_minutes": 1213}
    )
    journal.record_checkin(
        owner, moment=now - timedelta(days=2), values={"mood": 9, "activity_minutes": 1387}, private=True
    )
    client = reader(peer_helper)
    trend = client.get(f"{PEOPLE}/{owner.pk}/checkins/trend?measure=activity&days=7")
    assert trend.status_code == 200, trend.content
    assert [p["value"] for p in trend.json()["points"]] == [1213]
    assert "1387" not in trend.content.decode()
    assert {m["key"] for m in trend.json()["measures"]} >= {"mood", "sleep", "activity"}
    days = client.get(f"{PEOPLE}/{owner.pk}/checkins/days").json()
    assert [d["means"]["activity_minutes"] for d in days["items"]] == [1213]
    assert trend["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get()
    assert (event.viewer_id, event.owner_id, event.scope, event.channel) == (
        peer_helper.pk,
        owner.pk,
        "checkins",
        "api",
    )


def test_a_substance_or_an_indicator_never_comes_with_the_check_ins(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    steps = journal.create_indicator(owner, name="Pas", kind="number")
    journal.record_checkin(
        owner,
        moment=timezone.now() - timedelta(hours=1),
        values={"mood": 5, "alcohol_drinks": 37, "indicators": {str(steps.pk): 4242}},
    )
    client = reader(peer_helper)
    days = client.get(f"{PEOPLE}/{owner.pk}/checkins/days").json()["items"]
    assert days[0]["means"] == {"mood": 5.0}
    assert client.get(f"{PEOPLE}/{owner.pk}/checkins/trend?measure=ind-{steps.pk}").status_code == 404
    assert client.get(f"{PEOPLE}/{owner.pk}/indicators").status_code == 404


@pytest.mark.parametrize("path", list(READS))
def test_every_read_is_a_404_without_its_scope_and_answers_with_it(owner, peer_helper, stranger, path):
    from conftest import enrol_totp

    scope = READS[path]
    others = [s for s in ALL_SCOPES if s != scope]
    link = link_people(owner, peer_helper, scopes=others)
    enrol_totp(stranger)
    url = f"{PEOPLE}/{owner.pk}/{path}"
    for client in (reader(peer_helper), reader(stranger)):
        refused = client.get(url)
        assert refused.status_code == 404, (path, refused.content)
        assert refused.json() == {"detail": "Not found."}
    assert reader(peer_helper).get(f"{PEOPLE}/00000000-0000-4000-8000-000000000001/{path}").status_code == 404
    circle.grant_scope(link, choice=circle.GrantChoice(scope, None, None), by=owner)
    assert reader(peer_helper).get(url).status_code == 200
    assert AccessEvent.objects.filter(scope=scope, channel="api").count() == 1


@pytest.mark.parametrize("stop", ["revoke", "pause", "end", "expire", "deactivate"])
def test_a_read_is_refused_from_the_next_request_on(owner, peer_helper, stop):
    link = link_people(owner, peer_helper, scopes=("goals",), until=timezone.now() + timedelta(days=1))
    client = reader(peer_helper)
    url = f"{PEOPLE}/{owner.pk}/goals"
    assert client.get(url).status_code == 200
    if stop == "revoke":
        circle.revoke_scope(link, scope="goals", by=owner)
    elif stop == "pause":
        circle.pause_sharing(owner)
    elif stop == "end":
        circle.end_link(link, by=owner)
    elif stop == "deactivate":
        owner.is_active = False
        owner.save(update_fields=["is_active"])
    with time_machine.travel(timezone.now() + timedelta(days=2 if stop == "expire" else 0)):
        assert client.get(url).status_code == 404


def test_a_grantee_without_a_second_factor_gets_401(owner):
    unprotected = make_user("Sansdeux")
    link_people(owner, unprotected, scopes=("goals",))
    refused = api_client(shared_token(unprotected)).get(f"{PEOPLE}/{owner.pk}/goals")
    assert refused.status_code == 401
    assert not AccessEvent.objects.exists()


def test_operations_run_in_the_persons_time_zone(owner, peer_helper):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: a day ahead of the supporter most of the time
    owner.save(update_fields=["time_zone"])
    peer_helper.time_zone = "Pacific/Pago_Pago"  # UTC-11
    peer_helper.save(update_fields=["time_zone"])
    link_people(owner, peer_helper, scopes=("checkins",))
    noon = datetime(2026, 11, 10, 12, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(noon, tick=False):
        trend = reader(peer_helper).get(f"{PEOPLE}/{owner.pk}/checkins/trend?days=7").json()
    assert trend["end"] == "2026-11-11"  # the person's today, not the supporter's (9 November)


def test_item_answers_and_difficult_moments_need_their_options(owner, peer_helper):
    link = link_people(owner, peer_helper, scopes=("assessments", "safety_plan"))
    response = record_response(owner, questionnaire="gad7", answers=[3] * 7, language="en")
    save_safety_plan(owner, steps={"warning_signs": ["Je m'isole"]})
    record_crisis_moment(owner, source="button")
    client = reader(peer_helper)
    scores = client.get(f"{PEOPLE}/{owner.pk}/questionnaire-responses").json()
    assert scores["with_answers"] is False and scores["items"][0]["answers"] is None
    assert scores["items"][0]["label"]
    plan = client.get(f"{PEOPLE}/{owner.pk}/safety-plan").json()
    assert plan["plan"]["warning_signs"] == ["Je m'isole"] and plan["crisis_moments"] is None
    for scope, option in (("assessments", "answers"), ("safety_plan", "crisis_moments")):
        circle.grant_scope(
            link, choice=circle.GrantChoice(scope, None, None, options={option: True}), by=owner
        )
    detailed = client.get(f"{PEOPLE}/{owner.pk}/questionnaire-responses").json()["items"][0]["answers"]
    assert len(detailed) == 7 and detailed[0]["answer"] == "Nearly every day"
    assert len(client.get(f"{PEOPLE}/{owner.pk}/safety-plan").json()["crisis_moments"]) == 1
    circle_private = response
    from entraide.assessments.services import mark_response_private

    mark_response_private(circle_private, private=True)
    assert client.get(f"{PEOPLE}/{owner.pk}/questionnaire-responses").json()["count"] == 0


def test_private_records_never_appear(owner, peer_helper):
    from entraide.journal.services import create_entry, mark_entry_private
    from entraide.thoughts.services import create_thought, mark_thought_private

    link_people(owner, peer_helper, scopes=("notes", "thoughts"))
    today = timezone.localdate()
    create_entry(owner, day=today, body="Partagée")
    mark_entry_private(create_entry(owner, day=today, body="Gardée"), private=True)
    create_thought(owner, day=today, situation="Au travail")
    mark_thought_private(create_thought(owner, day=today, situation="Chez moi"), private=True)
    journal.record_checkin(owner, moment=timezone.now(), values={"mood": 3, "note": "Secret"}, private=True)
    client = reader(peer_helper)
    entries = client.get(f"{PEOPLE}/{owner.pk}/entries").json()
    assert [e["body"] for e in entries["items"]] == ["Partagée"]
    thoughts = client.get(f"{PEOPLE}/{owner.pk}/thought-records").json()
    assert [t["situation"] for t in thoughts["items"]] == ["Au travail"]
    assert client.get(f"{PEOPLE}/{owner.pk}/checkin-notes").json() == {"count": 0, "items": []}


def test_the_token_form_offers_what_others_share_unticked_and_read_only():
    from entraide.api.forms import TokenForm

    field = TokenForm().fields["area_circle_shared"]
    assert [value for value, _label in field.choices] == ["none", "read"]
    assert field.initial == "none"
    assert [value for value, _label in TokenForm().fields["area_circle"].choices] == [
        "none",
        "read",
        "read_write",
    ]
