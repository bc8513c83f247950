"""A restricted space's content never reaches anyone outside it: a sentinel planted in its title,
description, topic, post, content warning and image description is looked for in every page of
the site (the project's page walk), in the community's pages and counts, and in error pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from entraide.community import services
from entraide.community.models import Image, Visibility
from entraide.community.tests.factories import make_space, make_topic, png_file
from entraide.core.content import uploads
from tests.project.test_pages import html_pages

SENTINEL = "SENTINELLE-7f3a"

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_group(owner):
    space = make_space(
        slug="groupe-ferme", title=f"Groupe {SENTINEL}", visibility=Visibility.RESTRICTED, members=[owner]
    )
    space.description = f"Description {SENTINEL}"
    space.save()
    topic = make_topic(
        owner, space, title=f"Sujet {SENTINEL}", body=f"Message {SENTINEL}", content_warning=SENTINEL
    )
    image = uploads.clean_image(png_file())
    services.add_reply(owner, topic, body=f"Réponse {SENTINEL}", image=image, image_description=SENTINEL)
    return space, topic


def outsiders(stranger):
    logged_in = Client()
    logged_in.force_login(stranger)
    return {"member outside the group": logged_in, "logged out": Client()}


def test_the_sentinel_reaches_no_outsider_through_any_page(closed_group, stranger, owner):
    del closed_group  # planted; the walk must not find it
    open_space = make_space(slug="ouvert", title="Ouvert", visibility=Visibility.PUBLIC)
    make_topic(owner, open_space, title="Visible")
    seen = 0
    for who, client in outsiders(stranger).items():
        for url, response in html_pages(client):
            assert SENTINEL not in response.content.decode(), (who, url)
            seen += 1
        listing = client.get(reverse("community:spaces")).content.decode()
        # The counts shown are the visible spaces' own: one topic in the open space, none other.
        assert "groupe-ferme" not in listing and "2 messages" not in listing
    assert seen > 20


def test_the_closed_group_answers_404_without_the_sentinel(closed_group, stranger):
    space, topic = closed_group
    image = Image.objects.get(space=space)
    logged_in = outsiders(stranger)["member outside the group"]
    for url in (
        reverse("community:space", kwargs={"space_slug": space.slug}),
        reverse("community:topic", kwargs={"space_slug": space.slug, "topic_id": topic.pk}),
        reverse("community:topic-new", kwargs={"space_slug": space.slug}),
        reverse("community:image", kwargs={"image_id": image.pk}),
        reverse("community:topic", kwargs={"space_slug": space.slug, "topic_id": topic.pk}) + "?citer=x",
    ):
        response = logged_in.get(url)
        assert response.status_code == 404, url
        assert SENTINEL not in response.content.decode(), url
    # Logged out: sent to log in, like for any unknown address, so nothing tells it exists.
    anonymous = Client()
    known = anonymous.get(reverse("community:space", kwargs={"space_slug": space.slug}))
    unknown = anonymous.get(reverse("community:space", kwargs={"space_slug": "nexiste-pas"}))
    assert known.status_code == unknown.status_code == 302
    assert SENTINEL not in known.content.decode()


def test_a_member_added_to_the_group_sees_it_and_a_removed_one_no_longer(closed_group, stranger):
    space, topic = closed_group
    client = outsiders(stranger)["member outside the group"]
    url = reverse("community:topic", kwargs={"space_slug": space.slug, "topic_id": topic.pk})
    services.add_space_member(space, member=stranger)
    assert SENTINEL in client.get(url).content.decode()
    services.remove_space_member(space, member=stranger)
    assert client.get(url).status_code == 404


def test_members_see_the_group_in_the_list_others_do_not(closed_group, owner):
    inside = Client()
    inside.force_login(owner)
    assert SENTINEL in inside.get(reverse("community:spaces")).content.decode()
    newcomer = Client()
    newcomer.force_login(make_user("Nouveau"))
    assert SENTINEL not in newcomer.get(reverse("community:spaces")).content.decode()
