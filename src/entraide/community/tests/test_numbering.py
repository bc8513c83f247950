"""Post numbers are never reused: a topic remembers the highest number it gave
(``Topic.last_number``), apart from how many posts it shows (``post_count``). Numbering from the
count gave the next reply the number of an existing post once one was hidden or deleted; read
positions, "N nouveaux" and "Non lus" follow the numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import client_for, make_user
from entraide.community import access, services
from entraide.community.models import ActionKind, Post, ReadPosition
from entraide.community.reportables import act_on_post
from entraide.community.tests.factories import make_space, make_topic
from entraide.core import instance, personal_data

pytestmark = pytest.mark.django_db


def numbers(topic) -> list[int]:
    return sorted(Post.objects.filter(topic=topic).values_list("number", flat=True))


@pytest.fixture
def three(owner):
    """A topic of three posts by ``owner``."""
    topic = make_topic(owner, make_space(), body="un")
    services.add_reply(owner, topic, body="deux")
    services.add_reply(owner, topic, body="trois")
    topic.refresh_from_db()
    return topic


@pytest.mark.parametrize("action", [ActionKind.HIDE, ActionKind.DELETE])
def test_a_reply_after_a_hidden_or_deleted_post_takes_a_new_number(three, owner, member, moderator, action):
    services.mark_read_up_to(member, three, 3)
    act_on_post(action, str(three.posts.get(number=2).pk), by=moderator, reason="Hors charte")
    three.refresh_from_db()
    assert (three.post_count, three.last_number) == (2, 3)
    four = services.add_reply(owner, three, body="quatre")
    assert four.number == 4
    assert numbers(three) == ([1, 2, 3, 4] if action == ActionKind.HIDE else [1, 3, 4])
    # The member who had read to 3 has the new reply unread, and can read it.
    assert [p.topic_id for p in access.filter_unread_positions_of(member)] == [three.pk]
    three.refresh_from_db()
    assert services.mark_read_up_to(member, three, 4) == 4
    assert not access.filter_unread_positions_of(member).exists()


def test_the_space_page_counts_new_posts_by_number(three, owner, member, moderator):
    services.mark_read_up_to(member, three, 3)
    act_on_post(ActionKind.HIDE, str(three.posts.get(number=3).pk), by=moderator, reason="Hors charte")
    three.refresh_from_db()
    services.add_reply(owner, three, body="quatre")
    page = client_for(member).get(f"/communaute/{three.space.slug}/")
    assert page.status_code == 200
    (listed,) = page.context["topics"]
    assert listed.unread == 1


def test_erasing_a_member_in_delete_mode_reuses_no_number(owner, member):
    topic = make_topic(owner, make_space(), body="un")
    services.add_reply(member, topic, body="deux")
    services.add_reply(owner, topic, body="trois")
    row = instance.load_settings()
    row.extra = {
        **row.extra,
        "community": {**row.extra.get("community", {}), "erasure": services.ERASE_DELETE},
    }
    row.save()
    personal_data.erase_person(member)
    topic.refresh_from_db()
    assert (topic.post_count, topic.last_number) == (2, 3)
    assert services.add_reply(owner, topic, body="quatre").number == 4
    assert numbers(topic) == [1, 3, 4]


def test_an_approved_reply_takes_the_next_number_too(three, owner, moderator):
    from entraide.community.tests.factories import set_rules

    newcomer = make_user("Noa")
    set_rules(approvals=3)
    held = services.add_reply(newcomer, three, body="J'arrive")
    assert held.number == 0
    act_on_post(ActionKind.HIDE, str(three.posts.get(number=3).pk), by=moderator, reason="Hors charte")
    act_on_post(ActionKind.APPROVE, str(held.pk), by=moderator, reason="")
    held.refresh_from_db()
    assert held.number == 4 and numbers(three) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_topics_their_highest_number():
    before, after = [("community", "0006_ignores")], [("community", "0007_topic_last_number")]
    author = make_user("Camille")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        now = timezone.now()
        space = old.get_model("community", "Space").objects.create(slug="ancien", title="Ancien")
        topic_model = old.get_model("community", "Topic")
        post_model = old.get_model("community", "Post")
        busy = topic_model.objects.create(
            space=space, title="T", created_at=now, last_post_at=now, post_count=2
        )
        for number, status in ((1, "published"), (2, "hidden"), (3, "published")):
            post_model.objects.create(
                topic=busy, author_id=author.pk, number=number, status=status, created_at=now
            )
        empty = topic_model.objects.create(space=space, title="V", created_at=now, last_post_at=now)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        found = dict(new.get_model("community", "Topic").objects.values_list("pk", "last_number"))
        assert found == {busy.pk: 3, empty.pk: 0}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        ReadPosition.objects.all().delete()
