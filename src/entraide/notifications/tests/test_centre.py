"""The notification centre: the person's own notifications, newest first, 25 a page, unread ones
said in words; marking read by POST only; another person's notification is a 404."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PASSWORD, client_for, make_user
from entraide.accounts.models import Role
from entraide.accounts.services import grant_role
from entraide.notifications import services
from entraide.notifications.models import Notification
from entraide.notifications.tests.conftest import REPLY

pytestmark = pytest.mark.django_db

CENTRE = "/notifications/"
COUNT = "/notifications/non-lues/"


def notify_many(person, count, **fields):
    made = []
    for i in range(count):
        n = services.notify(person, REPLY, title=f"Notification {i:02d}", **fields)
        # Distinct times, so that "newest first" is observable.
        Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() + timedelta(minutes=i))
        made.append(n)
    return made


def titles(response):
    return re.findall(r"Notification \d\d", response.content.decode())


def test_the_centre_lists_the_persons_notifications_newest_first_25_a_page(owner, stranger):
    notify_many(owner, 30)
    services.notify(stranger, REPLY, title="Notification pour Dominique")
    client = client_for(owner)
    first = client.get(CENTRE)
    assert first.status_code == 200
    assert titles(first) == [f"Notification {i:02d}" for i in range(29, 4, -1)]
    second = client.get(CENTRE, {"page": 2})
    assert titles(second) == [f"Notification {i:02d}" for i in range(4, -1, -1)]
    assert "Dominique" not in first.content.decode() + second.content.decode()
    assert first["Cache-Control"] == "no-store"


def test_unread_notifications_are_marked_in_words(owner):
    read, _ = notify_many(owner, 2)
    services.mark_read(owner, read.pk)
    page = client_for(owner).get(CENTRE).content.decode()
    items = re.findall(r"<li class=\"notification[^\"]*\">.*?</li>", page, re.S)
    assert len(items) == 2
    newest, oldest = items
    assert "Notification 01" in newest and "Unread" in newest
    assert "Notification 00" in oldest and "Unread" not in oldest
    assert "You have 1 unread notification." in page


def test_the_centre_makes_the_same_queries_for_3_or_25_notifications(owner):
    client = client_for(owner)
    notify_many(owner, 3)
    client.get(CENTRE)  # warm: session, consent check
    with CaptureQueriesContext(connection) as few:
        client.get(CENTRE)
    notify_many(owner, 22)
    with CaptureQueriesContext(connection) as many:
        client.get(CENTRE)
    assert len(many) == len(few), [q["sql"] for q in many]


def test_mark_read_is_post_only_and_marks_only_that_one(owner):
    one, other = notify_many(owner, 2)
    client = client_for(owner)
    assert client.get(f"/notifications/{one.pk}/lue/").status_code == 405
    response = client.post(f"/notifications/{one.pk}/lue/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == f"{CENTRE}?page=2"
    assert Notification.objects.get(pk=one.pk).read_at is not None
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_mark_all_read(owner, stranger):
    notify_many(owner, 3)
    theirs = services.notify(stranger, REPLY, title="t")
    response = client_for(owner).post("/notifications/tout-lu/")
    assert response.status_code == 302 and response["Location"] == CENTRE
    assert services.unread_count(owner) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(owner):
    notification = services.notify(owner, REPLY, title="t", link="/aide/")
    page = client_for(owner).get(CENTRE).content.decode()
    assert f'action="/notifications/{notification.pk}/ouvrir/"' in page
    response = client_for(owner).post(f"/notifications/{notification.pk}/ouvrir/")
    assert response.status_code == 302 and response["Location"] == "/aide/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_a_link_to_another_host_is_never_followed(owner):
    notification = services.notify(owner, REPLY, title="t")
    row = Notification.objects.get(pk=notification.pk)
    row.content = {"title": "t", "body": "", "link": "//elsewhere.example/"}  # written behind notify's back
    row.save()
    response = client_for(owner).post(f"/notifications/{notification.pk}/ouvrir/")
    assert response.status_code == 302 and response["Location"] == CENTRE


@pytest.mark.parametrize("action", ["lue", "ouvrir"])
def test_another_persons_notification_is_a_404(owner, stranger, action):
    theirs = services.notify(stranger, REPLY, title="Titre de Dominique", link="/aide/")
    response = client_for(owner).post(f"/notifications/{theirs.pk}/{action}/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_header_links_to_the_centre_and_fetches_the_count_later(owner):
    notify_many(owner, 2)
    home = client_for(owner).get("/").content.decode()
    assert f'href="{CENTRE}"' in home
    assert f'hx-get="{COUNT}"' in home and 'hx-trigger="load, every 60s"' in home
    assert "(2 unread)" not in home  # the page itself does not count


def test_the_count_fragment_answers_htmx_and_sends_others_to_the_centre(owner):
    notify_many(owner, 2)
    client = client_for(owner)
    fragment = client.get(COUNT, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert fragment.content.decode().strip() == '<span class="unread-count"> (2 unread)</span>'
    services.mark_all_read(owner)
    assert (
        client.get(COUNT, HTTP_HX_REQUEST="true").content.decode().strip()
        == '<span class="unread-count"></span>'
    )
    plain = client.get(COUNT)
    assert plain.status_code == 302 and plain["Location"] == CENTRE


def test_the_background_poll_does_not_keep_an_idle_session_alive(owner):
    """The count polls every minute: it must not count as activity, or the 30-minute idle logout
    (shared computers) would never come while a tab stays open."""
    with time_machine.travel(time.time(), tick=False) as clock:
        client = Client()
        assert client.post("/compte/login/", {"login": owner.email, "password": PASSWORD}).status_code == 302
        assert client.get("/").context["user"] == owner
        for _ in range(29):  # a tab left open: one poll a minute, nobody there
            clock.shift(60)
            poll = client.get(COUNT, HTTP_HX_REQUEST="true", HTTP_X_ENTRAIDE_BACKGROUND="1")
            assert poll.status_code == 200
        clock.shift(2 * 60)
        response = client.get(CENTRE)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_the_persons_own_requests_keep_the_session_alive(owner):
    with time_machine.travel(time.time(), tick=False) as clock:
        client = Client()
        client.post("/compte/login/", {"login": owner.email, "password": PASSWORD})
        for _ in range(3):
            clock.shift(20 * 60)
            assert client.get(CENTRE).status_code == 200


def test_the_count_works_for_a_role_holder_still_to_enrol_a_second_factor(admin_user):
    """Redirected to the TOTP set-up page, the poll would draw a new secret behind the QR code."""
    person = make_user("Morgane")
    grant_role(person, role=Role.MODERATOR, by=admin_user)
    client = client_for(person)
    assert client.get("/").status_code == 302  # everything else sends them to enrol first
    response = client.get(COUNT, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
