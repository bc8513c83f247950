"""The circle's periodic work."""

from __future__ import annotations

from datetime import timedelta

from entraide.circle.access import prune_access_events
from entraide.core import jobs


@jobs.periodic("circle.prune_access_events", every=timedelta(days=1))
@jobs.job(max_attempts=3)
def prune_old_access_events(due: str) -> None:
    """Access events are kept 12 months (shown to the person meanwhile), then forgotten."""
    prune_access_events(jobs.now())
