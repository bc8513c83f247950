"""Loading a person's own safety plan and crisis moments. They never take a viewer: another
person's data goes through circle's gate first (ARCHITECTURE.md). Another person's row is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from entraide.safety.models import CrisisMoment, SafetyPlan


def filter_plans_of(owner: Any, qs: QuerySet[SafetyPlan] | None = None) -> QuerySet[SafetyPlan]:
    return (SafetyPlan.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def find_plan_of(owner: Any) -> SafetyPlan | None:
    """The person's plan, or ``None`` when they have not written one yet."""
    return filter_plans_of(owner).order_by("id").first()


def filter_moments_of(owner: Any, qs: QuerySet[CrisisMoment] | None = None) -> QuerySet[CrisisMoment]:
    return (CrisisMoment.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_moment_of(owner: Any, moment_id: uuid.UUID | str) -> CrisisMoment:
    try:
        moment = filter_moments_of(owner).filter(pk=moment_id).first()
    except (ValueError, ValidationError):
        moment = None
    if moment is None:
        raise Http404
    return moment
