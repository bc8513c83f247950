"""The crisis-language watch: a list of words and phrases the instance edits (French and English
by default), matched on a post's title, text and content warning after folding case, accents,
look-alike characters and punctuation. A match publishes nothing less and removes nothing: the
post goes first in the moderators' queue and its author sees the crisis numbers
(``moderation.watch_post``, ``views_watch``).

Folding, not fuzzy matching: it must be explainable ("these words, written any way") and fast
(a 20,000-character post against a hundred phrases in about a millisecond: a few ``in`` tests on
one folded string). Phrases match whole words: "tuer" does not match inside "intuerable".

Look-alikes come from a small table below rather than a library: the two maintained on PyPI
(``confusable-homoglyphs``, ``confusables``) detect mixed scripts or list variants, they do not
give the one-character "skeleton" a matcher needs, and their data is 100 times what the Latin,
Cyrillic and Greek letters a French or English writer can type amount to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import pgettext

from entraide.community.permissions import check_moderate_permission
from entraide.core import instance
from entraide.core.errors import InvalidValuesError
from entraide.core.models import InstanceSettings
from entraide.core.services import save_instance_settings

SETTINGS_KEY = "community"  # InstanceSettings.extra["community"], beside the moderation rules
FR_KEY, EN_KEY, CONCERN_KEY = "watch_fr", "watch_en", "concern_template"
PHRASES_MAX = 200  # per list
PHRASE_MAX = 100  # characters
TEMPLATE_MAX = 2000

# A phrase of the instance's French list: first-person words of suicidal thoughts or self-harm.
# Written plainly; folding finds them however they are typed ("J'VEUX EN FINIR!!", "m3 tuer").
DEFAULT_FR: tuple[str, ...] = (
    "me suicider",
    "je vais me suicider",
    "envie de me suicider",
    "pensées suicidaires",
    "idées suicidaires",
    "je suis suicidaire",
    "me tuer",
    "je vais me tuer",
    "envie de mourir",
    "je veux mourir",
    "veux mourir",
    "j'ai envie de mourir",
    "en finir",
    "en finir avec la vie",
    "plus envie de vivre",
    "pas envie de vivre",
    "marre de vivre",
    "ne plus me réveiller",
    "disparaître pour toujours",
    "mettre fin à mes jours",
    "mettre fin à ma vie",
    "mettre fin à tout",
    "me foutre en l'air",
    "me jeter sous un train",
    "me jeter du pont",
    "me pendre",
    "me faire du mal",
    "me faire mal exprès",
    "me scarifier",
    "je me scarifie",
    "me couper les veines",
    "me mutiler",
    "automutilation",
    "avaler tous mes médicaments",
    "prendre tous mes cachets",
    "lettre d'adieu",
    "dire adieu à tout le monde",
    "personne ne me regrettera",
    "ils seraient mieux sans moi",
)

DEFAULT_EN: tuple[str, ...] = (
    "kill myself",
    "killing myself",
    "suicidal",
    "commit suicide",
    "suicide plan",
    "want to die",
    "wanna die",
    "end my life",
    "end it all",
    "take my own life",
    "no reason to live",
    "don't want to live",
    "dont want to live",
    "not want to be alive",
    "better off dead",
    "better off without me",
    "never wake up",
    "hurt myself",
    "harm myself",
    "self harm",
    "cut myself",
    "cutting myself",
    "overdose",
    "hang myself",
    "goodbye note",
    "suicide note",
)

# Look-alikes of Latin letters (Cyrillic, Greek, a few symbols and fullwidth forms that NFKD
# leaves alone), then digits and symbols typed for letters. Mapped after casefolding.
_LOOKALIKES: dict[str, str | None] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "e", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "һ": "h", "ь": "b", "п": "n", "г": "r",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
    "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
    # Latin oddities that NFKD does not decompose
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ɑ": "a", "ɡ": "g",
    # Digits and symbols standing for letters
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e",
    "|": "l", "!": "i", "®": "r", "©": "c",
}  # fmt: skip
# Capitals first, before casefolding turns them into small letters that look like something else
# (Greek Μ is an M, its small μ a u).
_CAPITALS = str.maketrans(
    {
        **dict(zip("АВЕКМНОРСТХЅІЈ", "ABEKMHOPCTXSIJ", strict=True)),  # Cyrillic
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek
    }
)
# Combining marks (accents once NFKD has split them off) are deleted by the same table: one
# str.translate is several times faster than testing each character's category.
_COMBINING = (range(0x300, 0x370), range(0x1AB0, 0x1B00), range(0x1DC0, 0x1E00), range(0x20D0, 0x2100))
_TABLE: dict[int, str | None] = {
    **{c: None for block in _COMBINING for c in block},
    **str.maketrans(_LOOKALIKES),
}
_NOT_WORD = re.compile(r"[^a-z]+")
_LONE_SYMBOL = re.compile(r"(?<![^\W_])[!|]|[!|](?![^\W_])")
_REPEATED = re.compile(r"([a-z])\1+")


def fold(text: str) -> str:
    """Lower case, no accents, look-alikes as the Latin letters they imitate, every run of other
    characters as one space, each repeated letter once: ``" ME   TÛÛÛER!! "`` gives ``"me tuer"``.
    Phrases and posts are folded the same way, so "fille" and "file" become one word too — the
    watch errs towards a moderator looking, never towards removing anything."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_CAPITALS).casefold())
    # "!" and "|" stand for "i" and "l" only inside a word ("su!c!de"), not after a sentence.
    if "!" in decomposed or "|" in decomposed:
        decomposed = _LONE_SYMBOL.sub(" ", decomposed)
    letters = decomposed.translate(_TABLE)
    spaced = _NOT_WORD.sub(" ", letters)
    return _REPEATED.sub(r"\1", spaced).strip()


