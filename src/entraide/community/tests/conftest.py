from __future__ import annotations

import pytest
from django.test import Client

from conftest import make_user


@pytest.fixture
def member(db):
    """Another member of the instance, on no closed group's list."""
    return make_user("Morgane")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
