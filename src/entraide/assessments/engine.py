"""The questionnaire engine: an instrument is data, read from ``instruments/<key>.json`` (verbatim
copies of ``../shared/instruments``, checked byte for byte by a test), never code.

The engine understands the few rule shapes those files use and refuses any other when it loads a
file (``InstrumentError``): a changed file fails loudly instead of being scored wrongly.

- ``scoring.rule``: "sum of items 1-N", or "raw = sum of items 1-N (…); percentage = raw x K (…)";
- ``scoring.bands``: consecutive ``{min, max, key}`` covering ``scoring.range``;
- ``scoring.cutoffs``: ``{key, rule}`` where the rule starts with ``raw|percentage <op> number``
  (what follows in brackets restates it);
- an item's ``crisis_if_above``: a crisis is signalled when its answer is above that value;
- ``difficulty_item`` (unscored) with ``required_if: "any scored item is above 0"``.

Wording comes in the languages the file gives ("fr", "en"): ``wording_language`` picks the
person's, else the other; nothing is ever translated here.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy

from entraide.core.errors import InvalidValuesError

KEYS = ("phq9", "gad7", "who5")  # the order of the pages
LANGUAGES = ("fr", "en")
ANY_ABOVE_ZERO = "any scored item is above 0"
NO_CUTOFF = "above_cutoffs"  # ours: the band of a cut-off instrument when no cut-off is met

_SUM = re.compile(r"^sum of items 1-(\d+)$")
_PERCENT = re.compile(r"^raw = sum of items 1-(\d+) \([^)]*\); percentage = raw x (\d+) \([^)]*\)$")
_CUTOFF = re.compile(r"^(raw|percentage) (<=|<|>=|>) (\d+)(?: \(.*\))?$")
_OPS: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class InstrumentError(ValueError):
    """An instrument file the engine cannot read faithfully."""


@dataclass(frozen=True)
class Option:
    value: int
    wording: dict[str, str]  # language → text, verbatim


@dataclass(frozen=True)
class Item:
    n: int
    wording: dict[str, str]
    loinc: str | None
    crisis_above: int | None  # a crisis when the answer is above this


@dataclass(frozen=True)
class DifficultyItem:
    wording: dict[str, str]
    options: tuple[Option, ...]
    loinc: str | None
    required_if_any_above_zero: bool


@dataclass(frozen=True)
class Band:
    key: str
    low: int
    high: int


@dataclass(frozen=True)
class Cutoff:
    key: str
    on: str  # "raw" or "percentage"
    op: str
    limit: int
    rule: str  # as the file states it

    def met(self, raw: int, percentage: int | None) -> bool:
        value = raw if self.on == "raw" else percentage
        return value is not None and _OPS[self.op](value, self.limit)


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    name: dict[str, str]
    stem: dict[str, str]
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    difficulty: DifficultyItem | None
    raw_range: tuple[int, int]
    multiplier: int | None  # WHO-5: percentage = raw × 4
    bands: tuple[Band, ...]
    cutoffs: tuple[Cutoff, ...]
    meaningful_change: str  # the file's "change" note, when it has one (English, as given)
    source: str
    licence: str
    loinc: dict[str, str] | None
    raw: dict[str, Any]  # the whole file, for the API and the docs

    @property
    def values(self) -> frozenset[int]:
        return frozenset(o.value for o in self.options)

    @property
    def score_range(self) -> tuple[int, int]:
        """The range of the score shown: the raw total, or the percentage when there is one."""
        if self.multiplier is None:
            return self.raw_range
        return self.raw_range[0] * self.multiplier, self.raw_range[1] * self.multiplier

    def band(self, raw: int) -> Band | None:
        return next((b for b in self.bands if b.low <= raw <= b.high), None)


@dataclass(frozen=True)
class Result:
    """What the engine computes from a complete set of answers."""

    raw: int  # the sum of the scored items
    percentage: int | None  # WHO-5 only
    band: str  # a band's key, or for cut-off instruments the strictest cut-off met, or NO_CUTOFF
    cutoffs: tuple[str, ...]  # every cut-off met
    crisis: bool

    @property
    def score(self) -> int:
        """The figure people read: the percentage when the instrument has one, else the total."""
        return self.percentage if self.percentage is not None else self.raw


# --- Loading ------------------------------------------------------------------------------------


def _wording(entry: Mapping[str, Any], where: str) -> dict[str, str]:
    found = {lang: entry[lang] for lang in LANGUAGES if isinstance(entry.get(lang), str)}
    if not found:
        raise InstrumentError(f"{where}: no wording in {LANGUAGES}")
    return found


def _options(entries: Sequence[Mapping[str, Any]], where: str) -> tuple[Option, ...]:
    options = tuple(Option(int(o["value"]), _wording(o, f"{where} option")) for o in entries)
    if len({o.value for o in options}) != len(options) or not options:
        raise InstrumentError(f"{where}: options must have distinct values")
    return options


def parse(data: Mapping[str, Any]) -> Instrument:
    """An ``Instrument`` from a file's JSON, or ``InstrumentError``."""
    key = str(data["id"])
    options = _options(data["options"], key)
    items = tuple(
        Item(
            n=int(i["n"]),
            wording=_wording(i, f"{key} item {i.get('n')}"),
            loinc=i.get("loinc"),
            crisis_above=int(i["crisis_if_above"]) if "crisis_if_above" in i else None,
        )
        for i in data["items"]
    )
    if [i.n for i in items] != list(range(1, len(items) + 1)):
        raise InstrumentError(f"{key}: items must be numbered 1 to N in order")
    scoring = data["scoring"]
    rule = str(scoring["rule"])
    multiplier = None
    if m := _SUM.match(rule):
        summed = int(m.group(1))
    elif m := _PERCENT.match(rule):
        summed, multiplier = int(m.group(1)), int(m.group(2))
    else:
        raise InstrumentError(f"{key}: unknown scoring rule {rule!r}")
    if summed != len(items):
        raise InstrumentError(f"{key}: the rule sums {summed} items, the file has {len(items)}")
    lowest, highest = min(o.value for o in options), max(o.value for o in options)
    raw_range = (lowest * len(items), highest * len(items))
    stated = tuple(int(x) for x in scoring["range"])
    expected = raw_range if multiplier is None else (raw_range[0] * multiplier, raw_range[1] * multiplier)
    if stated != expected:
        raise InstrumentError(f"{key}: the stated range {stated} is not {expected}")
    bands = tuple(Band(str(b["key"]), int(b["min"]), int(b["max"])) for b in scoring.get("bands", []))
    if bands:
        edges = [raw_range[0]] + [b.high + 1 for b in bands]
        if [b.low for b in bands] != edges[:-1] or bands[-1].high != raw_range[1]:
            raise InstrumentError(f"{key}: the bands must follow each other over the whole range")
    cutoffs = []
    for c in scoring.get("cutoffs", []):
        match = _CUTOFF.match(str(c["rule"]))
        if match is None:
            raise InstrumentError(f"{key}: unknown cut-off rule {c['rule']!r}")
        on, op, limit = match.groups()
        if on == "percentage" and multiplier is None:
            raise InstrumentError(f"{key}: a percentage cut-off without a percentage")
        cutoffs.append(Cutoff(str(c["key"]), on, op, int(limit), str(c["rule"])))
    if bool(bands) == bool(cutoffs):
        raise InstrumentError(f"{key}: either bands or cut-offs")
    difficulty = None
    if d := data.get("difficulty_item"):
        if d.get("scored") is not False:
            raise InstrumentError(f"{key}: a difficulty item must be unscored")
        condition = d.get("required_if")
        if condition not in (None, ANY_ABOVE_ZERO):
            raise InstrumentError(f"{key}: unknown condition {condition!r}")
        difficulty = DifficultyItem(
            wording=_wording(d, f"{key} difficulty item"),
            options=_options(d["options"], f"{key} difficulty item"),
            loinc=d.get("loinc"),
            required_if_any_above_zero=condition == ANY_ABOVE_ZERO,
        )
    return Instrument(
        key=key,
        version=str(data["version"]),
        name=_wording(data["name"], f"{key} name"),
        stem=_wording(data["stem"], f"{key} stem"),
        options=options,
        items=items,
        difficulty=difficulty,
        raw_range=raw_range,
        multiplier=multiplier,
        bands=bands,
        cutoffs=tuple(cutoffs),
        meaningful_change=str(scoring.get("change", "")),
        source=str(data["source"]),
        licence=str(data["licence"]),
        loinc=data.get("loinc"),
        raw=dict(data),
    )