@dataclass(frozen=True)
class Watch:
    """The folded phrases, compiled once per settings change (``current``)."""

    phrases: tuple[str, ...]

    def matches(self, *texts: str) -> bool:
        """Whether any phrase appears, as whole words, in any of ``texts`` once folded."""
        if not self.phrases:
            return False
        # Two spaces between texts: a phrase (single spaces) never spans a title and a body.
        folded = " " + "  ".join(fold(t) for t in texts if t) + " "
        if folded.isspace():
            return False
        return any(p in folded for p in self.phrases)


def compile_phrases(phrases: list[str] | tuple[str, ...]) -> Watch:
    """Each phrase folded and padded with spaces (whole words); empty ones dropped, once each."""
    folded = dict.fromkeys(f" {f} " for p in phrases if (f := fold(p)))
    return Watch(phrases=tuple(folded))


def lists_of(row: InstanceSettings) -> tuple[list[str], list[str]]:
    """The instance's French and English lists (the defaults until a moderator edits them)."""
    stored: dict[str, Any] = row.extra.get(SETTINGS_KEY, {})
    fr = stored.get(FR_KEY)
    en = stored.get(EN_KEY)
    return (
        list(fr) if isinstance(fr, list) else list(DEFAULT_FR),
        list(en) if isinstance(en, list) else list(DEFAULT_EN),
    )


_compiled: dict[str, Any] = {"stamp": None, "watch": None}


def current() -> Watch:
    """The instance's watch, compiled again only when the settings row changed (its
    ``updated_at``, read alone: the row itself is loaded only then)."""
    stamp: datetime | None = (
        InstanceSettings.objects.filter(pk=InstanceSettings.SINGLETON_ID)
        .values_list("updated_at", flat=True)
        .first()
    )
    watch: Watch | None = _compiled["watch"]
    if watch is not None and stamp is not None and stamp == _compiled["stamp"]:
        return watch
    fr, en = lists_of(instance.load_settings())
    watch = compile_phrases([*fr, *en])
    _compiled.update(stamp=stamp, watch=watch)
    return watch


def forget_compiled() -> None:
    _compiled.update(stamp=None, watch=None)


def matches(*texts: str) -> bool:
    return current().matches(*texts)


# --- The caring message's template ----------------------------------------------------------------


def default_concern_text() -> str:
    """In the active language (the recipient's, when the message is built)."""
    return pgettext(
        "concern message",
        "Hello,\n\nWe are the moderation team of the community. We wanted to tell you that you "
        "matter here, and that if things are hard right now, you do not have to go through it "
        "alone. People are there to listen, day and night, free of charge:",
    )


def concern_template_of(row: InstanceSettings) -> str:
    """The instance's own text, or "" for the default (in each recipient's language)."""
    value = row.extra.get(SETTINGS_KEY, {}).get(CONCERN_KEY, "")
    return value if isinstance(value, str) else ""


# --- Editing the lists (moderators and administrators) ---------------------------------------------


def phrases_of(text: str) -> list[str]:
    """One phrase a line, trimmed, empty lines and repeats left out."""
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _list_errors(field: str, phrases: list[str], errors: dict[str, str]) -> None:
    if len(phrases) > PHRASES_MAX:
        errors[field] = pgettext("crisis watch", "Keep the list under %(max)s lines.") % {"max": PHRASES_MAX}
        return
    for phrase in phrases:
        if len(phrase) > PHRASE_MAX:
            errors[field] = pgettext(
                "crisis watch", "Keep each line under %(max)s characters: “%(line)s…” is longer."
            ) % {"max": PHRASE_MAX, "line": phrase[:30]}
            return
        if not fold(phrase):
            errors[field] = pgettext(
                "crisis watch", "“%(line)s” has no letter to look for: write words, or leave the line out."
            ) % {"line": phrase}
            return


@transaction.atomic
def save_watch(by: Any, *, french: str, english: str, concern_template: str) -> None:
    """The instance's two lists (one phrase a line) and the caring message's text ("" for the
    default). Every phrase of both lists is looked for in every post, whatever its language."""
    check_moderate_permission(by)
    fr, en = phrases_of(french), phrases_of(english)
    errors: dict[str, str] = {}
    _list_errors("french", fr, errors)
    _list_errors("english", en, errors)
    if len(concern_template) > TEMPLATE_MAX:
        errors["concern_template"] = pgettext("crisis watch", "Keep the text under %(max)s characters.") % {
            "max": TEMPLATE_MAX
        }
    if errors:
        raise InvalidValuesError(errors)
    row = instance.load_settings()
    stored = {
        **row.extra.get(SETTINGS_KEY, {}),
        FR_KEY: fr,
        EN_KEY: en,
        CONCERN_KEY: concern_template.strip(),
    }
    row.extra = {**row.extra, SETTINGS_KEY: stored}
    save_instance_settings(row)


@transaction.atomic
def restore_defaults(by: Any) -> None:
    """Both lists back to the defaults (the caring message's text stays as it is)."""
    check_moderate_permission(by)
    row = instance.load_settings()
    stored = {k: v for k, v in row.extra.get(SETTINGS_KEY, {}).items() if k not in {FR_KEY, EN_KEY}}
    row.extra = {**row.extra, SETTINGS_KEY: stored}
    save_instance_settings(row)
