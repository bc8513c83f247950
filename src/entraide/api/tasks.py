"""The API's periodic work: forgetting idempotency keys after 24 hours (core's housekeeping
cannot: core imports no app)."""

from __future__ import annotations

from datetime import timedelta

from entraide.api import services
from entraide.core import jobs


@jobs.periodic("api.prune_idempotency_keys", every=timedelta(hours=1))
@jobs.job(max_attempts=3)
def prune_idempotency_keys(due: str) -> None:
    services.prune_idempotent_writes()
