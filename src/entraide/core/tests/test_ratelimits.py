"""Rate limits counted in the shared cache: a fixed window, a wait to the window's end."""

import pytest
import time_machine

from entraide.core.web import ratelimits

pytestmark = pytest.mark.django_db

LIMIT = ratelimits.Limit("test", limit=3, per=60)


def test_hit_counts_within_a_window_then_says_how_long_to_wait():
    with time_machine.travel(1_800_000_010, tick=False):  # 10 s into a 60 s window
        assert [ratelimits.hit(LIMIT, "a") for _ in range(3)] == [None, None, None]
        assert ratelimits.hit(LIMIT, "a") == 50
        assert ratelimits.hit(LIMIT, "b") is None  # each key its own count
    with time_machine.travel(1_800_000_061, tick=False):  # the next window
        assert ratelimits.hit(LIMIT, "a") is None


def test_hit_all_gives_the_longest_wait():
    short = ratelimits.Limit("short", limit=1, per=10)
    with time_machine.travel(1_800_000_000, tick=False):
        assert ratelimits.hit_all([(short, "a"), (LIMIT, "a")]) is None
        assert ratelimits.hit_all([(short, "a"), (LIMIT, "a")]) == 10


def test_hit_counts_nothing_when_limits_are_off(settings):
    settings.RATE_LIMITS = False  # the benchmark
    assert all(ratelimits.hit(LIMIT, "a") is None for _ in range(10))
