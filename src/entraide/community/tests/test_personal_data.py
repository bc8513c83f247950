"""A member's posts in their export (anonymous ones too); erasure empties them (or deletes them,
by the instance's choice) and their quotes lose their attribution."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from conftest import client_for
from entraide.community import services
from entraide.community.models import Image, Post, Space, Topic
from entraide.community.tests.factories import make_space, make_topic, png_file
from entraide.core import instance, personal_data
from entraide.core.content import uploads

pytestmark = pytest.mark.django_db


def parts_of(person):
    archive = zipfile.ZipFile(io.BytesIO(personal_data.build_export(person)))
    manifest = json.loads(archive.read("manifest.json"))
    return {p["key"]: json.loads(archive.read(p["file"]))["records"] for p in manifest["parts"]}


def test_export_holds_the_posts_anonymous_ones_included(owner, stranger):
    space = make_space(anonymous_allowed=True)
    topic = make_topic(owner, space, title="Mon sujet", body="Visible")
    services.add_reply(owner, topic, body="En secret", anonymous=True, content_warning="deuil")
    services.add_reply(stranger, topic, body="Pas à Camille")
    parts = parts_of(owner)
    bodies = [(p["body"], p["anonymous"], p["content_warning"]) for p in parts["community.posts"]]
    assert bodies == [("Visible", False, ""), ("En secret", True, "deuil")]
    assert [t["title"] for t in parts["community.topics"]] == ["Mon sujet"]


@pytest.fixture
def conversation(owner, stranger):
    space = make_space()
    topic = make_topic(owner, space, title="Ma question", body="Texte d'origine")
    quoted = topic.posts.get()
    services.add_reply(
        owner, topic, body="Une image", image=uploads.clean_image(png_file()), image_description="photo"
    )
    reply = services.add_reply(stranger, topic, body="> Texte d'origine\n\nJe réponds", quoted=quoted)
    return space, topic, reply


def test_erasure_empties_the_posts_and_the_quotes_lose_their_attribution(
    conversation, owner, stranger, data_dir, django_capture_on_commit_callbacks
):
    space, topic, reply = conversation
    stored = Image.objects.get().stored_name
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase_person(owner)
    left = Post.objects.filter(topic=topic, author_left=True)
    assert left.count() == 2
    assert set(left.values_list("body", "body_html", "author")) == {("", "", None)}
    topic.refresh_from_db()
    assert topic.title == "" and topic.author_left and topic.post_count == 3
    assert not Image.objects.exists() and not (data_dir / "uploads" / stored).exists()
    html = (
        client_for(stranger)
        .get(reverse("community:topic", kwargs={"space_slug": space.slug, "topic_id": topic.pk}))
        .content.decode()
    )
    assert "Message from a member who left." in html
    assert "Topic of a member who left" in html
    assert "Camille" not in html  # the attribution is gone; the quoted lines are the replier's own
    assert "Je réponds" in html
    reply.refresh_from_db()
    assert reply.quoted is not None and reply.quoted.author is None


def test_erasure_deletes_the_posts_when_the_instance_says_so(conversation, owner):
    space, topic, reply = conversation
    row = instance.load_settings()
    row.extra = {**row.extra, "community": {"erasure": services.ERASE_DELETE}}
    row.save()
    personal_data.erase_person(owner)
    assert list(Post.objects.values_list("body", flat=True)) == ["> Texte d'origine\n\nJe réponds"]
    reply.refresh_from_db()
    assert reply.quoted is None
    space.refresh_from_db()
    topic.refresh_from_db()
    assert (space.topic_count, space.post_count, topic.post_count) == (1, 1, 1)


def test_erasure_removes_a_topic_left_empty_in_delete_mode(owner):
    space = make_space()
    make_topic(owner, space)
    row = instance.load_settings()
    row.extra = {**row.extra, "community": {"erasure": services.ERASE_DELETE}}
    row.save()
    personal_data.erase_person(owner)
    assert not Topic.objects.exists()
    assert Space.objects.get().topic_count == 0


def test_export_holds_reactions_bookmarks_follows_and_read_positions(owner, stranger):
    space = make_space()
    topic = make_topic(stranger, space, title="Sujet suivi")
    post = topic.posts.get()
    services.support_post(owner, post, support=True)
    services.bookmark_post(owner, post, keep=True)
    services.set_topic_level(owner, topic, level="following")
    services.set_space_level(owner, space, level="muted")
    services.mark_read_up_to(owner, topic, 1)
    parts = parts_of(owner)
    assert [(r["topic"], r["number"]) for r in parts["community.reactions"]] == [("Sujet suivi", 1)]
    assert [(b["topic"], b["number"]) for b in parts["community.bookmarks"]] == [("Sujet suivi", 1)]
    assert sorted((f["topic"] or "", f["space"] or "", f["level"]) for f in parts["community.follows"]) == [
        ("", "Entraide", "muted"),
        ("Sujet suivi", "", "following"),
    ]
    assert [(p["topic"], p["last_read_number"]) for p in parts["community.read_positions"]] == [
        ("Sujet suivi", 1)
    ]
    assert "Sujet suivi" not in json.dumps(parts_of(stranger).get("community.reactions", []))


def test_export_names_no_closed_group_the_person_left(owner, stranger):
    """What they kept in a closed group they left stays in their export, without the group's or
    its topic's title (others' words they no longer read); their own posts keep their place."""
    space = make_space(
        slug="groupe", title="Groupe secret", visibility="restricted", members=[owner, stranger]
    )
    topic = make_topic(stranger, space, title="Sujet secret")
    post = topic.posts.get()
    services.support_post(owner, post, support=True)
    services.bookmark_post(owner, post, keep=True)
    services.set_space_level(owner, space, level="following")
    services.add_reply(owner, topic, body="Ma réponse")  # follows the topic, reads up to it
    inside = json.dumps(parts_of(owner), default=str)
    assert "Groupe secret" in inside and "Sujet secret" in inside
    services.remove_space_member(space, member=owner)
    parts = parts_of(owner)
    kept = {key: parts[key] for key in ("community.reactions", "community.bookmarks", "community.follows")}
    kept["community.read_positions"] = parts["community.read_positions"]
    assert all(kept.values())  # their own rows stay
    assert "secret" not in json.dumps(kept, default=str)
    assert [(p["space"], p["body"]) for p in parts["community.posts"]] == [("Groupe secret", "Ma réponse")]


def test_erasure_takes_the_reactions_back_and_forgets_what_was_kept(owner, stranger):
    from entraide.community.models import Bookmark, Reaction, ReadPosition, Subscription

    topic = make_topic(stranger, make_space())
    post = topic.posts.get()
    services.support_post(owner, post, support=True)
    services.bookmark_post(owner, post, keep=True)
    services.add_reply(owner, topic, body="Je suis là")  # follows and reads the topic
    mine = Post.objects.get(author=owner)
    services.support_post(stranger, mine, support=True)
    personal_data.erase_person(owner)
    post.refresh_from_db()
    assert post.support_count == 0
    for model in (Reaction, Bookmark, Subscription, ReadPosition):
        assert not model.objects.exclude(member=stranger).exists(), model
    # The stranger's support of the erased post stays counted with its row.
    mine.refresh_from_db()
    assert mine.support_count == Reaction.objects.filter(post=mine).count() == 1
