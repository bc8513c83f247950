"""The scopes of a grant (ARCHITECTURE.md, "Scopes"), their options, and the presets of each kind
of link. A preset only pre-ticks boxes the person confirms: nothing is shared by a preset alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

READ, CO_EDIT = "read", "co-edit"
LEVELS = (READ, CO_EDIT)


@dataclass(frozen=True)
class Option:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Scope:
    key: str
    label: str | Promise
    covers: str | Promise  # what the person reads on the sharing form
    options: tuple[Option, ...] = ()
    levels: tuple[str, ...] = (READ,)
    data: bool = True  # False: a permission (alerts, messages), not a view of the person's records


SCOPES: tuple[Scope, ...] = (
    Scope(
        "checkins",
        pgettext_lazy("scope", "Check-ins"),
        pgettext_lazy("scope", "Mood, anxiety, energy, emotions, sleep and habits (not the notes)."),
    ),
    Scope(
        "substances",
        pgettext_lazy("scope", "Alcohol and other substances"),
        pgettext_lazy("scope", "What you note about alcohol, tobacco and other substances."),
    ),
    Scope(
        "notes",
        pgettext_lazy("scope", "Notes and journal"),
        pgettext_lazy("scope", "Check-in notes and tags, journal entries, short-text indicators."),
    ),
    Scope(
        "indicators",
        pgettext_lazy("scope", "My indicators"),
        pgettext_lazy("scope", "Your own indicators: numbers, yes/no, durations, choices."),
    ),
    Scope(
        "thoughts",
        pgettext_lazy("scope", "Thought records"),
        pgettext_lazy("scope", "The thought records you write."),
    ),
    Scope(
        "goals",
        pgettext_lazy("scope", "Goals"),
        pgettext_lazy("scope", "Goals and their steps, coping strategies, recovery self-assessments."),
        levels=(READ, CO_EDIT),
    ),
    Scope(
        "assessments",
        pgettext_lazy("scope", "Questionnaires"),
        pgettext_lazy("scope", "Questionnaire scores and what they mean."),
        options=(Option("answers", pgettext_lazy("scope option", "The detail of the answers")),),
    ),
    Scope(
        "safety_plan",
        pgettext_lazy("scope", "Safety plan"),
        pgettext_lazy("scope", "Your safety plan."),
        options=(Option("crisis_moments", pgettext_lazy("scope option", "The difficult moments")),),
    ),
    Scope(
        "treatments",
        pgettext_lazy("scope", "Treatments"),
        pgettext_lazy("scope", "Treatments, schedules, doses taken, side-effect notes."),
    ),
    Scope(
        "appointments",
        pgettext_lazy("scope", "Appointments"),
        pgettext_lazy("scope", "The date and time of your appointments (not with whom, nor where)."),
    ),
    Scope(
        "alerts",
        pgettext_lazy("scope", "Alerts"),
        pgettext_lazy("scope", "Be told when one of the rules you choose applies."),
        data=False,
    ),
    Scope(
        "messages",
        pgettext_lazy("scope", "Messages"),
        pgettext_lazy("scope", "May write to you."),
        data=False,
    ),
)
BY_KEY: dict[str, Scope] = {s.key: s for s in SCOPES}
SCOPE_KEYS: tuple[str, ...] = tuple(BY_KEY)

# What each kind of link pre-ticks on the sharing form (the person confirms every box).
PRESETS: dict[str, tuple[str, ...]] = {
    "peer_helper": ("alerts", "messages"),
    "professional": ("alerts", "messages"),
    "relative": ("alerts",),
    "other": (),
}

DEFAULT_GRANT_DAYS = 90  # the proposed end date; the person may choose another date or none
LOOK_BACK_DAYS = 30  # "30 days before the grant": the proposed start of what the supporter sees
