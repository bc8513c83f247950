"""Ignoring a member: the relation (one query to ask, never oneself, a limit, harmless twice), the
notifications it stops for the member who ignores and only for them, the fold on topic pages
(a <details>, so without JavaScript too; never for anonymous posts), the pages, the moderation
team's messages still delivered, and the export and erasure."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import client_for, make_user
from entraide.community import blocking, services
from entraide.community.models import Ignore, Post
from entraide.community.tests.factories import make_space, make_topic
from entraide.core import jobs
from entraide.core.errors import InvalidValuesError
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
SENTINEL = "SENTINELLE-4b7a"


def run_jobs() -> None:
    jobs.Worker("test").run_once(schedule=False)


def kinds_of(person) -> list[str]:
    return sorted(Notification.objects.filter(owner=person).values_list("kind", flat=True))


def topic_url(topic) -> str:
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def ignore_url(post) -> str:
    topic = post.topic
    return reverse(
        "community:post-ignore",
        kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk, "post_id": post.pk},
    )


def opening(topic) -> Post:
    return topic.posts.get(number=1)


def articles(html: str) -> dict[str, str]:
    """Each post's <article> markup by its number."""
    return dict(re.findall(r'<article class="post" id="message-(\d+)".*?>(.*?)</article>', html, re.S))


# --- The relation ----------------------------------------------------------------------------------


def test_ignoring_asks_in_one_query_and_answers_only_who_ignores_the_author(
    owner, member, django_assert_num_queries
):
    third = make_user("Sacha")
    blocking.ignore_member(member, owner)
    blocking.ignore_member(third, member)  # ignores someone else
    with django_assert_num_queries(1):
        assert blocking.ignoring(owner.pk, {member.pk, third.pk}) == {member.pk}
    with django_assert_num_queries(0):
        assert blocking.ignoring(owner.pk, set()) == set()


def test_nobody_ignores_themselves(member):
    with pytest.raises(InvalidValuesError) as refused:
        blocking.ignore_member(member, member)
    assert "ignored" in refused.value.errors
    assert not Ignore.objects.exists()


def test_ignoring_twice_keeps_one_row_and_stopping_twice_is_harmless(owner, member):
    first = blocking.ignore_member(member, owner)
    assert blocking.ignore_member(member, owner).pk == first.pk
    assert Ignore.objects.count() == 1
    assert blocking.unignore_member(member, owner.pk) is True
    assert blocking.unignore_member(member, owner.pk) is False
    assert not Ignore.objects.exists()


def test_a_member_ignores_at_most_the_limit(member, monkeypatch):
    monkeypatch.setattr(blocking, "MAX_IGNORED", 2)
    people = [make_user(f"Personne{n}") for n in range(3)]
    blocking.ignore_member(member, people[0])
    blocking.ignore_member(member, people[1])
    blocking.ignore_member(member, people[1])  # already ignored: no error at the limit
    with pytest.raises(InvalidValuesError) as refused:
        blocking.ignore_member(member, people[2])
    assert "2" in str(refused.value.errors["ignored"])
    assert Ignore.objects.filter(member=member).count() == 2


# --- Notifications ---------------------------------------------------------------------------------


def test_the_ignored_persons_reply_mention_and_followed_posts_tell_the_ignoring_member_nothing(owner, member):
    third = make_user("Sacha")
    space = make_space(anonymous_allowed=True)
    topic = make_topic(member, space)  # the ignoring member opened it: a reply would tell them
    followed = make_topic(third, space, title="Suivi")
    services.set_topic_level(member, followed, level="following")
    services.set_topic_level(third, topic, level="following")
    run_jobs()
    Notification.objects.all().delete()
    blocking.ignore_member(member, owner)
    quoted = opening(topic)
    services.add_reply(owner, topic, body=f"@{member.pseudonym} @{third.pseudonym} réponse", quoted=quoted)
    services.add_reply(owner, followed, body="dans un sujet suivi")
    services.add_reply(owner, topic, body="anonyme", anonymous=True)  # the stored author counts
    run_jobs()
    assert kinds_of(member) == []
    # Others are told as before: the mention, a reply in the topic they opened, a followed post.
    assert kinds_of(third) == ["community.followed", "community.mention", "community.reply"]
    blocking.unignore_member(member, owner.pk)
    services.add_reply(owner, topic, body=f"@{member.pseudonym} de nouveau")
    run_jobs()
    assert kinds_of(member) == ["community.mention"]


