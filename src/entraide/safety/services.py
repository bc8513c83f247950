"""Every write to a person's safety plan and crisis moments, named ``verb_object``: pages, the API,
the crisis signal's receiver and the demo data call these, so the rules hold whatever the door.

Rules broken raise ``InvalidValuesError`` (``safety.values``) listing every problem at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from entraide.safety import values as v
from entraide.safety.access import find_plan_of
from entraide.safety.models import CrisisMoment, SafetyPlan

SOURCE_RE = re.compile(r"^[a-z0-9_.-]{1,40}$")


# --- The plan -----------------------------------------------------------------------------------


def save_safety_plan(person: Any, *, steps: Mapping[str, Any], now: datetime | None = None) -> SafetyPlan:
    """Write the whole plan (every step's list, replacing what was there): creates it the first
    time. Saving counts as reading it again: the review date moves to now."""
    plan_values = v.clean_plan(steps)
    now = now or timezone.now()
    plan = find_plan_of(person)
    if plan is None:
        plan = SafetyPlan(id=uuid.uuid4(), owner=person, created_at=now)
        plan.payload = plan_values
        plan.updated_at = plan.reviewed_at = now
        try:
            with transaction.atomic():
                plan.save(force_insert=True)
            return plan
        except IntegrityError:  # saved at the same moment from another tab: update that one
            plan = find_plan_of(person)
            if plan is None:
                raise
    plan.payload = plan_values
    plan.updated_at = plan.reviewed_at = now
    plan.save(update_fields=["payload", "updated_at", "reviewed_at"])
    return plan


def review_safety_plan(plan: SafetyPlan, *, now: datetime | None = None) -> SafetyPlan:
    """The person read their plan again and it still holds ("j'ai relu mon plan")."""
    plan.reviewed_at = now or timezone.now()
    plan.save(update_fields=["reviewed_at"])
    return plan


def delete_safety_plan(plan: SafetyPlan) -> None:
    plan.delete()


# --- Crisis moments -----------------------------------------------------------------------------


def record_crisis_moment(
    person: Any, *, source: str, cause: str = "", now: datetime | None = None
) -> CrisisMoment:
    """Keep the time a person signalled a crisis, and where (a short key: "button", "phq9"; anything
    else is kept as "other"), and ``cause``: the id of the record that signalled it (a questionnaire
    answer), so that a moment caused by a record marked "reste privé" stays private too. Called by
    the receiver of ``core.signals.crisis_signalled``."""
    if not SOURCE_RE.match(source if isinstance(source, str) else ""):
        source = "other"
    moment = CrisisMoment(id=uuid.uuid4(), owner=person, created_at=now or timezone.now())
    moment.payload = {"source": source, "cause": cause[:64]} if cause else {"source": source}
    moment.save(force_insert=True)
    return moment


def delete_crisis_moment(moment: CrisisMoment) -> None:
    moment.delete()
