"""The community seed on a database that holds it already, as a copy of the PostgreSQL seed
template does (bench/postgres.py): the bench person's read positions are made, once. A small
community (one space of 45 topics) stands for the 200,000 posts."""

from __future__ import annotations

import pytest

from bench import seed_community
from entraide.accounts.models import User
from entraide.community.models import Post, ReadPosition

EMAIL = "bench@example.org"


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed_community, "MEMBERS", 5)
    monkeypatch.setattr(seed_community, "SPACES", 1)
    monkeypatch.setattr(seed_community, "TOPICS_PER_SPACE", 45)


@pytest.mark.django_db
def test_a_seeded_database_gets_the_persons_read_positions_once(
    small: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_community.seed()  # what the template holds: the community, no bench person
    person = User.objects.create_user(EMAIL, "une phrase de passe", pseudonym="Banc")

    seed_community.main(EMAIL)

    assert "read positions added" in capsys.readouterr().out
    positions = ReadPosition.objects.filter(member=person)
    assert positions.count() == seed_community.READ_TOPICS_PER_SPACE
    # The even topics two posts short of their end: the unread list's 20 topics.
    behind = [p for p in positions.select_related("topic") if p.last_read_number < p.topic.post_count]
    assert len(behind) == seed_community.READ_TOPICS_PER_SPACE // 2
    assert Post.objects.count() == 50 + 4 * 10 + 40 * 9

    seed_community.main(EMAIL)

    assert "already seeded" in capsys.readouterr().out
    assert positions.count() == seed_community.READ_TOPICS_PER_SPACE
