"""The safety app listens to ``core.signals.crisis_signalled``: whichever app the person signalled a
crisis in, a crisis moment is recorded in their space (core declares the signal; no app imports
another)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from entraide.core.signals import crisis_signalled
from entraide.safety import services


@receiver(crisis_signalled, dispatch_uid="safety_record_crisis_moment")
def record_crisis_moment(sender: Any, person: Any, source: str, **kwargs: Any) -> None:
    services.record_crisis_moment(person, source=source, cause=str(kwargs.get("cause") or ""))
