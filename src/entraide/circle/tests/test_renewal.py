"""A week before a grant ends the person, never the supporter, is asked whether to renew it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for, link_people
from entraide.circle import services
from entraide.circle.models import Grant, GrantChange
from entraide.circle.tasks import ask_renewals
from entraide.core import jobs
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_person_is_asked_once_a_week_before_the_end(owner, peer_helper, relative):
    now = timezone.now()
    soon = link_people(owner, peer_helper, scopes=("checkins", "notes"), until=now + timedelta(days=6))
    link_people(owner, relative, scopes=("alerts",), until=now + timedelta(days=20))  # not yet
    assert services.ask_renewals(now) == 1
    assert services.ask_renewals(now + timedelta(hours=24)) == 1
    note = Notification.objects.get()  # asked once per end date
    assert note.owner_id == owner.pk and note.kind == "circle.renewal"
    assert note.content["link"] == f"/cercle/liens/{soon.pk}/"
    assert peer_helper.pseudonym in note.content["body"]
    assert not Notification.objects.filter(owner__in=[peer_helper, relative]).exists()
    # A week before the other one ends, it is asked in turn.
    assert services.ask_renewals(now + timedelta(days=14)) == 1
    assert Notification.objects.filter(owner=owner).count() == 2


def test_the_daily_job_asks(owner, peer_helper):
    link_people(owner, peer_helper, scopes=("checkins",), until=timezone.now() + timedelta(days=3))
    assert jobs.periodic_jobs.get("circle.ask_renewals").job is ask_renewals
    ask_renewals.call(timezone.now().isoformat())
    assert Notification.objects.filter(owner=owner, kind="circle.renewal").count() == 1


def test_renewing_extends_every_dated_grant_and_keeps_the_record(owner, peer_helper, stranger):
    ends = timezone.now() + timedelta(days=5)
    link = link_people(owner, peer_helper, scopes=("checkins", "notes"), until=ends)
    client = client_for(owner)
    page = client.get(f"/cercle/liens/{link.pk}/").content.decode()
    assert f"/cercle/liens/{link.pk}/renouveler/" in page
    # Nobody else renews: not the supporter, not a stranger.
    for other in (peer_helper, stranger):
        assert client_for(other).post(f"/cercle/liens/{link.pk}/renouveler/").status_code == 404
    with pytest.raises(services.CircleError):
        services.renew_grants(link, by=peer_helper)
    followed = client.post(f"/cercle/liens/{link.pk}/renouveler/", follow=True)
    assert "Renewed" in followed.content.decode()
    for grant in Grant.objects.filter(link=link):
        assert grant.until == ends + timedelta(days=90)
    records = GrantChange.objects.filter(link=link, action="changed")
    assert records.count() == 2 and all(r.details["renewed"] for r in records)
