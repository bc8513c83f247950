"""What a person's thought records show over time: which distortions come back most, and how
the intensity of each emotion changed between the start of a record and its end.

Figures only compare what can be compared: an emotion counts in the before/after means only when
both its intensities were given (a "pair"); the drop is before minus after, so a positive drop is
an emotion that eased. A day's value on the trend is the mean drop of that day's pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from entraide.thoughts import values as v
from entraide.thoughts.access import filter_thoughts_of
from entraide.thoughts.services import emotion_name


@dataclass(frozen=True)
class DistortionCount:
    distortion: v.Distortion
    count: int  # records where it was ticked


@dataclass(frozen=True)
class EmotionChange:
    name: str
    pairs: int
    mean_before: float
    mean_after: float

    @property
    def drop(self) -> float:
        return self.mean_before - self.mean_after


@dataclass(frozen=True)
class Insights:
    records: int
    records_with_distortions: int
    distortions: list[DistortionCount]  # ticked at least once; most frequent first
    emotions: list[EmotionChange]  # most pairs first
    pairs: int
    mean_before: float | None
    mean_after: float | None
    daily_drops: list[tuple[date, float]]  # oldest first

    @property
    def mean_drop(self) -> float | None:
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_before - self.mean_after


def _group(item: Mapping[str, Any]) -> str:
    """Listed emotions by their key; one's own words case and accents aside."""
    if item.get("emotion") in v.EMOTIONS:
        return f"key:{item['emotion']}"
    return f"own:{v.fold(str(item.get('own', '')))}"


def compute_insights(records: Iterable[tuple[date, Mapping[str, Any]]]) -> Insights:
    """The figures for records given as (day, payload)."""
    count = 0
    with_distortions = 0
    ticked: Counter[str] = Counter()
    names: dict[str, str] = {}
    befores: dict[str, list[int]] = {}
    afters: dict[str, list[int]] = {}
    days: dict[date, list[int]] = {}
    for day, payload in records:
        count += 1
        keys = [k for k in payload.get("distortions", []) if k in v.DISTORTIONS]
        with_distortions += bool(keys)
        ticked.update(set(keys))
        for item in payload.get("emotions", []):
            before, after = item.get("before"), item.get("after")
            if before is None or after is None:
                continue
            group = _group(item)
            names.setdefault(group, emotion_name(item))
            befores.setdefault(group, []).append(before)
            afters.setdefault(group, []).append(after)
            days.setdefault(day, []).append(before - after)
    order = list(v.DISTORTIONS)
    distortions = [
        DistortionCount(v.DISTORTIONS[k], n)
        for k, n in sorted(ticked.items(), key=lambda kn: (-kn[1], order.index(kn[0])))
    ]
    emotions = sorted(
        (
            EmotionChange(
                name=names[g],
                pairs=len(befores[g]),
                mean_before=sum(befores[g]) / len(befores[g]),
                mean_after=sum(afters[g]) / len(afters[g]),
            )
            for g in befores
        ),
        key=lambda e: (-e.pairs, v.fold(e.name)),
    )
    all_before = [b for values in befores.values() for b in values]
    all_after = [a for values in afters.values() for a in values]
    pairs = len(all_before)
    return Insights(
        records=count,
        records_with_distortions=with_distortions,
        distortions=distortions,
        emotions=emotions,
        pairs=pairs,
        mean_before=sum(all_before) / pairs if pairs else None,
        mean_after=sum(all_after) / pairs if pairs else None,
        daily_drops=[(d, sum(drops) / len(drops)) for d, drops in sorted(days.items())],
    )


def insights_of(owner: Any) -> Insights:
    """The person's figures, over all their records (decrypted with one key, one payload each)."""
    rows = filter_thoughts_of(owner).order_by("day", "created_at").only("id", "owner_id", "day", "payload")
    return compute_insights((r.day, r.payload) for r in rows)
