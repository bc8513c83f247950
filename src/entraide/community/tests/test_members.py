"""What a member does around the posts: "je te soutiens", bookmarks, follow and mute, how far they
read (the topic opens at the first unread post, the "Non lus" list). As the author, another member,
a member outside a closed group and a visitor who is not logged in; no GET changes anything."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import client_for, make_user
from entraide.community import services
from entraide.community.models import Bookmark, Post, Reaction, ReadPosition, Subscription, Visibility
from entraide.community.tests.factories import make_space, make_topic

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def topic_url(topic):
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def post_action(name, post):
    topic = post.topic
    return reverse(
        f"community:{name}",
        kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk, "post_id": post.pk},
    )


def read_url(topic):
    return reverse("community:topic-read", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def opening(topic) -> Post:
    return topic.posts.get(number=1)


@pytest.fixture
def closed_topic(owner):
    space = make_space(slug="groupe", visibility=Visibility.RESTRICTED, members=[owner])
    return make_topic(owner, space)


# --- "Je te soutiens" ---------------------------------------------------------------------------


def test_a_member_supports_a_post_once_and_takes_it_back(owner, member):
    topic = make_topic(owner, make_space())
    post = opening(topic)
    client = client_for(member)
    url = post_action("post-support", post)
    for _ in range(2):  # a double submit counts once
        response = client.post(url, {"support": "yes"})
        assert response.status_code == 302
        assert response["Location"] == f"{topic_url(topic)}?page=1#message-1"
    post.refresh_from_db()
    assert post.support_count == 1 and Reaction.objects.get().member == member
    page = client.get(f"{topic_url(topic)}?page=1").content.decode()
    assert "1 member supports this" in page and 'aria-pressed="true"' in page
    client.post(url, {"support": "no"})
    post.refresh_from_db()
    assert post.support_count == 0 and not Reaction.objects.exists()


def test_support_with_htmx_answers_the_button_alone(owner, member):
    post = opening(make_topic(owner, make_space()))
    response = client_for(member).post(post_action("post-support", post), {"support": "yes"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<form") and 'aria-pressed="true"' in html and 'value="no"' in html
    assert "1 member supports this" in html


def _unmasked(html: str) -> str:
    """The markup with its CSRF token left out: each response masks the token afresh."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html).strip()


@pytest.mark.parametrize(("action", "field"), [("post-support", "support"), ("post-bookmark", "keep")])
def test_the_htmx_answer_of_a_button_is_the_form_the_page_wrote(owner, member, action, field):
    """The topic page writes each post's buttons out in its loop, their htmx answers come from
    partials: both must give the same markup, pressed or not, counted or not."""
    post = opening(make_topic(owner, make_space()))
    services.support_post(make_user("Sacha"), post, support=True)  # a count to show
    client = client_for(member)
    url = post_action(action, post)
    form = re.compile(rf'<form method="post" action="{re.escape(url)}".*?</form>')
    for value in ("yes", "no", "yes"):
        page = client.get(topic_url(post.topic)).content.decode()
        answer = client.post(url, {field: value}, **HTMX).content.decode()
        after = client.get(topic_url(post.topic)).content.decode()
        assert _unmasked(form.search(page).group()) != _unmasked(answer)  # the button changed
        assert _unmasked(form.search(after).group()) == _unmasked(answer)


def test_the_author_sees_the_same_count_in_the_page_and_after_pressing(owner, member):
    post = opening(make_topic(owner, make_space()))
    services.support_post(member, post, support=True)
    client = client_for(owner)
    page = client.get(topic_url(post.topic)).content.decode()
    answer = client.post(post_action("post-support", post), {"support": "yes"}, **HTMX).content.decode()
    assert answer.strip() == '<span class="support-count">1 member supports you</span>'
    assert answer.strip() in page


def test_the_author_cannot_support_their_own_post_but_sees_the_count(owner, member):
    post = opening(make_topic(owner, make_space()))
    client_for(owner).post(post_action("post-support", post), {"support": "yes"})
    assert not Reaction.objects.exists()
    services.support_post(member, post, support=True)
    page = client_for(owner).get(topic_url(post.topic)).content.decode()
    assert "1 member supports you" in page
    assert post_action("post-support", post) not in page


def test_support_is_a_404_outside_a_closed_group_and_a_login_when_logged_out(closed_topic, member):
    post = opening(closed_topic)
    url = post_action("post-support", post)
    assert client_for(member).post(url, {"support": "yes"}).status_code == 404
    response = client_for().post(url, {"support": "yes"})
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
    assert not Reaction.objects.exists()


