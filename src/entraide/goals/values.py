"""What goals, coping strategies and recovery self-assessments hold, and their limits.

Domain errors are ``entraide.core.errors.InvalidValuesError`` (a field key → a kind, translated
message), so that the pages and the API (422) treat them as the journal's.
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

MAX_GOALS = 200
MAX_STEPS = 50
MAX_GOAL_TITLE = 200
MAX_GOAL_WHY = 2_000
MAX_STEP_TEXT = 200
MAX_STRATEGIES = 200
MAX_STRATEGY_NAME = 100
MAX_STRATEGY_NOTE = 1_000
MAX_USE_NOTE = 1_000
MAX_RECOVERY_WORDS = 1_000
HELP_LOW, HELP_HIGH = 0, 4


class LimitError(InvalidValuesError):
    """The person already has as many rows of a kind as there can be (key ``"limit"``)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__({"limit": message})

    @property
    def message(self) -> str:
        return str(self.errors["limit"])


def clean_line(value: Any) -> str:
    """One line of text: NFC, inner spaces and line breaks collapsed."""
    return " ".join(unicodedata.normalize("NFC", value if isinstance(value, str) else "").split())


def clean_text(value: Any) -> str:
    """A text that may hold line breaks: NFC, Unix line ends, no NUL, trimmed."""
    text = value if isinstance(value, str) else ""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\x00", "").strip()


def int_between(value: Any, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (``"7"`` and ``7.0`` count), else ``None``."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", value):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return int(value)
    return None


