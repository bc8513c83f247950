"""Small rate limits counted in the shared cache, so that every worker and process sees the same
counts (the database cache by default, Redis when configured; never a process's memory).

A limit is ``limit`` hits per fixed window of ``per`` seconds: cheap (one counter per key and
window) at the price of a burst of up to twice the limit across a window's edge. The database
cache's ``incr`` is a read then a write, so two workers counting at the same instant may miss a
hit: these limits bound abuse, they are not exact quotas. ``settings.RATE_LIMITS`` off (the
benchmark) turns every limit off.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    per: int  # seconds


def client_ip(request: HttpRequest) -> str:
    """The client's address, behind the trusted proxies the settings name (as allauth counts it)."""
    from allauth.account.adapter import get_adapter

    try:
        return str(get_adapter(request).get_client_ip(request))
    except (ImproperlyConfigured, PermissionDenied):
        return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(limit: Limit, who: str, window: int) -> str:
    # Hashed: a token or an address never appears in the cache in clear.
    digest = hashlib.sha256(f"{limit.scope}\0{who}".encode()).hexdigest()[:32]
    return f"entraide:rate:{limit.scope}:{digest}:{window}"


def hit(limit: Limit, who: str) -> int | None:
    """Count one hit for ``who``; ``None`` while within the limit, else the seconds to wait."""
    if not settings.RATE_LIMITS:
        return None
    now = time.time()
    window = int(now // limit.per)
    key = _key(limit, who, window)
    # incr first: a counter usually exists already, and a failed add costs the database cache
    # a rolled-back insert.
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first hit (or another process's, just now: then incr)
        count = 1 if cache.add(key, 1, timeout=limit.per + 1) else cache.incr(key)
    if count <= limit.limit:
        return None
    return max(1, math.ceil((window + 1) * limit.per - now))


def hit_all(pairs: list[tuple[Limit, str]]) -> int | None:
    """Count one hit on each limit; the longest wait among those exceeded, or ``None``."""
    waits = [wait for limit, who in pairs if (wait := hit(limit, who)) is not None]
    return max(waits) if waits else None
