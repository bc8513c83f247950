"""What the safety pages share: the plan as the templates read it, and the one-time form token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from entraide.core import formtokens
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


def save_once(request: HttpRequest, form: Any, save: Callable[[], str]) -> tuple[str, bool] | None:
    """Run ``save`` once for the posted token: ``(url, first time)``, or ``None`` when the form
    must be shown again (bad token, or values the services refuse)."""
    try:
        return formtokens.submit_once(request.user, request.POST.get(formtokens.FIELD), save)
    except formtokens.InvalidTokenError:
        formtokens.refuse_token(form)
    except v.InvalidValuesError as exc:
        form.add_service_errors(exc)
    return None
