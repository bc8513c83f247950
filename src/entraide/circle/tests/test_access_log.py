""" "Qui a vu quoi": the person's access log, the weekly summary and the optional notice."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import client_for, link_people, make_user
from entraide.circle import access, gate, services
from entraide.circle.models import AccessEvent, Channel
from entraide.circle.tasks import send_access_summaries
from entraide.core import jobs
from entraide.notifications.models import Notification
from entraide.notifications.services import set_channel

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _reads(owner, viewer, scope, hours, channel=Channel.WEB):
    for n in range(hours):
        access.record_access(viewer, owner, scope=scope, channel=channel, at=NOON - timedelta(hours=n))


def test_the_log_lists_every_access_filtered_and_paginated(owner, peer_helper, django_assert_max_num_queries):
    other = make_user("Autre")
    other.pseudonym = "Autre & Co"
    other.save()
    _reads(owner, peer_helper, "checkins", 55)
    _reads(owner, other, "notes", 3)
    _reads(peer_helper, other, "notes", 2)  # someone else's log
    client = client_for(owner)
    with django_assert_max_num_queries(12):
        page = client.get("/cercle/qui-a-vu/").content.decode()
    assert "no-store" in client.get("/cercle/qui-a-vu/")["Cache-Control"]
    assert page.count("<tr><td>") == 50 and "Page 1 of 2" in page
    assert "Autre &amp; Co" in page and "personne=" not in page
    filtered = client.get("/cercle/qui-a-vu/", {"personne": "Autre & Co", "page": 1}).content.decode()
    assert filtered.count("<tr><td>") == 3 and peer_helper.pseudonym not in filtered.split("<tbody>")[1]
    by_scope = client.get("/cercle/qui-a-vu/?portee=checkins&page=2").content.decode()
    assert by_scope.count("<tr><td>") == 5 and "portee=checkins&amp;page=1" in by_scope
    # Unknown filters are ignored, never an error.
    assert client.get("/cercle/qui-a-vu/?personne=%00&portee=x&page=zz").status_code == 200


def test_nobody_else_reads_a_persons_log_not_even_an_administrator(owner, peer_helper, admin_user):
    _reads(owner, peer_helper, "checkins", 1)
    assert f'value="{peer_helper.pseudonym}"' in client_for(owner).get("/cercle/qui-a-vu/").content.decode()
    for person in (peer_helper, admin_user):
        page = client_for(person).get("/cercle/qui-a-vu/").content.decode()
        assert "Nobody has seen anything here." in page and f'value="{peer_helper.pseudonym}"' not in page
    assert client_for(admin_user).get("/admin/circle/accessevent/").status_code in {302, 404}


def test_the_weekly_summary_tells_who_saw_what_once(owner, peer_helper):
    _reads(owner, peer_helper, "checkins", 3)
    _reads(owner, peer_helper, "notes", 1)
    assert services.send_access_summaries(NOON + timedelta(hours=1)) == 1
    assert services.send_access_summaries(NOON + timedelta(hours=2)) == 1
    note = Notification.objects.get(kind="circle.access_summary")
    assert note.owner_id == owner.pk and note.channel == "in_app"
    assert peer_helper.pseudonym in note.content["body"] and "(3)" in note.content["body"]
    assert not Notification.objects.filter(owner=peer_helper).exists()
    # Turned off, nothing is sent.
    set_channel(owner, "circle.access_summary", "off")
    assert services.send_access_summaries(NOON + timedelta(days=7)) == 1
    assert Notification.objects.filter(kind="circle.access_summary").count() == 1
    assert jobs.periodic_jobs.get("circle.access_summaries").job is send_access_summaries


def test_the_notice_on_every_access_is_off_until_the_person_turns_it_on(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",))
    gate.require(peer_helper, owner.pk, "checkins", Channel.WEB)
    assert not Notification.objects.exists()
    set_channel(owner, "circle.access_notice", "in_app")
    AccessEvent.objects.all().delete()
    gate.require(peer_helper, owner.pk, "checkins", Channel.WEB)
    gate.require(peer_helper, owner.pk, "checkins", Channel.WEB)  # the same hour: counted, not told
    note = Notification.objects.get()
    assert note.owner_id == owner.pk and note.kind == "circle.access_notice"
    assert peer_helper.pseudonym in note.content["body"]
