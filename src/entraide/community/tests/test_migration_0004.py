"""Migration 0004: the spaces that existed keep allowing anonymous posts, and the moderators'
log rows about anonymous posts are marked so that the log masks their author."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import make_user

BEFORE = [("community", "0003_reactions_follows_unread")]
AFTER = [("community", "0004_anonymity_and_pause")]


@pytest.mark.django_db(transaction=True)
def test_existing_spaces_keep_anonymity_and_old_log_rows_are_masked():
    author = make_user("Camille")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        now = timezone.now()
        space = old.get_model("community", "Space").objects.create(slug="ancien", title="Ancien")
        topic = old.get_model("community", "Topic").objects.create(
            space=space, author_id=author.pk, title="T", created_at=now, last_post_at=now, post_count=2
        )
        post_model = old.get_model("community", "Post")
        hidden = post_model.objects.create(
            topic=topic, author_id=author.pk, anonymous=True, number=1, created_at=now
        )
        signed = post_model.objects.create(topic=topic, author_id=author.pk, number=2, created_at=now)
        action = old.get_model("community", "ModerationAction")
        for post in (hidden, signed):
            action.objects.create(
                action="warn",
                target_kind="community.post",
                target_id=str(post.pk),
                member_id=author.pk,
                at=now,
            )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        assert new.get_model("community", "Space").objects.get(slug="ancien").anonymous_allowed is True
        marks = dict(new.get_model("community", "ModerationAction").objects.values_list("target_id", "extra"))
        assert marks == {str(hidden.pk): {"anonymous": True}, str(signed.pk): {}}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
