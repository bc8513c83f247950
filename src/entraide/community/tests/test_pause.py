"""Taking a break ("Faire une pause"): choosing a time, what it stops (posting, replying, support, notifications)
and what it does not (reading, reporting), that nobody is told, resuming, and that resuming
never ends a moderators' suspension."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from entraide.community import moderation, pause, services
from entraide.community.models import ActionKind, MemberStanding, Reaction
from entraide.community.tests.factories import make_space, make_topic
from entraide.community.tests.test_personal_data import parts_of
from entraide.core import jobs
from entraide.core.errors import InvalidValuesError
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/communaute/pause/"


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def start_pause(client, **data):
    page = client.get(URL).content.decode()
    return client.post(URL, {"form_token": form_token(page), **data})


def topic_url(topic):
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def test_the_page_is_linked_from_the_spaces_and_explains_calmly(owner):
    assert reverse("community:pause") == URL
    client = client_for(owner)
    assert URL in client.get(reverse("community:spaces")).content.decode()
    page = client.get(URL).content.decode()
    assert "nobody is told" in page and "your circle stay open" in page
    assert client_for(None).get(URL).status_code == 302


@pytest.mark.parametrize(("length", "days"), [("1d", 1), ("3d", 3), ("1w", 7), ("2w", 14), ("1m", 30)])
def test_a_member_chooses_how_long(owner, length, days):
    before = timezone.now()
    assert start_pause(client_for(owner), length=length).status_code == 302
    until = pause.paused_until(owner)
    assert before + timedelta(days=days) <= until <= timezone.now() + timedelta(days=days)


def test_a_date_within_a_year_and_nothing_beyond(owner):
    client = client_for(owner)
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    refused = start_pause(client, length="date", until=far)
    assert refused.status_code == 400 and "within a year" in refused.content.decode()
    missing = start_pause(client, length="date", until="")
    assert missing.status_code == 400 and pause.paused_until(owner) is None
    near = (timezone.localdate() + timedelta(days=20)).isoformat()
    assert start_pause(client, length="date", until=near).status_code == 302
    assert timezone.localtime(pause.paused_until(owner)).date().isoformat() == near
    assert start_pause(client, length="date", until="1850-01-01").status_code == 400


def test_a_paused_member_reads_but_does_not_post_reply_or_support(owner, member):
    space = make_space()
    topic = make_topic(member, space)
    post = topic.posts.get()
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    client = client_for(owner)
    page = client.get(topic_url(topic)).content.decode()
    assert "You are taking a break until" in page and URL in page
    url = reverse("community:reply", kwargs={"space_slug": space.slug, "topic_id": topic.pk})
    answer = client.post(url, {"form_token": form_token(page), "body": "Texte gardé"})
    assert answer.status_code == 400 and "Texte gardé" in answer.content.decode()
    assert "taking a break" in answer.content.decode()
    with pytest.raises(InvalidValuesError):
        services.start_topic(owner, space, title="Non", body="Non")
    support = reverse(
        "community:post-support", kwargs={"space_slug": space.slug, "topic_id": topic.pk, "post_id": post.pk}
    )
    assert client.post(support, {"support": "yes"}).status_code == 302
    assert not Reaction.objects.filter(member=owner).exists()
    assert topic.posts.count() == 1


def test_a_paused_member_may_still_report_a_worry(owner, member):
    post = make_topic(member, make_space()).posts.get()
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    moderation.flag(owner, target_kind=services.POST_KIND, target_id=str(post.pk), reason="danger")
    assert post.pk and moderation.flags_of(owner).count() == 1


def test_a_paused_member_is_sent_no_community_notification_not_even_later(owner, member):
    space = make_space()
    topic = make_topic(owner, space)
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    services.add_reply(member, topic, body="@Camille une réponse")
    jobs.Worker("test").run_once(schedule=False)
    assert not Notification.objects.filter(owner=owner, kind__startswith="community.").exists()
    pause.resume_member(owner)
    jobs.Worker("test").run_once(schedule=False)
    assert not Notification.objects.filter(owner=owner, kind__startswith="community.").exists()
    services.add_reply(member, topic, body="Une autre")
    jobs.Worker("test").run_once(schedule=False)
    assert Notification.objects.filter(owner=owner, kind="community.reply").exists()


def test_nobody_is_told_of_a_pause(owner, member, moderator):
    topic = make_topic(owner, make_space())
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    for person in (member, moderator):
        page = client_for(person).get(topic_url(topic)).content.decode()
        assert "taking a break" not in page
    queue = client_for(moderator).get(reverse("moderation:queue")).content.decode()
    assert "Camille" not in queue and "break" not in queue


def test_resuming_ends_the_pause_but_never_a_suspension(owner, moderator):
    topic = make_topic(owner, make_space())
    moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(topic.posts.get().pk),
        action=ActionKind.SUSPEND,
        reason="Une semaine sans écrire.",
        options=moderation.Options(until=timezone.now() + timedelta(days=7)),
    )
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    client = client_for(owner)
    assert client.get(reverse("community:pause-end")).status_code == 405  # a POST only
    assert client.post(reverse("community:pause-end")).status_code == 302
    assert client.post(reverse("community:pause-end")).status_code == 302  # harmless twice
    standing = MemberStanding.objects.get(member_id=owner.pk)
    assert standing.paused_until is None and standing.suspended_until is not None
    with pytest.raises(InvalidValuesError):
        services.add_reply(owner, topic, body="Encore suspendu")


def test_the_pause_is_in_the_standing_export(owner):
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    (standing,) = [r for r in parts_of(owner)["community.moderation"] if r["action"] == "standing"]
    assert "taking a break until: 20" in standing["reason"]


def test_the_pause_page_makes_a_fixed_number_of_queries(owner):
    client = client_for(owner)
    client.get(URL)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    pause.pause_member(owner, until=timezone.now() + timedelta(days=3))
    assert queries() == before
