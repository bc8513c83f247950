"""The circle's periodic work."""

from __future__ import annotations

from datetime import timedelta

from entraide.circle import services
from entraide.circle.access import prune_access_events
from entraide.core import jobs


@jobs.periodic("circle.prune_access_events", every=timedelta(days=1))
@jobs.job(max_attempts=3)
def prune_old_access_events(due: str) -> None:
    """Access events are kept 12 months (shown to the person meanwhile), then forgotten."""
    prune_access_events(jobs.now())


@jobs.periodic("circle.ask_renewals", every=timedelta(days=1))
@jobs.job(max_attempts=3)
def ask_renewals(due: str) -> None:
    """A week before what a person shares ends, ask them (never the supporter) whether to renew."""
    services.ask_renewals(jobs.now())


@jobs.periodic("circle.access_summaries", every=timedelta(days=7))
@jobs.job(max_attempts=3)
def send_access_summaries(due: str) -> None:
    """Once a week, each person whose data was read is told who saw what (unless turned off)."""
    services.send_access_summaries(jobs.now())
