"""The settings the benchmark serves with (``DJANGO_SETTINGS_MODULE=bench.settings``, set by
bench/server.py): the product's own, plus the baseline page, and no rate limits. The product
never imports ``bench``."""

from pathlib import Path

from entraide.settings import *  # noqa: F403 — the product's settings, unchanged but for the lines below
from entraide.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [Path(__file__).resolve().parent / "templates"]
# The benchmark measures pages, not throttling: one person logs in and posts many times.
ACCOUNT_RATE_LIMITS = False
RATE_LIMITS = False  # ours too (core.ratelimits)
