from __future__ import annotations

import pytest

from entraide.accounts.models import User

REPLY, NEWS, SECURITY = "testapp.reply", "testapp.news", "testapp.security"  # tests/testapp/apps.py


@pytest.fixture
def english_owner(owner: User) -> User:
    owner.preferred_language = "en"
    owner.save(update_fields=["preferred_language"])
    return owner
