"""The instance's moderation rules (its settings section "community"), trust levels and
moderation hours: pure functions of a settings row, a member's counters and a moment."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import pgettext_lazy

from entraide.core import instance
from entraide.core.models import InstanceSettings

NEW, MEMBER, TRUSTED = "new", "member", "trusted"
LEVEL_LABELS = {
    NEW: pgettext_lazy("trust level", "New"),
    MEMBER: pgettext_lazy("trust level", "Member"),
    TRUSTED: pgettext_lazy("trust level", "Trusted"),
}
FIGURES_PUBLIC, FIGURES_MEMBERS = "public", "members"


@dataclass(frozen=True)
class Rules:
    """The numbers of issue 21 by default; each is a field of the community settings form."""

    approvals: int = 3  # a new member's posts wait for approval until this many are published
    member_days: int = 7  # and "member" also needs this account age
    trusted_days: int = 30
    trusted_posts: int = 20
    trusted_clean_days: int = 90  # no upheld flag against them for this long
    off_hours_flags: int = 3  # trusted members' harassment flags that hide a post off hours
    hours_start: str = "09:00"  # moderation hours, in the instance's time zone
    hours_end: str = "21:00"
    hours_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)  # Monday = 0
    figures: str = FIGURES_PUBLIC  # who reads the moderation figures: everyone, or members

    @classmethod
    def of(cls, row: InstanceSettings) -> Rules:
        stored: dict[str, Any] = row.extra.get("community", {})
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in stored:
                value = stored[f.name]
                values[f.name] = tuple(int(v) for v in value) if f.name == "hours_days" else value
        return cls(**values)


def current() -> Rules:
    return Rules.of(instance.load_settings())


def _clock(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        return time(0, 0)


def within_hours(rules: Rules, moment: datetime) -> bool:
    """Whether moderators are on duty at ``moment`` (hours in the instance's zone; an end before
    the start spans midnight, and the day is the one the hours started)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    start, end = _clock(rules.hours_start), _clock(rules.hours_end)
    now = local.time()
    if start == end:
        return local.weekday() in rules.hours_days  # the whole day
    if start < end:
        return local.weekday() in rules.hours_days and start <= now < end
    if now >= start:
        return local.weekday() in rules.hours_days
    return now < end and (local - timedelta(days=1)).weekday() in rules.hours_days


def level_of(
    rules: Rules,
    *,
    joined: datetime,
    published_posts: int,
    last_upheld_flag_at: datetime | None,
    now: datetime,
) -> str:
    """New, member or trusted, from one member's counters (``MemberStanding``) and account age."""
    age = now - joined
    clean = last_upheld_flag_at is None or last_upheld_flag_at < now - timedelta(
        days=rules.trusted_clean_days
    )
    if published_posts >= rules.trusted_posts and age >= timedelta(days=rules.trusted_days) and clean:
        return TRUSTED
    if published_posts >= rules.approvals and age >= timedelta(days=rules.member_days):
        return MEMBER
    return NEW


def must_wait_for_approval(rules: Rules, *, published_posts: int) -> bool:
    return published_posts < rules.approvals


def next_opening(rules: Rules, moment: datetime) -> datetime | None:
    """When moderation hours next start after ``moment`` (in the instance's zone); ``None`` when
    no day has hours. Used to tell a member roughly when a moderator will read their post."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone)
    start = _clock(rules.hours_start)
    for offset in range(8):
        day = (local + timedelta(days=offset)).date()
        if day.weekday() not in rules.hours_days:
            continue
        candidate = datetime.combine(day, start, tzinfo=zone)
        if candidate > local:
            return candidate
    return None
