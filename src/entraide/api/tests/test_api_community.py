"""The community through the API: what a member reads on the site, and nothing else (a closed
group they are not on is a 404); posting and "je te soutiens" through the same services."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from entraide.api.tests.conftest import api_client, json_post
from entraide.community import services
from entraide.community.models import Post, Reaction, Topic, Visibility
from entraide.community.tests.factories import make_space, make_topic, set_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"
SENTINEL = "SENTINELLE-api-5c1"


@pytest.fixture(autouse=True)
def _posts_published_at_once(db):
    """People made a moment ago are new members, whose posts wait for a moderator; these tests
    are about the API, not approval (community/tests/test_moderation.py): posts publish at once."""
    set_rules(approvals=0)


@pytest.fixture
def places(owner, stranger):
    """An open space with a topic by ``stranger``, and a closed group ``owner`` is not on."""
    open_space = make_space(slug="ouvert", title="Ouvert", anonymous_allowed=True)
    topic = make_topic(stranger, open_space, title="Bonjour", body="Premier")
    closed = make_space(
        slug="ferme", title=f"Fermé {SENTINEL}", visibility=Visibility.RESTRICTED, members=[stranger]
    )
    secret = make_topic(stranger, closed, title=f"Sujet {SENTINEL}", body=SENTINEL)
    return {"space": open_space, "topic": topic, "closed": closed, "secret": secret}


def test_a_member_reads_spaces_topics_and_posts(owner_api, places):
    spaces = owner_api.get(f"{BASE}/spaces").json()
    assert [s["slug"] for s in spaces["items"]] == ["ouvert"] and spaces["count"] == 1
    topics = owner_api.get(f"{BASE}/spaces/ouvert/topics").json()
    assert topics["count"] == 1 and topics["items"][0]["title"] == "Bonjour"
    assert topics["items"][0]["author"] == "Dominique"  # the stranger (conftest)
    posts = owner_api.get(f"{BASE}/topics/{places['topic'].pk}/posts").json()
    assert [p["body"] for p in posts["items"]] == ["Premier"]
    assert posts["items"][0]["html"] == "<p>Premier</p>" and posts["items"][0]["supported"] is False


def test_a_closed_group_is_a_404_everywhere_for_those_outside_it(owner_api, places):
    secret = places["secret"]
    post = secret.posts.get()
    for url in (
        f"{BASE}/spaces/ferme",
        f"{BASE}/spaces/ferme/topics",
        f"{BASE}/topics/{secret.pk}",
        f"{BASE}/topics/{secret.pk}/posts",
        f"{BASE}/posts/{post.pk}",
    ):
        response = owner_api.get(url)
        assert response.status_code == 404 and SENTINEL not in response.content.decode(), url
    assert SENTINEL not in owner_api.get(f"{BASE}/spaces").content.decode()
    assert json_post(owner_api, f"{BASE}/topics/{secret.pk}/posts", {"body": "Hé"}).status_code == 404
    assert json_post(owner_api, f"{BASE}/spaces/ferme/topics", {"title": "x", "body": "y"}).status_code == 404
    assert owner_api.put(f"{BASE}/posts/{post.pk}/support").status_code == 404
    assert not Reaction.objects.exists() and secret.posts.count() == 1


def test_a_member_of_the_group_reads_it(stranger, make_token, places):
    client = api_client(make_token(stranger))
    assert client.get(f"{BASE}/topics/{places['secret'].pk}/posts").json()["items"][0]["body"] == SENTINEL


def test_posting_follows_the_site_rules(owner, owner_api, places):
    created = json_post(owner_api, f"{BASE}/spaces/ouvert/topics", {"title": "Une question", "body": "Texte"})
    assert created.status_code == 201
    topic = Topic.objects.get(pk=created.json()["id"])
    assert topic.author == owner and created.json()["status"] == "published"
    reply = json_post(
        owner_api,
        f"{BASE}/topics/{places['topic'].pk}/posts",
        {"body": "Merci", "anonymous": True, "quoted_id": str(places["topic"].posts.get().pk)},
    )
    assert reply.status_code == 201
    assert reply.json()["author"] is None and reply.json()["anonymous"] is True
    assert reply.json()["number"] == 2 and reply.json()["quoted_id"]
    empty = json_post(owner_api, f"{BASE}/topics/{places['topic'].pk}/posts", {"body": "  "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "body"
    # An anonymous post stays anonymous when read back.
    read = owner_api.get(f"{BASE}/posts/{reply.json()['id']}").json()
    assert read["author"] is None


def test_support_is_idempotent_and_counted(owner_api, places):
    post = places["topic"].posts.get()
    url = f"{BASE}/posts/{post.pk}/support"
    for _ in range(2):
        answer = owner_api.put(url)
        assert answer.status_code == 200 and answer.json()["support_count"] == 1
        assert answer.json()["supported"] is True
    assert owner_api.delete(url).json() == owner_api.get(f"{BASE}/posts/{post.pk}").json()
    post.refresh_from_db()
    assert post.support_count == 0


def test_a_read_token_reads_but_does_not_post(reader_api, places):
    assert reader_api.get(f"{BASE}/spaces").status_code == 200
    assert (
        json_post(reader_api, f"{BASE}/spaces/ouvert/topics", {"title": "a", "body": "b"}).status_code == 403
    )
    assert reader_api.put(f"{BASE}/posts/{places['topic'].posts.get().pk}/support").status_code == 403


def test_a_token_without_the_community_area_is_refused(owner, places):
    from entraide.api import services as api_services

    _, secret = api_services.create_token(owner, name="Journal", days=30, areas={"journal": "read_write"})
    assert api_client(secret).get(f"{BASE}/spaces").status_code == 403


@pytest.mark.parametrize("slug", ["a b", "x" * 61, "é"])
def test_a_malformed_space_address_is_a_422(owner_api, slug):
    assert owner_api.get(f"{BASE}/spaces/{slug}").status_code == 422


def test_lists_make_a_fixed_number_of_queries(owner, owner_api, places):
    topic = places["topic"]
    urls = [f"{BASE}/spaces", f"{BASE}/spaces/ouvert/topics", f"{BASE}/topics/{topic.pk}/posts"]
    owner_api.get(urls[0])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert owner_api.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = [count(url) for url in urls]
    for n in range(6):
        person = make_user(f"Membre{n}")
        make_topic(person, places["space"], title=f"Sujet {n}")
        reply = services.add_reply(person, topic, body=f"Réponse {n}", anonymous=n % 2 == 0)
        services.support_post(owner, reply, support=True)
        make_space(slug=f"espace-{n}")
    assert [count(url) for url in urls] == before
    items = owner_api.get(urls[2]).json()["items"]
    assert sum(p["supported"] for p in items) == 6 and Post.objects.count() > 6


def test_anonymity_is_refused_where_the_space_does_not_allow_it(owner_api):
    space = make_space(slug="signe")
    topic = make_topic(make_user("Autre"), space)
    refused = json_post(owner_api, f"{BASE}/topics/{topic.pk}/posts", {"body": "Moi", "anonymous": True})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "anonymous"
    assert topic.posts.count() == 1
    started = json_post(
        owner_api, "/api/v1/community/spaces/signe/topics", {"title": "T", "body": "B", "anonymous": True}
    )
    assert started.status_code == 422


def test_an_anonymous_author_is_named_nowhere_in_the_api(owner, owner_api, places):
    topic = make_topic(owner, places["space"], title="Sans nom", anonymous=True)
    services.add_reply(owner, topic, body="Toujours moi", anonymous=True)
    posts = owner_api.get(f"{BASE}/topics/{topic.pk}/posts").json()["items"]
    assert [p["author"] for p in posts] == [None, None]
    assert owner_api.get(f"{BASE}/topics/{topic.pk}").json()["author"] is None
    listed = owner_api.get(f"{BASE}/spaces/ouvert/topics").json()["items"]
    assert [t["author"] for t in listed if t["title"] == "Sans nom"] == [None]
