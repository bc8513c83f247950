"""What the safety pages share: the plan as the templates read it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from entraide.safety import values as v
from entraide.safety.models import SafetyPlan

# "Garder sur cet appareil" is a choice for one device, kept in that device's session (see
# docs/safety.md): it ends with the session, as the offline copy does (Clear-Site-Data at logout).
OFFLINE_KEY = "safety_plan_offline"


def plan_steps(plan: SafetyPlan | None) -> list[dict[str, Any]]:
    """The seven blocks (six steps, then the reasons for living) with their items."""
    return [{"step": s, "items": plan.items(s.key) if plan is not None else []} for s in v.STEPS]


def is_empty(plan: SafetyPlan | None) -> bool:
    return plan is None or not any(plan.items(key) for key in v.STEP_KEYS)


def keeps_offline(request: HttpRequest) -> bool:
    return bool(request.session.get(OFFLINE_KEY, False))