def test_no_get_changes_anything(owner, member):
    topic = make_topic(owner, make_space())
    services.add_reply(owner, topic, body="Deux")
    post = opening(topic)
    client = client_for(member)
    for url in (
        post_action("post-support", post) + "?support=yes",
        post_action("post-bookmark", post) + "?keep=yes",
        read_url(topic) + "?number=2",
        reverse("community:topic-follow", kwargs={"space_slug": "entraide", "topic_id": topic.pk})
        + "?level=muted",
        reverse("community:space-follow", kwargs={"space_slug": "entraide"}) + "?level=following",
    ):
        assert client.get(url).status_code == 405, url
    assert client.get(topic_url(topic)).status_code == 200
    assert client.get(reverse("community:unread")).status_code == 200
    assert client.get(reverse("community:bookmarks")).status_code == 200
    for model in (Reaction, Bookmark, ReadPosition):
        assert not model.objects.filter(member=member).exists(), model
    assert not Subscription.objects.filter(member=member).exists()


# --- Bookmarks -----------------------------------------------------------------------------------


def test_bookmarks_are_listed_and_removed(owner, member):
    topic = make_topic(owner, make_space(), title="Un sujet à garder")
    post = opening(topic)
    client = client_for(member)
    response = client.post(post_action("post-bookmark", post), {"keep": "yes"}, **HTMX)
    assert "Remove from my bookmarks" in response.content.decode()
    page = client.get(reverse("community:bookmarks")).content.decode()
    assert "Un sujet à garder" in page and f"{topic_url(topic)}#message-1" in page
    response = client.post(post_action("post-bookmark", post), {"keep": "no", "from": "favoris"})
    assert response["Location"] == reverse("community:bookmarks")
    assert not Bookmark.objects.exists()


def test_a_bookmark_in_a_group_one_left_is_no_longer_shown(closed_topic, owner, member):
    space = closed_topic.space
    services.add_space_member(space, member=member)
    services.bookmark_post(member, opening(closed_topic), keep=True)
    client = client_for(member)
    assert closed_topic.title in client.get(reverse("community:bookmarks")).content.decode()
    services.remove_space_member(space, member=member)
    assert closed_topic.title not in client.get(reverse("community:bookmarks")).content.decode()


# --- Follow and mute -----------------------------------------------------------------------------


def test_posting_follows_the_topic_unless_it_was_muted(owner, member):
    topic = make_topic(owner, make_space())
    assert Subscription.objects.get(member=owner, topic=topic).level == "following"
    services.set_topic_level(member, topic, level="muted")
    services.add_reply(member, topic, body="Quand même")
    assert Subscription.objects.get(member=member, topic=topic).level == "muted"


def test_a_member_follows_mutes_and_forgets_a_topic_and_a_space(owner, member):
    topic = make_topic(owner, make_space())
    client = client_for(member)
    url = reverse("community:topic-follow", kwargs={"space_slug": "entraide", "topic_id": topic.pk})
    assert client.post(url, {"level": "muted", "page": "1"}).status_code == 302
    assert Subscription.objects.get(member=member).level == "muted"
    client.post(url, {"level": "following"})
    assert Subscription.objects.get(member=member).level == "following"
    assert "You follow this topic" in client.get(f"{topic_url(topic)}?page=1").content.decode()
    client.post(url, {"level": ""})
    assert not Subscription.objects.filter(member=member).exists()
    space_url = reverse("community:space-follow", kwargs={"space_slug": "entraide"})
    client.post(space_url, {"level": "following"})
    assert Subscription.objects.get(member=member).space == topic.space


def test_following_is_a_404_outside_a_closed_group(closed_topic, member):
    url = reverse("community:topic-follow", kwargs={"space_slug": "groupe", "topic_id": closed_topic.pk})
    assert client_for(member).post(url, {"level": "following"}).status_code == 404
    space_url = reverse("community:space-follow", kwargs={"space_slug": "groupe"})
    assert client_for(member).post(space_url, {"level": "following"}).status_code == 404
    assert not Subscription.objects.filter(member=member).exists()


# --- Unread ---------------------------------------------------------------------------------------


def test_the_read_position_moves_forward_by_post_only(owner, member):
    topic = make_topic(owner, make_space())
    for n in range(3):
        services.add_reply(owner, topic, body=f"Réponse {n}")
    client = client_for(member)
    assert client.post(read_url(topic), {"number": "2"}, **HTMX).status_code == 204
    assert ReadPosition.objects.get(member=member).last_read_number == 2
    client.post(read_url(topic), {"number": "1"}, **HTMX)  # never back
    client.post(read_url(topic), {"number": "99"}, **HTMX)  # never past the last post
    client.post(read_url(topic), {"number": "pas un nombre"}, **HTMX)
    assert ReadPosition.objects.get(member=member).last_read_number == 4


