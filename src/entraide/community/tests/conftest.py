from __future__ import annotations

import pytest
from django.test import Client

from conftest import make_user
from entraide.community.tests.factories import set_rules


@pytest.fixture
def member(db):
    """Another member of the instance, on no closed group's list."""
    return make_user("Morgane")


@pytest.fixture(autouse=True)
def _posts_published_at_once(db):
    """The people of these tests were created a moment ago: as new members, their first posts
    would wait for a moderator. Tests about posting see them published at once; the
    moderation tests turn approval back on with ``set_rules(approvals=3)``."""
    set_rules(approvals=0)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
