"""Ignoring a member through the API: the same service as the pages (idempotent, never oneself),
``folded`` on the ignored person's named posts only (never an anonymous one), the owner's list,
and nothing of it reaching anyone else."""

from __future__ import annotations

import pytest

from entraide.community import blocking, services
from entraide.community.models import Ignore
from entraide.community.tests.factories import make_space, make_topic, set_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"


@pytest.fixture(autouse=True)
def _posts_published_at_once(db):
    set_rules(approvals=0)


@pytest.fixture
def topic(owner, stranger):
    """A topic ``stranger`` opened, with an anonymous reply of theirs and a reply of ``owner``."""
    topic = make_topic(stranger, make_space(slug="ouvert", anonymous_allowed=True), body="Premier")
    services.add_reply(stranger, topic, body="Anonyme", anonymous=True)
    services.add_reply(owner, topic, body="Moi")
    return topic


def test_ignoring_a_posts_author_folds_their_named_posts_only(owner_api, owner, stranger, topic):
    first = topic.posts.get(number=1)
    for _ in range(2):  # idempotent
        answer = owner_api.put(f"{BASE}/posts/{first.pk}/ignore")
        assert answer.status_code == 200
    body = answer.json()
    assert body["pseudonym"] == stranger.pseudonym and Ignore.objects.count() == 1
    assert owner_api.get(f"{BASE}/ignores/{body['id']}").json() == body
    posts = owner_api.get(f"{BASE}/topics/{topic.pk}/posts").json()["items"]
    assert [p["folded"] for p in posts] == [True, False, False]  # the anonymous reply never folds
    assert owner_api.get(f"{BASE}/posts/{first.pk}").json()["folded"] is True
    listed = owner_api.get(f"{BASE}/ignores").json()
    assert listed["count"] == 1 and listed["items"] == [body]
    assert owner_api.delete(f"{BASE}/ignores/{body['id']}").status_code == 204
    assert owner_api.delete(f"{BASE}/ignores/{body['id']}").status_code == 404
    assert not Ignore.objects.exists()
    assert owner_api.get(f"{BASE}/posts/{first.pk}").json()["folded"] is False


def test_anonymous_and_own_posts_cannot_be_ignored(owner_api, topic):
    anonymous = topic.posts.get(number=2)
    assert owner_api.put(f"{BASE}/posts/{anonymous.pk}/ignore").status_code == 404
    own = topic.posts.get(number=3)
    assert owner_api.put(f"{BASE}/posts/{own.pk}/ignore").status_code == 422
    assert not Ignore.objects.exists()


def test_others_ignores_are_a_404_and_never_shown(owner_api, stranger_api, owner, stranger, topic):
    theirs = blocking.ignore_member(stranger, owner)
    assert owner_api.get(f"{BASE}/ignores/{theirs.pk}").status_code == 404
    assert owner_api.delete(f"{BASE}/ignores/{theirs.pk}").status_code == 404
    assert owner_api.get(f"{BASE}/ignores").json() == {"count": 0, "items": []}
    # Nothing changes for the ignored person: no post folds for them.
    posts = owner_api.get(f"{BASE}/topics/{topic.pk}/posts").json()["items"]
    assert not any(p["folded"] for p in posts)
    assert stranger_api.get(f"{BASE}/ignores").json()["count"] == 1
    assert Ignore.objects.filter(pk=theirs.pk).exists()


def test_a_read_only_token_cannot_ignore(reader_api, topic):
    assert reader_api.put(f"{BASE}/posts/{topic.posts.get(number=1).pk}/ignore").status_code == 403
    assert not Ignore.objects.exists()
