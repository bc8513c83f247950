"""A pause or a moderators' suspension in the community never touches the person's private
space, ``/aide/`` or their circle (issue 21). Here, not in the community's tests: the community
app must not import those apps, and this test walks their pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from entraide.community import moderation, pause, services
from entraide.community.models import ActionKind
from entraide.community.tests.factories import make_space, make_topic

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    return [
        reverse("journal:today"),
        reverse("journal:checkin-new"),
        reverse("core:crisis-help"),
        reverse("circle:home"),
    ]


def test_a_paused_and_a_suspended_member_keep_their_own_space_help_and_circle(owner, stranger, moderator):
    pause.pause_member(owner, until=timezone.now() + timedelta(days=7))
    topic = make_topic(stranger, make_space())
    moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(topic.posts.get().pk),
        action=ActionKind.SUSPEND,
        reason="Une semaine sans écrire.",
        options=moderation.Options(until=timezone.now() + timedelta(days=7)),
    )
    assert pause.paused_until(owner) is not None and moderation.suspended_until(stranger) is not None
    for person in (owner, stranger):
        client = client_for(person)
        for url in _pages():
            assert client.get(url).status_code == 200, (person.pseudonym, url)
