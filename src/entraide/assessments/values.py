"""What a result means in plain words, and the schedules a person may choose.

The instrument files give band keys, not their meaning for the person: the labels and sentences
here are ours (UI text, translated like any other), calm and never a diagnosis. The instruments'
own wording (items, options, stems) is never here: it comes from the files, verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from entraide.assessments.engine import NO_CUTOFF

DEFAULT_EVERY_DAYS = 14
# Days between two answers; 0 is "off" (never due, no reminder).
FREQUENCIES: dict[int, Promise] = {
    7: pgettext_lazy("questionnaire schedule", "Every week"),
    14: pgettext_lazy("questionnaire schedule", "Every two weeks"),
    28: pgettext_lazy("questionnaire schedule", "Every four weeks"),
    0: pgettext_lazy("questionnaire schedule", "No schedule"),
}
REMIND_AGAIN_AFTER = 7  # days: one more reminder a week after the due day, then none


@dataclass(frozen=True)
class Meaning:
    label: Promise
    sentence: Promise


def _m(label: Promise, sentence: Promise) -> Meaning:
    return Meaning(label, sentence)


MEANINGS: dict[str, dict[str, Meaning]] = {
    "phq9": {
        "minimal": _m(
            pgettext_lazy("questionnaire band", "Minimal symptoms"),
            pgettext_lazy("questionnaire meaning", "Few or no signs of depression over the last two weeks."),
        ),
        "mild": _m(
            pgettext_lazy("questionnaire band", "Mild symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "Some signs of depression. Worth keeping an eye on, and talking about if it lasts.",
            ),
        ),
        "moderate": _m(
            pgettext_lazy("questionnaire band", "Moderate symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "Signs of depression that weigh on daily life. It is worth talking about with a doctor or another professional you trust.",
            ),
        ),
        "moderately_severe": _m(
            pgettext_lazy("questionnaire band", "Moderately severe symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "Many signs of depression. Talking about it soon with a doctor or another professional can help.",
            ),
        ),
        "severe": _m(
            pgettext_lazy("questionnaire band", "Severe symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "A lot of signs of depression. Please talk about it soon with a doctor or another professional: you do not have to go through this alone.",
            ),
        ),
    },
    "gad7": {
        "minimal": _m(
            pgettext_lazy("questionnaire band", "Minimal symptoms"),
            pgettext_lazy("questionnaire meaning", "Few or no signs of anxiety over the last two weeks."),
        ),
        "mild": _m(
            pgettext_lazy("questionnaire band", "Mild symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "Some signs of anxiety. Worth keeping an eye on, and talking about if it lasts.",
            ),
        ),
        "moderate": _m(
            pgettext_lazy("questionnaire band", "Moderate symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "Signs of anxiety that weigh on daily life. It is worth talking about with a doctor or another professional you trust.",
            ),
        ),
        "severe": _m(
            pgettext_lazy("questionnaire band", "Severe symptoms"),
            pgettext_lazy(
                "questionnaire meaning",
                "A lot of signs of anxiety. Please talk about it soon with a doctor or another professional: you do not have to go through this alone.",
            ),
        ),
    },
    "who5": {
        NO_CUTOFF: _m(
            pgettext_lazy("questionnaire band", "Well-being in the average or above"),
            pgettext_lazy("questionnaire meaning", "Your well-being score is in the average or above."),
        ),
        "poor_wellbeing": _m(
            pgettext_lazy("questionnaire band", "Low well-being"),
            pgettext_lazy(
                "questionnaire meaning",
                "Low well-being: a reason to talk about how you feel with a doctor or another professional.",
            ),
        ),
        "likely_depression": _m(
            pgettext_lazy("questionnaire band", "Very low well-being"),
            pgettext_lazy(
                "questionnaire meaning",
                "Very low well-being: a strong reason to see a doctor or another professional.",
            ),
        ),
    },
}

# What each questionnaire is about, in one line of ours (its name is the file's).
ABOUT: dict[str, Promise] = {
    "phq9": pgettext_lazy("questionnaire about", "Nine questions about signs of depression."),
    "gad7": pgettext_lazy("questionnaire about", "Seven questions about signs of anxiety."),
    "who5": pgettext_lazy("questionnaire about", "Five statements about your well-being."),
}

NOT_A_DIAGNOSIS = pgettext_lazy(
    "questionnaire",
    "A questionnaire is not a diagnosis: only a professional, with you, can make one. It helps you see how things change and talk about it.",
)


def meaning(instrument_key: str, band: str) -> Meaning | None:
    return MEANINGS.get(instrument_key, {}).get(band)


def frequency_label(every_days: int) -> str:
    label = FREQUENCIES.get(every_days)
    return str(label) if label is not None else str(every_days)