def read_file(key: str) -> bytes:
    return (resources.files("entraide.assessments") / "instruments" / f"{key}.json").read_bytes()


@cache
def get(key: str) -> Instrument:
    """The instrument ``key`` (one of ``KEYS``); ``KeyError`` for any other."""
    if key not in KEYS:
        raise KeyError(key)
    instrument = parse(json.loads(read_file(key)))
    if instrument.key != key:
        raise InstrumentError(f"{key}.json holds {instrument.key!r}")
    return instrument


def all_instruments() -> list[Instrument]:
    return [get(key) for key in KEYS]


def wording_language(wording: Mapping[str, str], language: str | None = None) -> str:
    """The language to show ``wording`` in: the person's when the file has it, else French, else
    English. Never a translation of ours."""
    wanted = (language or get_language() or "fr").split("-")[0]
    for lang in (wanted, "fr", "en"):
        if lang in wording:
            return lang
    return next(iter(wording))


def text(wording: Mapping[str, str], language: str | None = None) -> str:
    return wording[wording_language(wording, language)]


# --- Scoring ------------------------------------------------------------------------------------


def _answer(value: Any, allowed: frozenset[int]) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,2}\s*", value):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value in allowed else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean(instrument: Instrument, answers: Any, difficulty: Any = None) -> tuple[list[int], int | None]:
    """The answers as stored (one value per item, in order) and the difficulty answer, or
    ``InvalidValuesError`` naming every problem at once: keys ``answers.<n>`` and ``difficulty``.

    ``answers`` is a sequence (item 1 first) or a mapping of item numbers (int or str) to values.
    Every scored item is required; the difficulty item only when a scored item is above 0."""
    errors: dict[str, str | Promise] = {}
    if isinstance(answers, Mapping):
        given = {str(k): v for k, v in answers.items()}
        unknown = set(given) - {str(i.n) for i in instrument.items}
        lookup = given
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        unknown = {str(n) for n in range(len(instrument.items) + 1, len(answers) + 1)}
        lookup = {str(n): v for n, v in enumerate(answers, start=1)}
    else:
        raise InvalidValuesError(
            {"answers": pgettext_lazy("questionnaire values", "The answers are not readable.")}
        )
    if unknown:
        errors["answers"] = pgettext_lazy(
            "questionnaire values", "Some answers are for questions this questionnaire does not have."
        )
    values: list[int] = []
    for item in instrument.items:
        raw = lookup.get(str(item.n))
        value = _answer(raw, instrument.values)
        if _blank(raw):
            errors[f"answers.{item.n}"] = pgettext_lazy(
                "questionnaire values", "Choose an answer for this question: every question counts."
            )
        elif value is None:
            errors[f"answers.{item.n}"] = pgettext_lazy(
                "questionnaire values", "Choose one of the answers offered."
            )
        else:
            values.append(value)
    kept: int | None = None
    if instrument.difficulty is None:
        if not _blank(difficulty):
            errors["difficulty"] = pgettext_lazy(
                "questionnaire values", "This questionnaire has no question about difficulty."
            )
    elif _blank(difficulty):
        needed = instrument.difficulty.required_if_any_above_zero and any(v > 0 for v in values)
        if needed:
            errors["difficulty"] = pgettext_lazy(
                "questionnaire values",
                "Since you ticked at least one problem, say how difficult it made things for you.",
            )
    else:
        kept = _answer(difficulty, frozenset(o.value for o in instrument.difficulty.options))
        if kept is None:
            errors["difficulty"] = pgettext_lazy("questionnaire values", "Choose one of the answers offered.")
    if errors:
        raise InvalidValuesError(errors)
    return values, kept


def score(instrument: Instrument, values: Sequence[int]) -> Result:
    """Score a complete, clean set of answers (``clean``'s first result)."""
    if len(values) != len(instrument.items):
        raise ValueError("score() needs one answer per item: clean() first")
    raw = sum(values)
    percentage = raw * instrument.multiplier if instrument.multiplier is not None else None
    met = tuple(c.key for c in instrument.cutoffs if c.met(raw, percentage))
    if instrument.bands:
        band = instrument.band(raw)
        key = band.key if band else ""
    else:
        # The strictest cut-off met: the one with the fewest scores under it.
        strictest = sorted(
            (c for c in instrument.cutoffs if c.key in met),
            key=lambda c: c.limit * (instrument.multiplier or 1) if c.on == "raw" else c.limit,
        )
        key = strictest[0].key if strictest else NO_CUTOFF
    crisis = any(
        item.crisis_above is not None and value > item.crisis_above
        for item, value in zip(instrument.items, values, strict=True)
    )
    return Result(raw=raw, percentage=percentage, band=key, cutoffs=met, crisis=crisis)