def test_the_moderation_teams_message_reaches_a_member_who_ignores_the_moderator(owner, moderator):
    from entraide.community import moderation

    post = opening(make_topic(owner, make_space()))
    blocking.ignore_member(owner, moderator)
    moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(post.pk),
        action="hide",
        reason="Une raison",
    )
    assert kinds_of(owner) == ["community.moderation"]


# --- The topic page ----------------------------------------------------------------------------------


def test_the_ignored_persons_named_posts_fold_for_the_ignoring_member_only(owner, member):
    third = make_user("Sacha")
    topic = make_topic(owner, make_space(anonymous_allowed=True), body=f"Ouverture {SENTINEL}")
    services.add_reply(owner, topic, body=f"Anonyme {SENTINEL}", anonymous=True)
    services.add_reply(third, topic, body="Un autre membre")
    blocking.ignore_member(member, owner)
    posts = articles(client_for(member).get(topic_url(topic)).content.decode())
    assert '<details class="content-warning ignored-post">' in posts["1"]
    assert "Message from a member you ignore (show anyway)" in posts["1"]
    assert SENTINEL in posts["1"]  # inside the <details>: one click away, without JavaScript
    assert "ignored-post" not in posts["2"]  # anonymous: folding it would tell who wrote it
    assert "ignored-post" not in posts["3"]
    assert "Stop ignoring" in posts["1"] and "Ignore this member" in posts["3"]
    # Neither offered on an anonymous post nor on one's own.
    assert "/ignorer/" not in posts["2"]
    for person in (owner, third):
        page = client_for(person).get(f"{topic_url(topic)}?page=1").content.decode()
        assert "ignored-post" not in page and SENTINEL in page  # nothing changes for anyone else
    own = articles(client_for(owner).get(f"{topic_url(topic)}?page=1").content.decode())
    assert "/ignorer/" not in own["1"] and "/ignorer/" in own["3"]


def test_a_visitor_of_a_public_space_sees_no_ignore_control(owner):
    topic = make_topic(owner, make_space(slug="ouvert", visibility="public"))
    page = client_for().get(topic_url(topic)).content.decode()
    assert "/ignorer/" not in page and "ignored-post" not in page


