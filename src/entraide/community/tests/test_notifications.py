"""Who a new post tells, and what: a reply to one's post, a mention, a new post in a followed
topic (or a new topic in a followed space). Titles name no topic, post, space nor person (the
digest email lists them), and a closed group's content never reaches anyone outside it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import make_user
from entraide.community import services
from entraide.community.models import Post, Status, Visibility
from entraide.community.tests.factories import make_space, make_topic
from entraide.core import jobs
from entraide.notifications import services as notifications
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
SENTINEL = "SENTINELLE-9d2e"


def run_jobs() -> None:
    jobs.Worker("test").run_once(schedule=False)


def kinds_of(person) -> list[str]:
    return sorted(Notification.objects.filter(owner=person).values_list("kind", flat=True))


def test_mentions_are_read_by_canonical_pseudonym_outside_quotes():
    body = "Merci @Morgane et @jean-paul, @zoé !\n> @Camille disait\nécrire à a@b.fr\n@morgane encore"
    assert services.mentioned_keys(body) == ["morgane", "jeanpaul", "zoe"]
    assert len(services.mentioned_keys(" ".join(f"@membre{n}" for n in range(30)))) == services.MAX_MENTIONS


def test_a_reply_tells_the_opener_and_the_quoted_author_once_each(owner, member):
    third = make_user("Sacha")
    topic = make_topic(owner, make_space())
    quoted = services.add_reply(third, topic, body="Moi aussi")
    run_jobs()
    Notification.objects.all().delete()
    services.add_reply(member, topic, body="> Moi aussi\n\nCourage", quoted=quoted)
    run_jobs()
    assert kinds_of(owner) == ["community.reply"]  # opener: a reply, not also "followed"
    assert kinds_of(third) == ["community.reply"]  # quoted (and a follower since replying)
    assert kinds_of(member) == []  # never the author
    run_jobs()  # a job run twice tells nobody twice
    services.announce_post(Post.objects.latest("number").pk)
    assert Notification.objects.count() == 2


def test_titles_name_nothing_and_links_lead_to_the_post(owner, member):
    space = make_space(title=f"Espace {SENTINEL}")
    topic = make_topic(owner, space, title=f"Sujet {SENTINEL}")
    reply = services.add_reply(member, topic, body=f"@{owner.pseudonym} {SENTINEL}")
    run_jobs()
    note = Notification.objects.get(owner=owner)
    assert note.kind == "community.mention"  # a mention wins over a reply: one notification
    assert SENTINEL not in note.title and SENTINEL not in note.body
    assert note.link.endswith(f"/{topic.pk}/#message-{reply.number}")


def test_a_space_without_mentions_pulls_nobody_in(owner, member):
    space = make_space(slug="crise")
    space.mentions_enabled = False
    space.save()
    make_topic(owner, space, body=f"@{member.pseudonym} viens voir")
    run_jobs()
    assert kinds_of(member) == []


def test_a_closed_group_tells_only_its_members(owner, member):
    outsider = make_user("Dehors")
    space = make_space(slug="groupe", visibility=Visibility.RESTRICTED, members=[owner, member])
    topic = make_topic(owner, space, body=f"@{outsider.pseudonym} @{member.pseudonym} {SENTINEL}")
    services.set_space_level(outsider, space, level="following")  # a row made before, say
    run_jobs()
    assert kinds_of(outsider) == []
    assert kinds_of(member) == ["community.mention"]
    # Removed from the group: a follower of the topic is told nothing more.
    services.set_topic_level(member, topic, level="following")
    services.remove_space_member(space, member=member)
    services.add_reply(owner, topic, body="Suite")
    run_jobs()
    assert kinds_of(member) == ["community.mention"]


def test_muting_silences_and_following_a_space_tells_of_new_topics(owner, member):
    space = make_space()
    services.set_space_level(member, space, level="following")
    topic = make_topic(owner, space)
    run_jobs()
    assert kinds_of(member) == ["community.followed"]
    assert Notification.objects.get(owner=member).title == "Un nouveau sujet dans un espace que vous suivez"
    services.set_topic_level(member, topic, level="muted")
    services.add_reply(owner, topic, body=f"@{member.pseudonym} ?")
    run_jobs()
    assert kinds_of(member) == ["community.followed"]  # muted: not even a mention


def test_a_follower_is_told_in_the_daily_digest_by_default(owner, member):
    topic = make_topic(owner, make_space())
    services.set_topic_level(member, topic, level="following")
    services.add_reply(owner, topic, body="Du nouveau")
    run_jobs()
    note = Notification.objects.get(owner=member)
    assert (note.kind, note.channel) == ("community.followed", "digest")
    assert note.title == "Un nouveau message dans un sujet que vous suivez"


def test_the_digest_email_names_no_topic_and_no_closed_group(owner, member, mailoutbox):
    space = make_space(slug="groupe", title=f"Groupe {SENTINEL}", visibility=Visibility.RESTRICTED)
    for person in (owner, member):
        services.add_space_member(space, member=person)
    topic = make_topic(owner, space, title=f"Sujet {SENTINEL}")
    services.set_topic_level(member, topic, level="following")
    services.add_reply(owner, topic, body=f"{SENTINEL} @{member.pseudonym}")
    services.add_reply(owner, topic, body=SENTINEL)
    run_jobs()
    assert Notification.objects.filter(owner=member).count() == 2
    for kind in ("community.mention", "community.reply"):
        notifications.set_channel(member, kind, "digest")
    Notification.objects.filter(owner=member).update(channel="digest")
    mailoutbox.clear()
    tomorrow = timezone.localdate() + timedelta(days=1)
    at = datetime.combine(tomorrow, time(9, 0), tzinfo=ZoneInfo(member.time_zone))
    assert notifications.send_digest(member.pk, at)
    sent = [m for m in mailoutbox if member.email in m.to]
    assert sent and all(SENTINEL not in m.body and SENTINEL not in m.subject for m in sent)
    assert "vous suivez" in sent[0].body


def test_a_held_post_tells_nobody_until_published(owner, member):
    topic = make_topic(owner, make_space())
    post = services.add_reply(member, topic, body="En attente")
    Post.objects.filter(pk=post.pk).update(status=Status.HELD)
    Notification.objects.all().delete()
    assert services.announce_post(post.pk) == 0
    Post.objects.filter(pk=post.pk).update(status=Status.PUBLISHED)
    assert services.announce_post(post.pk) == 1
