"""Spaces, topics and replies through the pages: the author, another member, someone outside a
closed group, and a visitor who is not logged in."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, make_user
from entraide.community import services
from entraide.community.models import Image, Post, Space, Visibility
from entraide.community.tests.factories import make_space, make_topic, png_file

pytestmark = pytest.mark.django_db


def topic_url(topic):
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def reply_url(topic):
    return reverse("community:reply", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def form_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def post_reply(client, topic, **data):
    token = form_token(client, topic_url(topic))
    return client.post(reply_url(topic), {"form_token": token, "body": "", **data})


def test_a_member_reads_a_space_and_replies(owner, member):
    space = make_space()
    topic = make_topic(owner, space, title="Les nuits", body="Je dors *mal*.")
    client = client_for(member)
    page = client.get(reverse("community:space", kwargs={"space_slug": space.slug}))
    assert page.status_code == 200
    assert "Les nuits" in page.content.decode()
    response = post_reply(client, topic, body="Moi aussi, **courage**.")
    assert response.status_code == 302
    assert response["Location"].endswith("#message-2")
    post = Post.objects.get(topic=topic, number=2)
    assert post.author == member
    html = client.get(topic_url(topic)).content.decode()
    assert "<strong>courage</strong>" in html and "<em>mal</em>" in html
    assert html.count("<h1") == 1
    space.refresh_from_db()
    topic.refresh_from_db()
    assert (space.topic_count, space.post_count, topic.post_count) == (1, 2, 2)


def test_a_double_submit_posts_once(owner, member):
    topic = make_topic(owner, make_space())
    client = client_for(member)
    token = form_token(client, topic_url(topic))
    for _ in range(2):
        assert client.post(reply_url(topic), {"form_token": token, "body": "Une fois"}).status_code == 302
    assert Post.objects.filter(topic=topic).count() == 2


def test_an_empty_reply_is_refused_kindly_and_nothing_typed_is_lost(owner, member):
    topic = make_topic(owner, make_space())
    response = post_reply(client_for(member), topic, body="   ", content_warning="deuil")
    assert response.status_code == 400
    assert "Write your message." in response.content.decode()
    assert 'value="deuil"' in response.content.decode()


def test_a_new_topic_from_the_form(member):
    space = make_space()
    client = client_for(member)
    url = reverse("community:topic-new", kwargs={"space_slug": space.slug})
    token = form_token(client, url)
    response = client.post(url, {"form_token": token, "title": "Première fois ici", "body": "Bonjour à tous"})
    assert response.status_code == 302
    assert space.topics.get().title == "Première fois ici"


def test_content_warning_folds_the_post_under_it(owner, member):
    topic = make_topic(owner, make_space(), body="Ce qui s'est passé.", content_warning="deuil")
    html = client_for(member).get(topic_url(topic)).content.decode()
    folded = re.search(
        r'<details class="content-warning">\s*<summary>(.*?)</summary>(.*?)</details>', html, re.S
    )
    assert folded is not None
    assert "deuil" in folded.group(1)
    assert "Ce qui s&#x27;est passé." in folded.group(2) or "Ce qui s'est passé." in folded.group(2)


def test_quote_prefills_the_reply_then_names_the_quoted_member(owner, member):
    topic = make_topic(owner, make_space(), body="Première ligne\nDeuxième ligne")
    first = topic.posts.get()
    client = client_for(member)
    html = client.get(topic_url(topic), {"citer": str(first.pk)}).content.decode()
    assert "&gt; Première ligne\n&gt; Deuxième ligne" in html
    assert f'name="quoted" value="{first.pk}"' in html
    response = post_reply(client, topic, body="> Première ligne\n\nJe comprends.", quoted=str(first.pk))
    assert response.status_code == 302
    reply = Post.objects.get(topic=topic, number=2)
    assert reply.quoted == first
    html = client.get(topic_url(topic)).content.decode()
    assert "Quoting message 1" in html and "(Camille)" in html


def test_a_quote_of_another_topic_is_ignored(owner, member):
    space = make_space()
    elsewhere = make_topic(owner, space, title="Ailleurs", body="Ailleurs")
    topic = make_topic(owner, space)
    html = client_for(member).get(topic_url(topic), {"citer": str(elsewhere.posts.get().pk)}).content.decode()
    assert "&gt; Ailleurs" not in html


def test_an_anonymous_post_shows_no_pseudonym(owner, member):
    topic = make_topic(owner, make_space(anonymous_allowed=True), body="Sans nom", anonymous=True)
    html = client_for(member).get(topic_url(topic)).content.decode()
    assert "Anonymous member" in html
    assert "Camille" not in html


def test_xss_in_title_body_warning_and_pseudonym_is_neutralised(member):
    author = make_user("Evil")
    author.pseudonym = '<img src=x onerror="alert(1)">'
    author.save(update_fields=["pseudonym"])
    space = make_space(title="<b>space</b>")
    topic = make_topic(
        author,
        space,
        title="<script>alert('t')</script>",
        body='<script>alert("b")</script>[x](javascript:alert(1))',
        content_warning="<i onmouseover=alert(1)>cw</i>",
    )
    client = client_for(member)
    for url in (
        reverse("community:spaces"),
        reverse("community:space", kwargs={"space_slug": space.slug}),
        topic_url(topic),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html and "<i onmouseover" not in html, url
        assert 'href="javascript' not in html, url
        assert "<b>space</b>" not in html, url


def test_anonymous_visitors_read_public_spaces_only(owner):
    public = make_space(slug="ouvert", title="Ouvert", visibility=Visibility.PUBLIC)
    members = make_space(slug="membres", title="Membres")
    topic = make_topic(owner, public, title="Public")
    hidden = make_topic(owner, members, title="Pour les membres")
    client = client_for()
    listing = client.get(reverse("community:spaces")).content.decode()
    assert "Ouvert" in listing and "Membres" not in listing
    page = client.get(topic_url(topic))
    assert page.status_code == 200
    assert 'action="' + reply_url(topic) not in page.content.decode()
    assert client.get(topic_url(hidden))["Location"].startswith(reverse("account_login"))
    # Writing always needs an account, in a public space too.
    assert client.post(reply_url(topic), {"body": "x"}).status_code == 302
    assert Post.objects.filter(topic=topic).count() == 1


def test_a_restricted_space_is_a_404_for_a_member_outside_it(owner, member):
    space = make_space(slug="groupe", title="Groupe", visibility=Visibility.RESTRICTED, members=[owner])
    topic = make_topic(owner, space)
    inside, outside = client_for(owner), client_for(member)
    assert inside.get(topic_url(topic)).status_code == 200
    for url in (
        reverse("community:space", kwargs={"space_slug": space.slug}),
        reverse("community:topic-new", kwargs={"space_slug": space.slug}),
        topic_url(topic),
    ):
        assert outside.get(url).status_code == 404, url
    assert outside.post(reply_url(topic), {"body": "x"}).status_code == 404
    assert Post.objects.filter(topic=topic).count() == 1


def test_an_image_is_stored_shown_and_served_under_the_space_rules(owner, member, data_dir):
    space = make_space(slug="groupe", visibility=Visibility.RESTRICTED, members=[owner])
    topic = make_topic(owner, space)
    client = client_for(owner)
    response = post_reply(client, topic, body="Regardez", image=png_file(), image_description="Un arbre")
    assert response.status_code == 302
    image = Image.objects.get()
    assert (data_dir / "uploads" / image.stored_name).exists()
    url = reverse("community:image", kwargs={"image_id": image.pk})
    assert f'<img alt="Un arbre" src="{url}">' in client.get(topic_url(topic)).content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert client_for(member).get(url).status_code == 404
    assert client_for().get(url).status_code == 302


def test_a_file_that_is_not_an_image_is_refused_with_the_text_kept(owner):
    import io

    topic = make_topic(owner, make_space())
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "photo.png"
    response = post_reply(client_for(owner), topic, body="Mon texte", image=fake)
    assert response.status_code == 400
    html = response.content.decode()
    assert "JPEG, PNG or WebP" in html and "Mon texte" in html
    assert not Image.objects.exists()


def test_topic_pages_hold_fifty_posts(owner, member):
    topic = make_topic(owner, make_space())
    for n in range(50):
        services.add_reply(member, topic, body=f"Réponse {n}")
    client = client_for(member)
    first = client.get(topic_url(topic)).content.decode()
    second = client.get(topic_url(topic), {"page": 2}).content.decode()
    assert first.count('class="post"') == 50 and second.count('class="post"') == 1
    assert "Réponse 49" in second


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_topic_list_and_topic_page_make_few_queries_whatever_their_length(
    owner, member, django_assert_max_num_queries
):
    space = make_space()
    topic = make_topic(owner, space)
    client = client_for(member)
    space_url = reverse("community:space", kwargs={"space_slug": space.slug})
    client.get(space_url)  # the session and the instance settings, once
    few_topics, few_posts = _queries(client, space_url), _queries(client, topic_url(topic))
    for n in range(12):
        other = make_topic(make_user(f"Auteur{n}"), space, title=f"Sujet {n}")
        services.add_reply(make_user(f"Repondant{n}"), topic, body=f"Réponse {n}", quoted=other.posts.get())
    assert _queries(client, space_url) == few_topics
    assert _queries(client, topic_url(topic)) == few_posts
    with django_assert_max_num_queries(8):
        client.get(topic_url(topic))
    with django_assert_max_num_queries(8):  # 7, and the member's follow state on the space
        client.get(space_url)


def test_only_administrators_manage_spaces(admin_user, member):
    client = client_for(member)
    assert client.get(reverse("community_manage:spaces")).status_code == 403
    assert client.post(reverse("community_manage:space-new"), {"title": "x"}).status_code == 403
    admin = client_for(admin_user)
    url = reverse("community_manage:space-new")
    token = form_token(admin, url)
    response = admin.post(
        url,
        {
            "form_token": token,
            "title": "Parents",
            "slug": "parents",
            "description": "",
            "charter": "Pas de conseils médicaux.",
            "visibility": "restricted",
            "position": 10,
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(slug="parents")
    assert space.visibility == Visibility.RESTRICTED and space.created_by == admin_user
    add = admin.post(
        reverse("community_manage:member-add", kwargs={"space_id": space.pk}), {"pseudonym": "morgane"}
    )
    assert add.status_code == 302
    assert list(space.memberships.values_list("member", flat=True)) == [member.pk]


def test_a_reserved_or_taken_address_is_refused(admin_user):
    make_space(slug="parents")
    admin = client_for(admin_user)
    url = reverse("community_manage:space-new")
    for slug in ("parents", "images"):
        token = form_token(admin, url)
        data = {"form_token": token, "title": "T", "slug": slug, "visibility": "members", "position": 1}
        assert admin.post(url, data).status_code == 400


def test_a_get_on_the_reply_address_shows_the_last_page_and_its_form(owner, member):
    topic = make_topic(owner, make_space(), body="Le tout premier")
    response = client_for(member).get(reply_url(topic))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le tout premier" in html and 'id="repondre"' in html


def test_replying_needs_an_account_even_in_a_public_space(owner):
    topic = make_topic(owner, make_space(visibility=Visibility.PUBLIC))
    response = client_for().post(reply_url(topic), {"body": "Bonjour"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert topic.posts.count() == 1
