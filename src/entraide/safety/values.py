"""What a safety plan holds, and its limits.

The plan follows Stanley and Brown's Safety Planning Intervention (2012): six steps in the order a
person uses them in a crisis, plus their reasons for living. Each step is a list of items: short
texts, or for the two steps about people to call, a name and a phone number.

Domain errors are ``entraide.core.errors.InvalidValuesError`` (a field key → a message): keys
are ``<step>`` or ``<step>.<row>`` or ``<step>.<row>.<name|phone>`` (rows counted from 0), so that a
page puts the message on the row, and the API (422) names it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.core.errors import InvalidValuesError

MAX_ITEMS = 20  # a step's list; a plan is read in a crisis: short is better
MAX_ITEM = 300
MAX_NAME = 100
MAX_PHONE = 30
PHONE_RE = re.compile(r"^\+?[0-9 .()\-]{2,30}$")


@dataclass(frozen=True)
class Step:
    key: str
    number: int  # 0 for the reasons for living, which are not one of the six steps
    title: str | Promise
    prompt: str | Promise  # the question that helps to fill the step in
    contacts: bool = False  # items are {"name", "phone"}


STEPS: tuple[Step, ...] = (
    Step(
        "warning_signs",
        1,
        pgettext_lazy("safety plan step", "My warning signs"),
        pgettext_lazy(
            "safety plan step",
            "Thoughts, images, moods, situations or behaviours that tell me a crisis may be coming.",
        ),
    ),
    Step(
        "coping",
        2,
        pgettext_lazy("safety plan step", "What I can do on my own"),
        pgettext_lazy(
            "safety plan step",
            "Things I can do to take my mind off my problems without contacting anyone.",
        ),
    ),
    Step(
        "distractions",
        3,
        pgettext_lazy("safety plan step", "People and places that take my mind off things"),
        pgettext_lazy(
            "safety plan step",
            "People I can be with and places I can go to, without having to talk about how I feel.",
        ),
    ),
    Step(
        "help_people",
        4,
        pgettext_lazy("safety plan step", "People I can ask for help"),
        pgettext_lazy("safety plan step", "People I trust and can tell that I am not doing well."),
        contacts=True,
    ),
    Step(
        "professionals",
        5,
        pgettext_lazy("safety plan step", "Professionals and services I can contact"),
        pgettext_lazy(
            "safety plan step",
            "My doctor, my therapist, a care centre, a helpline: who to call, including at night.",
        ),
        contacts=True,
    ),
    Step(
        "environment",
        6,
        pgettext_lazy("safety plan step", "Making my surroundings safer"),
        pgettext_lazy(
            "safety plan step",
            "What I can put away, give to someone to keep, or stay away from when things get hard.",
        ),
    ),
    Step(
        "reasons",
        0,
        pgettext_lazy("safety plan step", "My reasons for living"),
        pgettext_lazy("safety plan step", "What matters to me and is worth living for."),
    ),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
STEPS_BY_KEY: dict[str, Step] = {s.key: s for s in STEPS}
CONTACT_STEPS = frozenset(s.key for s in STEPS if s.contacts)


def clean_line(value: Any) -> str:
    """One line of text: NFC, inner spaces and line breaks collapsed."""
    return " ".join(unicodedata.normalize("NFC", value if isinstance(value, str) else "").split())


def empty_plan() -> dict[str, list[Any]]:
    return {key: [] for key in STEP_KEYS}


def _clean_text_items(key: str, raw: Any, errors: dict[str, str | Promise]) -> list[str]:
    items: list[str] = []
    for row, value in enumerate(raw if isinstance(raw, list | tuple) else []):
        text = clean_line(value)
        if not text:
            continue  # an empty row is no item
        if len(text) > MAX_ITEM:
            errors[f"{key}.{row}"] = pgettext_lazy(
                "safety plan values", "Keep each line under 300 characters."
            )
        items.append(text)
    return items


def _clean_contacts(key: str, raw: Any, errors: dict[str, str | Promise]) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    for row, value in enumerate(raw if isinstance(raw, list | tuple) else []):
        contact = value if isinstance(value, Mapping) else {}
        name, phone = clean_line(contact.get("name")), clean_line(contact.get("phone"))
        if not name and not phone:
            continue
        if not name:
            errors[f"{key}.{row}.name"] = pgettext_lazy("safety plan values", "Write who this number is for.")
        elif len(name) > MAX_NAME:
            errors[f"{key}.{row}.name"] = pgettext_lazy(
                "safety plan values", "Keep the name under 100 characters."
            )
        if phone and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 2):
            errors[f"{key}.{row}.phone"] = pgettext_lazy(
                "safety plan values",
                "Write the number with digits, spaces, dots or a leading +, like 06 12 34 56 78.",
            )
        items.append({"name": name, "phone": phone})
    return items


def clean_plan(steps: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Every step's list, cleaned: empty rows dropped, texts on one line; raises
    ``InvalidValuesError`` listing every problem. A step left out is an empty list."""
    errors: dict[str, str | Promise] = {}
    unknown = set(steps) - set(STEP_KEYS)
    for key in sorted(unknown):
        errors[key] = pgettext_lazy("safety plan values", "This is not a step of the plan.")
    plan: dict[str, list[Any]] = {}
    for step in STEPS:
        raw = steps.get(step.key) or []
        plan[step.key] = (
            _clean_contacts(step.key, raw, errors)
            if step.contacts
            else _clean_text_items(step.key, raw, errors)
        )
        if len(plan[step.key]) > MAX_ITEMS:
            errors.setdefault(
                step.key,
                pgettext_lazy(
                    "safety plan values",
                    "Keep each step to 20 lines at most: the plan is read in hard moments.",
                ),
            )
    if errors:
        raise InvalidValuesError(errors)
    return plan
