"""What a thought record holds: the ten classic cognitive distortions, the limits every value
follows (forms, API and demo data alike), and the payload's keys.

A record's payload always holds every key of ``PAYLOAD_KEYS`` (empty text, empty lists, ``None``
for a time or an intensity not given), so exports and the API have one shape.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.journal.values import EMOTIONS, MAX_OWN_EMOTION

MAX_TEXT = 5_000
MAX_EMOTIONS = 10
MAX_INTENSITY = 100
MAX_OWN_WORD = MAX_OWN_EMOTION
TEXT_KEYS = ("situation", "thought", "evidence_for", "evidence_against", "balanced_thought")
PAYLOAD_KEYS = (
    "time",
    *TEXT_KEYS,
    "emotions",
    "distortions",
    "follow_up_note",
    "follow_up_intensity",
)

__all__ = ["DISTORTIONS", "EMOTIONS", "Distortion", "fold"]


@dataclass(frozen=True)
class Distortion:
    """One thinking trap: its usual name, one plain sentence, and an everyday example."""

    key: str
    name: Promise
    explanation: Promise
    example: Promise


def _distortion(key: str, name: Promise, explanation: Promise, example: Promise) -> tuple[str, Distortion]:
    return key, Distortion(key, name, explanation, example)


# The ten classic ones (Beck; Burns), in their usual order.
DISTORTIONS: dict[str, Distortion] = dict(
    [
        _distortion(
            "all_or_nothing",
            pgettext_lazy("distortion name", "All-or-nothing thinking"),
            pgettext_lazy(
                "distortion explanation",
                "Seeing things in black and white, with nothing in between: if it is not perfect, it is a failure.",
            ),
            pgettext_lazy(
                "distortion example", "“I stumbled on one question, so the whole interview was a disaster.”"
            ),
        ),
        _distortion(
            "overgeneralisation",
            pgettext_lazy("distortion name", "Overgeneralisation"),
            pgettext_lazy(
                "distortion explanation",
                "Taking one event as proof that things will always, or never, go that way.",
            ),
            pgettext_lazy(
                "distortion example", "“She did not answer my message: nobody ever wants to see me.”"
            ),
        ),
        _distortion(
            "mental_filter",
            pgettext_lazy("distortion name", "Mental filter"),
            pgettext_lazy(
                "distortion explanation",
                "Keeping only one negative detail in mind, until it colours everything else.",
            ),
            pgettext_lazy(
                "distortion example",
                "“I had ten kind comments and one criticism, and I can only think of the criticism.”",
            ),
        ),
        _distortion(
            "discounting_positive",
            pgettext_lazy("distortion name", "Discounting the positive"),
            pgettext_lazy(
                "distortion explanation",
                "Telling yourself that good things do not count, or were only luck.",
            ),
            pgettext_lazy("distortion example", "“They only said it went well to be nice.”"),
        ),
        _distortion(
            "jumping_to_conclusions",
            pgettext_lazy("distortion name", "Jumping to conclusions (mind reading, fortune telling)"),
            pgettext_lazy(
                "distortion explanation",
                "Deciding what others think, or how things will turn out, without the facts to show it.",
            ),
            pgettext_lazy(
                "distortion example", "“He looked at his phone: I am boring him.” “It will go wrong anyway.”"
            ),
        ),
        _distortion(
            "magnification",
            pgettext_lazy("distortion name", "Magnification and minimisation (catastrophising)"),
            pgettext_lazy(
                "distortion explanation",
                "Blowing a problem or a mistake up into a disaster, and shrinking your strengths and good moments.",
            ),
            pgettext_lazy(
                "distortion example", "“My hands shook during the talk: that is all anyone will remember.”"
            ),
        ),
        _distortion(
            "emotional_reasoning",
            pgettext_lazy("distortion name", "Emotional reasoning"),
            pgettext_lazy(
                "distortion explanation", "Taking a feeling for a fact: I feel it, so it must be true."
            ),
            pgettext_lazy("distortion example", "“I feel useless, so I must be useless.”"),
        ),
        _distortion(
            "should_statements",
            pgettext_lazy("distortion name", "“Should” statements"),
            pgettext_lazy(
                "distortion explanation",
                "Holding yourself or others to rigid rules (“I should”, “I must”, “they ought to”), then feeling guilty or angry when they are not met.",
            ),
            pgettext_lazy("distortion example", "“I should be able to cope with this on my own.”"),
        ),
        _distortion(
            "labelling",
            pgettext_lazy("distortion name", "Labelling"),
            pgettext_lazy(
                "distortion explanation",
                "Giving yourself or someone else a harsh label, instead of describing what happened.",
            ),
            pgettext_lazy("distortion example", "“I forgot the appointment: I am an idiot.”"),
        ),
        _distortion(
            "personalisation",
            pgettext_lazy("distortion name", "Personalisation"),
            pgettext_lazy(
                "distortion explanation",
                "Seeing yourself as the cause of something that depends on many things, or taking all the blame for it.",
            ),
            pgettext_lazy("distortion example", "“My friend is in a bad mood: it must be something I did.”"),
        ),
    ]
)


def fold(text: str) -> str:
    """Case and accents aside, for searching and for grouping emotions typed in one's own words;
    "œ" and "æ" as the two letters people type on a keyboard without them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in decomposed if not unicodedata.combining(c))
