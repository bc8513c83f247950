"""The crisis-language watch through the API: a post whose words match is published (or held)
as on the site, goes first in the moderators' queue, and the answer carries the crisis numbers
and the help page, for the app to show its author."""

from __future__ import annotations

import pytest

from entraide.api.tests.conftest import json_post
from entraide.community import services
from entraide.community.models import ModerationCase, Post
from entraide.community.tests.factories import make_space, make_topic, set_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"


@pytest.fixture
def topic(stranger):
    set_rules(approvals=0)
    return make_topic(stranger, make_space(slug="ouvert", title="Ouvert"), title="Bonjour", body="Premier")


def test_a_quiet_post_carries_no_numbers(owner_api, topic):
    answer = json_post(owner_api, f"{BASE}/topics/{topic.pk}/posts", {"body": "Merci à vous"})
    assert answer.status_code == 201
    assert answer.json()["crisis_numbers"] == [] and answer.json()["help_url"] is None


def test_a_matching_reply_carries_the_crisis_numbers(owner_api, topic):
    answer = json_post(owner_api, f"{BASE}/topics/{topic.pk}/posts", {"body": "J'ai plus envie de vivre."})
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "published"
    assert "3114" in [n["number"] for n in body["crisis_numbers"]]
    assert body["help_url"] == "/aide/"
    case = ModerationCase.objects.get(target_kind=services.POST_KIND, target_id=body["id"])
    assert case.watched


def test_a_new_members_matching_topic_is_held_with_the_numbers(owner_api, topic):
    set_rules(approvals=3)
    answer = json_post(
        owner_api, f"{BASE}/spaces/ouvert/topics", {"title": "Ce soir", "body": "me scarifier"}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "held" and body["crisis_numbers"] and body["help_url"] == "/aide/"
    post = Post.objects.get(topic_id=body["id"])
    case = ModerationCase.objects.get(target_kind=services.POST_KIND, target_id=str(post.pk))
    assert case.kind == "approval" and case.watched