def test_the_topic_page_makes_no_more_queries_with_ignores(owner, member, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = make_topic(owner, make_space())
    for n in range(5):
        services.add_reply(make_user(f"Repondant{n}"), topic, body=f"Réponse {n}")
    client = client_for(member)
    url = f"{topic_url(topic)}?page=1"
    client.get(url)  # the session and the instance settings, once
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    blocking.ignore_member(member, owner)
    for n in range(3):
        blocking.ignore_member(member, Post.objects.get(topic=topic, number=n + 2).author)
    # Whether the reader ignores each author comes with the posts (one EXISTS per row).
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("ignored-post") == 4


# --- The confirmation page and the list -------------------------------------------------------------


def test_ignoring_from_a_post_confirms_first_then_acts_once(owner, member):
    post = opening(make_topic(owner, make_space()))
    client = client_for(member)
    page = client.get(ignore_url(post))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Ignore {owner.pseudonym}?" in text and "They are not told" in text
    assert not Ignore.objects.exists()  # a GET changes nothing
    for _ in range(2):  # a double submit, or Back then submit
        response = client.post(ignore_url(post), {"ignore": "yes"})
        assert response.status_code == 302 and response.url.endswith("#message-1")
    assert list(Ignore.objects.values_list("member", "ignored")) == [(member.pk, owner.pk)]
    assert "Stop ignoring" in client.get(ignore_url(post)).content.decode()
    client.post(ignore_url(post), {"ignore": "no"})
    assert not Ignore.objects.exists()
    client.post(ignore_url(post), {"ignore": "peut-être"})  # anything else changes nothing
    assert not Ignore.objects.exists()


def test_the_limit_is_a_kind_message(owner, member, monkeypatch):
    monkeypatch.setattr(blocking, "MAX_IGNORED", 1)
    blocking.ignore_member(member, make_user("Sacha"))
    post = opening(make_topic(owner, make_space()))
    response = client_for(member).post(ignore_url(post), {"ignore": "yes"})
    assert response.status_code == 400
    assert "the most there can be" in response.content.decode()
    assert not Ignore.objects.filter(ignored=owner).exists()


def test_anonymous_posts_own_posts_and_closed_groups_offer_nothing(owner, member):
    from entraide.community.models import Visibility

    topic = make_topic(owner, make_space(anonymous_allowed=True))
    anonymous = services.add_reply(owner, topic, body="anonyme", anonymous=True)
    client = client_for(member)
    assert client.get(ignore_url(anonymous)).status_code == 404
    assert client.post(ignore_url(anonymous), {"ignore": "yes"}).status_code == 404
    own = client_for(owner).post(ignore_url(opening(topic)), {"ignore": "yes"})
    assert own.status_code == 302
    closed = make_topic(owner, make_space(slug="groupe", visibility=Visibility.RESTRICTED, members=[owner]))
    assert client.post(ignore_url(opening(closed)), {"ignore": "yes"}).status_code == 404
    assert client_for().get(ignore_url(opening(topic))).status_code == 302  # to log in
    assert not Ignore.objects.exists()


def test_the_list_shows_pseudonyms_and_stops_ignoring(owner, member, django_assert_num_queries):
    client = client_for(member)
    url = reverse("community:ignores")
    assert "You ignore nobody" in client.get(url).content.decode()
    blocking.ignore_member(member, owner)
    blocking.ignore_member(owner, member)  # someone else's row: never shown, never changed
    client.get(url)
    with django_assert_num_queries(5):  # session, user, settings, and the page's count and rows
        page = client.get(url)
    assert page.status_code == 200 and owner.pseudonym in page.content.decode()
    for n in range(4):
        blocking.ignore_member(member, make_user(f"Personne{n}"))
    with django_assert_num_queries(5):
        client.get(url)
    theirs = Ignore.objects.get(member=owner)
    client.post(url, {"ignore": str(theirs.pk)})  # not one of mine: nothing
    client.post(url, {"ignore": "pas-un-id"})
    mine = Ignore.objects.get(member=member, ignored=owner)
    assert str(owner.pk) not in client.get(url).content.decode()  # no account's id in the page
    assert client.post(url, {"ignore": str(mine.pk)}).status_code == 302
    assert not Ignore.objects.filter(member=member, ignored=owner).exists()
    assert Ignore.objects.filter(member=owner, ignored=member).exists()
    assert client_for().get(url).status_code == 302
    assert client.get(reverse("community:spaces")).content.decode().count(url) == 1


# --- Export and erasure ------------------------------------------------------------------------------


def test_the_export_lists_whom_one_ignores_and_erasure_removes_both_ways(owner, member, data_dir):
    import io
    import json
    import zipfile

    from entraide.core import personal_data

    third = make_user("Sacha")
    blocking.ignore_member(member, owner)
    blocking.ignore_member(owner, member)
    blocking.ignore_member(third, owner)
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(member)))
    manifest = json.loads(archive.read("manifest.json"))
    part = next(p for p in manifest["parts"] if p["key"] == "community.ignores")
    records = json.loads(archive.read(part["file"]))["records"]
    assert [record["pseudonym"] for record in records] == [owner.pseudonym]  # not who ignores them
    personal_data.erase_person(member)
    assert list(Ignore.objects.values_list("member", "ignored")) == [(third.pk, owner.pk)]
