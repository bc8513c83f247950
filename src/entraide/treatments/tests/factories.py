"""Treatments for the tests, made through the services (reminders included), with realistic values."""

from __future__ import annotations

from datetime import date
from typing import Any

from entraide.treatments import services
from entraide.treatments.models import Schedule, ScheduleKind, Treatment

SECRET_NAME = "Lamotrigine-sentinelle"  # must never leave the site: emails, titles, logs
SECRET_DOSE = "137 mg sentinelle"
SECRET_FORM = "gélule-sentinelle"


def make_treatment(owner: Any, **fields: Any) -> Treatment:
    values: dict[str, Any] = {
        "name": SECRET_NAME,
        "dose": SECRET_DOSE,
        "form": SECRET_FORM,
        "prescriber": "Dr Bernard",
        "notes": "Avec un verre d'eau.",
    }
    values.update(fields)
    return services.create_treatment(owner, **values)


def make_schedule(
    treatment: Treatment,
    *,
    kind: str = ScheduleKind.DAILY,
    times: list[str] | None = None,
    starts_on: date | None = None,
    **fields: Any,
) -> Schedule:
    if kind != ScheduleKind.ON_DEMAND and times is None:
        times = ["08:00"]
    return services.add_schedule(treatment, kind=kind, times=times or [], starts_on=starts_on, **fields)


AT_PREP = [  # copied from a prescription by the person, as in the tests: entraide proposes none
    {"offset_hours": 0, "amount": "2 comprimés"},
    {"offset_hours": 24, "amount": "1 comprimé"},
    {"offset_hours": 48, "amount": "1 comprimé"},
]


def token_of(response: Any) -> str:
    import re

    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)
