"""Reporting a post to the moderators through the API: the site's rules (one report per member and
thing, never one's own post, nothing that would tell who wrote an anonymous post), the same
visibility (a closed group's post is a 404), and the site's hourly limit, shared with the site."""

from __future__ import annotations

import pytest

from entraide.api.tests.conftest import json_put
from entraide.community import moderation, services
from entraide.community.models import Flag, FlagReason, ModerationCase, Visibility
from entraide.community.tests.factories import make_space, make_topic, set_rules
from entraide.core.web import ratelimits

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"


@pytest.fixture(autouse=True)
def _posts_published_at_once(db):
    set_rules(approvals=0)


@pytest.fixture
def topic(stranger):
    return make_topic(
        stranger, make_space(slug="ouvert", anonymous_allowed=True), title="Bonjour", body="Premier"
    )


def flag_url(post) -> str:
    return f"{BASE}/posts/{post.pk}/flag"


def test_a_worry_opens_a_case_first_in_the_queue_and_points_to_help(owner_api, owner, stranger, topic):
    post = topic.posts.get()
    answer = json_put(owner_api, flag_url(post), {"reason": "danger"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["reason"] == "danger" and answer.json()["help_url"] == "/aide/"
    case = ModerationCase.objects.get(target_kind=services.POST_KIND, target_id=str(post.pk))
    assert case.danger and case.member_id == stranger.pk
    # Sent again with another reason: the same report, changed.
    again = json_put(owner_api, flag_url(post), {"reason": "other", "note": "Ça m'inquiète."})
    assert again.status_code == 200 and again.json()["help_url"] is None
    assert again.json()["created_at"] == answer.json()["created_at"]
    (flag,) = Flag.objects.filter(reporter=owner)
    assert flag.reason == FlagReason.OTHER and flag.note == "Ça m'inquiète."


def test_the_topic_and_the_author_are_reported_from_the_opening_post(owner_api, stranger, topic):
    post = topic.posts.get()
    assert json_put(owner_api, flag_url(post), {"about": "topic", "reason": "spam"}).status_code == 200
    assert json_put(owner_api, flag_url(post), {"about": "member", "reason": "harassment"}).status_code == 200
    kinds = set(Flag.objects.values_list("target_kind", "target_id"))
    assert kinds == {(services.TOPIC_KIND, str(topic.pk)), (services.MEMBER_KIND, str(stranger.pk))}


def test_what_a_post_does_not_offer_is_refused_kindly(owner_api, owner, stranger, topic):
    reply = services.add_reply(stranger, topic, body="Une réponse")
    anonymous = services.add_reply(stranger, topic, body="Sans nom", anonymous=True)
    mine = services.add_reply(owner, topic, body="La mienne")
    refused = [
        (reply, {"about": "topic", "reason": "spam"}),  # the title, from a reply
        (anonymous, {"about": "member", "reason": "harassment"}),  # would tell who wrote it
        (mine, {"reason": "spam"}),  # one's own post
        (reply, {"reason": "other", "note": "  "}),  # "other" says what
        (reply, {"reason": "rude"}),
        (reply, {"reason": "spam", "note": "x" * (moderation.NOTE_MAX + 1)}),
    ]
    for post, body in refused:
        answer = json_put(owner_api, flag_url(post), body)
        assert answer.status_code == 422, (body, answer.content)
        assert "detail" in answer.json()
    assert not Flag.objects.exists() and not ModerationCase.objects.exists()


def test_a_closed_groups_post_is_the_same_404_as_none(owner_api, stranger):
    closed = make_space(slug="ferme", visibility=Visibility.RESTRICTED, members=[stranger])
    post = make_topic(stranger, closed, body="Secret").posts.get()
    hidden = json_put(owner_api, flag_url(post), {"reason": "danger"})
    missing = json_put(
        owner_api, f"{BASE}/posts/00000000-0000-4000-8000-000000000000/flag", {"reason": "danger"}
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert not Flag.objects.exists()


def test_a_read_token_cannot_report(reader_api, topic):
    assert json_put(reader_api, flag_url(topic.posts.get()), {"reason": "spam"}).status_code == 403
    assert not Flag.objects.exists()


def test_the_hourly_limit_holds_through_the_api(owner_api, stranger, topic, monkeypatch, settings):
    settings.RATE_LIMITS = True
    monkeypatch.setattr(
        moderation, "FLAG_LIMIT", ratelimits.Limit("community-flag-api-test", limit=2, per=3600)
    )
    posts = [services.add_reply(stranger, topic, body=f"Réponse {n}") for n in range(3)]
    assert [json_put(owner_api, flag_url(p), {"reason": "spam"}).status_code for p in posts] == [
        200,
        200,
        429,
    ]
    assert Flag.objects.count() == 2
