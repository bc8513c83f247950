"""The community's jobs: telling people of a new post, away from the request that wrote it."""

from __future__ import annotations

from entraide.community import services
from entraide.core import jobs


@jobs.job(max_attempts=5, first_delay=30)
def announce_post_job(post_id: str) -> None:
    # Idempotent: notify() keeps one notification per (person, kind, post) by its dedupe key.
    services.announce_post(post_id)