def test_a_topic_opens_at_the_first_unread_post(owner, member):
    topic = make_topic(owner, make_space())
    for n in range(60):
        services.add_reply(owner, topic, body=f"Réponse {n}")
    client = client_for(member)
    first = client.get(topic_url(topic))  # never opened: the first page, no redirect
    assert first.status_code == 200 and 'hx-trigger="load"' in first.content.decode()
    client.post(read_url(topic), {"number": "50"}, **HTMX)
    response = client.get(topic_url(topic))
    assert response.status_code == 302 and response["Location"] == f"{topic_url(topic)}?page=2#message-51"
    assert client.get(response["Location"]).status_code == 200  # ?page= given: no loop
    client.post(read_url(topic), {"number": "61"}, **HTMX)
    page = client.get(topic_url(topic))
    assert page.status_code == 200 and 'hx-trigger="load"' not in page.content.decode()  # all read


def test_the_next_page_button_records_the_reading_without_javascript(owner, member):
    topic = make_topic(owner, make_space())
    for n in range(55):
        services.add_reply(owner, topic, body=f"Réponse {n}")
    client = client_for(member)
    page = client.get(topic_url(topic)).content.decode()
    assert f'action="{read_url(topic)}"' in page and 'name="page" value="2"' in page
    response = client.post(read_url(topic), {"number": "50", "page": "2"})
    assert response.status_code == 302 and response["Location"] == f"{topic_url(topic)}?page=2"
    assert ReadPosition.objects.get(member=member).last_read_number == 50
    # The last page: "mark as read" for those without JavaScript, then back to the space.
    response = client.post(read_url(topic), {"number": "56"})
    assert response["Location"] == reverse("community:space", kwargs={"space_slug": "entraide"})


def test_the_unread_list_shows_topics_with_new_posts_in_spaces_one_reads(owner, member, closed_topic):
    space = make_space()
    read_all = make_topic(owner, space, title="Tout lu")
    news = make_topic(owner, space, title="Du nouveau")
    muted = make_topic(owner, space, title="Sourdine")
    never = make_topic(owner, space, title="Jamais ouvert")
    for topic in (read_all, news, muted):
        services.mark_read_up_to(member, topic, 1)
    services.add_reply(owner, news, body="Nouveau")
    services.add_reply(owner, muted, body="Nouveau")
    services.set_topic_level(member, muted, level="muted")
    # A closed group the member read in, then left: its topic is gone from the list.
    services.add_space_member(closed_topic.space, member=member)
    services.mark_read_up_to(member, closed_topic, 1)
    services.add_reply(owner, closed_topic, body="Nouveau")
    services.remove_space_member(closed_topic.space, member=member)
    page = client_for(member).get(reverse("community:unread")).content.decode()
    assert "Du nouveau" in page and "1 new" in page and f"{topic_url(news)}?page=1#message-2" in page
    for title in ("Tout lu", "Sourdine", "Jamais ouvert", closed_topic.title):
        assert title not in page, title
    del never


def test_the_space_list_shows_how_many_posts_are_new(owner, member):
    space = make_space()
    topic = make_topic(owner, space)
    services.mark_read_up_to(member, topic, 1)
    services.add_reply(owner, topic, body="Deux")
    services.add_reply(owner, topic, body="Trois")
    page = client_for(member).get(reverse("community:space", kwargs={"space_slug": space.slug}))
    assert "2 new" in page.content.decode()


def test_member_pages_make_a_fixed_number_of_queries(owner, member, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    space = make_space()
    topic = make_topic(owner, space)
    client = client_for(member)
    urls = [
        f"{topic_url(topic)}?page=1",
        reverse("community:space", kwargs={"space_slug": space.slug}),
        reverse("community:unread"),
        reverse("community:bookmarks"),
    ]
    client.get(urls[0])  # the session and the instance settings, once

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.bookmark_post(member, opening(topic), keep=True)
    services.mark_read_up_to(member, topic, 1)
    services.add_reply(owner, topic, body="Une ligne dans « Non lus »")
    before = {url: count(url) for url in urls}
    for n in range(8):
        other = make_topic(make_user(f"Auteur{n}"), space, title=f"Sujet {n}")
        reply = services.add_reply(make_user(f"Repondant{n}"), topic, body=f"@Morgane {n}")
        services.support_post(member, reply, support=True)
        services.bookmark_post(member, reply, keep=True)
        services.mark_read_up_to(member, other, 1)
        services.add_reply(owner, other, body="Suite")
    after = {url: count(url) for url in urls}
    assert after == before
    # The topic page makes the queries of step 1: the reader's position and follow state come
    # with the topic, their reactions and bookmarks with the posts.
    with django_assert_num_queries(before[urls[0]]):
        client.get(urls[0])
    assert before[urls[0]] <= 8, before
