"""The daily digest: every 15 minutes, whoever has reached 08:00 today gets theirs, once."""

from __future__ import annotations

from datetime import timedelta

from entraide.core import jobs
from entraide.notifications import services


@jobs.periodic("notifications.digest", every=timedelta(minutes=15))
@jobs.job(max_attempts=3, first_delay=60)
def send_digests(due: str) -> None:
    # The worker's clock, not the due time: a run delayed past 08:00 still counts as after it.
    services.send_due_digests(jobs.now())