def fold(text: str) -> str:
    """Case and accents aside (sorting and comparing names)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Coping strategies --------------------------------------------------------------------------

CATEGORIES: dict[str, Promise] = {
    "body": pgettext_lazy("strategy category", "Body"),
    "mind": pgettext_lazy("strategy category", "Mind"),
    "people": pgettext_lazy("strategy category", "People"),
    "creativity": pgettext_lazy("strategy category", "Creativity"),
    "rest": pgettext_lazy("strategy category", "Rest"),
    "other": pgettext_lazy("strategy category", "Other"),
}

# How much a strategy helped, rated after using it.
HELP_LEVELS: dict[int, Promise] = {
    0: pgettext_lazy("help rating", "Not at all"),
    1: pgettext_lazy("help rating", "A little"),
    2: pgettext_lazy("help rating", "Somewhat"),
    3: pgettext_lazy("help rating", "Quite a lot"),
    4: pgettext_lazy("help rating", "A lot"),
}


@dataclass(frozen=True)
class Starter:
    """A well-known strategy the person can pick in one click; it becomes their own row, in the
    language they read at that moment."""

    key: str
    name: Promise
    category: str
    note: Promise | str = ""


STARTERS: tuple[Starter, ...] = (
    Starter(
        "breathing",
        pgettext_lazy("strategy idea", "Breathe slowly"),
        "body",
        pgettext_lazy("strategy idea", "Breathe in for 4 counts, out for 6, for a few minutes."),
    ),
    Starter(
        "grounding",
        pgettext_lazy("strategy idea", "Grounding 5-4-3-2-1"),
        "mind",
        pgettext_lazy(
            "strategy idea",
            "Name 5 things you see, 4 you can touch, 3 you hear, 2 you smell and 1 you taste.",
        ),
    ),
    Starter("walk", pgettext_lazy("strategy idea", "Go for a walk"), "body"),
    Starter("fresh_air", pgettext_lazy("strategy idea", "Step outside for some fresh air"), "body"),
    Starter("shower", pgettext_lazy("strategy idea", "Take a shower or a bath"), "body"),
    Starter("cold_water", pgettext_lazy("strategy idea", "Splash cold water on my face"), "body"),
    Starter("stretch", pgettext_lazy("strategy idea", "Stretch gently"), "body"),
    Starter("call", pgettext_lazy("strategy idea", "Call someone I trust"), "people"),
    Starter("message", pgettext_lazy("strategy idea", "Send a message to a friend"), "people"),
    Starter("animal", pgettext_lazy("strategy idea", "Spend time with an animal"), "people"),
    Starter("helpline", pgettext_lazy("strategy idea", "Call a listening line"), "people"),
    Starter("write", pgettext_lazy("strategy idea", "Write down my thoughts"), "mind"),
    Starter(
        "three_good_things",
        pgettext_lazy("strategy idea", "Note three good things about the day"),
        "mind",
    ),
    Starter("mindfulness", pgettext_lazy("strategy idea", "A short mindfulness exercise"), "mind"),
    Starter("music", pgettext_lazy("strategy idea", "Listen to music I like"), "rest"),
    Starter("hot_drink", pgettext_lazy("strategy idea", "Make myself a hot drink"), "rest"),
    Starter("lie_down", pgettext_lazy("strategy idea", "Lie down and rest for a while"), "rest"),
    Starter("read", pgettext_lazy("strategy idea", "Read a few pages"), "rest"),
    Starter("draw", pgettext_lazy("strategy idea", "Draw, paint or colour"), "creativity"),
    Starter("sing", pgettext_lazy("strategy idea", "Sing or hum"), "creativity"),
    Starter("cook", pgettext_lazy("strategy idea", "Cook something simple"), "creativity"),
    Starter("tidy", pgettext_lazy("strategy idea", "Tidy up one small thing"), "other"),
)
STARTERS_BY_KEY: dict[str, Starter] = {s.key: s for s in STARTERS}


# --- Recovery self-assessment (CHIME: Leamy et al., 2011) --------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Promise
    explanation: Promise


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "connectedness",
        pgettext_lazy("recovery dimension", "Connectedness"),
        pgettext_lazy(
            "recovery dimension", "Feeling connected to others: support, relationships, belonging."
        ),
    ),
    Dimension(
        "hope",
        pgettext_lazy("recovery dimension", "Hope"),
        pgettext_lazy(
            "recovery dimension", "Believing things can get better; having wishes and plans for the future."
        ),
    ),
    Dimension(
        "identity",
        pgettext_lazy("recovery dimension", "Identity"),
        pgettext_lazy(
            "recovery dimension", "Seeing yourself as a whole person, not only through your difficulties."
        ),
    ),
    Dimension(
        "meaning",
        pgettext_lazy("recovery dimension", "Meaning"),
        pgettext_lazy("recovery dimension", "Finding meaning in your life and in what you do each day."),
    ),
    Dimension(
        "empowerment",
        pgettext_lazy("recovery dimension", "Empowerment"),
        pgettext_lazy(
            "recovery dimension", "Feeling able to make your own choices and to take charge of your life."
        ),
    ),
)
DIMENSION_KEYS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS)
SCORE_LOW, SCORE_HIGH = 0, 10


def clean_recovery(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The payload to store: every dimension, with a score (0–10 or ``None``) and words.

    ``values`` maps each dimension to ``{"score": …, "words": …}`` (either may be missing).
    At least one score or some words are needed. Raises ``InvalidValuesError`` (keys
    ``<dimension>`` for a score, ``<dimension>_words`` for words, ``scores`` for nothing given).
    """
    errors: dict[str, str | Promise] = {}
    for key in set(values) - set(DIMENSION_KEYS):
        errors[key] = pgettext_lazy("recovery values", "This is not one of the five dimensions.")
    out: dict[str, dict[str, Any]] = {}
    for key in DIMENSION_KEYS:
        given = values.get(key) or {}
        if not isinstance(given, Mapping):
            errors[key] = pgettext_lazy("recovery values", "Choose a whole number from 0 to 10.")
            continue
        raw_score = given.get("score")
        score = None
        if raw_score not in (None, ""):
            score = int_between(raw_score, SCORE_LOW, SCORE_HIGH)
            if score is None:
                errors[key] = pgettext_lazy("recovery values", "Choose a whole number from 0 to 10.")
        words = clean_text(given.get("words"))
        if len(words) > MAX_RECOVERY_WORDS:
            errors[f"{key}_words"] = pgettext_lazy(
                "recovery values", "Keep these words under 1,000 characters."
            )
        out[key] = {"score": score, "words": words}
    if not errors and all(d["score"] is None and not d["words"] for d in out.values()):
        errors["scores"] = pgettext_lazy(
            "recovery values", "Answer for at least one side, or write a few words."
        )
    if errors:
        raise InvalidValuesError(errors)
    return out
