"""Accounts' periodic work."""

from __future__ import annotations

from datetime import timedelta

from entraide.accounts.second_factor_removal import apply_due_second_factor_removals
from entraide.core import jobs


@jobs.periodic("accounts.second_factor_removals", every=timedelta(minutes=15))
@jobs.job(max_attempts=3)
def apply_second_factor_removals(due: str) -> None:
    """Removals whose 24 hours have passed take effect within 15 minutes, even if the person never
    logs in (logging in applies their own at once)."""
    apply_due_second_factor_removals(jobs.now())
