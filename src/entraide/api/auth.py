"""``Authorization: Bearer <token>``: the only way in. No session, hence no CSRF question."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.security import HttpBearer

from entraide.accounts import roles
from entraide.accounts import services as account_services
from entraide.api import idempotency, services
from entraide.api.models import PersonalToken, TokenScope
from entraide.core import instance
from entraide.core.web import ratelimits

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The API takes JSON. Form bodies are refused (415) rather than parsed: Django parses them
# itself, and a middleware may already have read one from the stream (the form keeper reads any
# POST to an owner route made without a session), after which the raw body cannot be read.
FORM_MEDIA_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


AREA = "_entraide_api_area"  # set on the request by the operation's router, read by TokenAuth


class ReadOnlyTokenError(Exception):
    """A token that only reads this area used to change something in it: 403."""


class SecondFactorNeededError(Exception):
    """The owner holds a role that requires a second factor and has not set one up: 401 until
    they do, on the site (a token made before the role must not bypass what a login now asks)."""


class RateLimitedError(Exception):
    """Too many requests from this token or this address: 429 with ``Retry-After``."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


# docs/api.md: a program syncing a journal needs a few requests a minute; messages and forum
# posts will come through the API too. Counted in the shared cache (core.ratelimits).
PER_TOKEN = ratelimits.Limit("api-token", limit=120, per=60)
PER_ADDRESS = ratelimits.Limit("api-address", limit=300, per=60)


class AreaNotAllowedError(Exception):
    """A token that does not open the operation's area: 403."""

    def __init__(self, area: str) -> None:
        super().__init__(area)
        self.area = area


AUDIENCE = "entraide_audience"  # on each operation's run, read by api.v1 for core.routes
AUDIENCES = frozenset({"owner", "gate", "login"})


def area_router(area: str, *, audience: str = "owner", **kwargs: Any) -> Router:
    """A router whose every operation belongs to ``area`` (core.registries.api_areas): a token
    must open that area (to read), with ``read_write`` to change anything. An operation outside
    such a router has no area and refuses every token.

    ``audience`` (core.routes) is the router's, not a URL pattern's: ``owner`` serves the token
    owner's own data; ``gate`` another person's, each operation passing ``circle.gate``;
    ``login`` what any member may read (the community)."""
    if audience not in AUDIENCES:
        raise ValueError(
            f"an API router serves its owner, passes the gate or serves members, not {audience!r}"
        )
    router = Router(**kwargs)

    def in_area(run: Callable[..., Any]) -> Callable[..., Any]:
        # "view" mode: wraps the operation before authentication, which reads the mark.
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kw: Any) -> Any:
            setattr(request, AREA, area)
            setattr(request, idempotency.OPERATION, getattr(run, "__self__", None))
            return run(request, *args, **kw)

        setattr(wrapper, AUDIENCE, audience)
        return wrapper

    router.add_decorator(in_area, mode="view")
    router.add_decorator(idempotency.idempotent)  # after authentication and validation
    router.entraide_area = area  # type: ignore[attr-defined]  # read by the tests and the docs
    router.entraide_audience = audience  # type: ignore[attr-defined]
    return router


class FormBodyError(Exception):
    """A form body where the API takes JSON: 415."""


class ConsentNeededError(Exception):
    """The person has not agreed to the current terms or health-data consent yet: 403 until they
    do, on the site (the web pages ask the same before anything else)."""


def consents_up_to_date(request: HttpRequest, person: Any) -> bool:
    current = account_services.current_consent_versions(instance.settings_for(request))
    agreed = account_services.agreed_versions(person)
    return all(agreed.get(kind, -1) >= version for kind, version in current.items())


class TokenAuth(HttpBearer):
    """A personal access token (see api.services). Sets ``request.auth`` to the token, its owner
    loaded. A read-only token is refused on every method that changes data, whatever the route."""

    def __call__(self, request: HttpRequest) -> PersonalToken | None:
        # Not HttpBearer's: it logs the header (the secret) when DEBUG is on.
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        # Counted before the token is looked up: a flood of wrong tokens costs no query.
        wait = ratelimits.hit(PER_ADDRESS, ratelimits.client_ip(request))
        if wait is not None:
            raise RateLimitedError(wait)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> PersonalToken | None:
        found = services.authenticate(token)
        if found is None:
            return None
        wait = ratelimits.hit(PER_TOKEN, str(found.pk))
        if wait is not None:
            raise RateLimitedError(wait)
        area = getattr(request, AREA, None)
        scope = found.scope_for(area) if area else None
        if scope is None:
            raise AreaNotAllowedError(area or "")
        if request.method not in SAFE_METHODS and scope != TokenScope.READ_WRITE:
            raise ReadOnlyTokenError
        if request.content_type in FORM_MEDIA_TYPES:
            raise FormBodyError
        if not consents_up_to_date(request, found.owner):
            raise ConsentNeededError
        if roles.must_enrol_second_factor(found.owner, instance.settings_for(request)):
            raise SecondFactorNeededError
        return found


def owner_of(request: HttpRequest) -> Any:
    """The person whose token authenticated this request."""
    token: PersonalToken = request.auth  # type: ignore[attr-defined]  # set by ninja after TokenAuth
    return token.owner


def in_owner_zone(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the operation in the token owner's time zone, as pages run in the person's zone
    (accounts.PersonTimeZoneMiddleware): "today" is the person's today."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            zone = zoneinfo.ZoneInfo(owner_of(request).time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return view(request, *args, **kwargs)
        with timezone.override(zone):
            return view(request, *args, **kwargs)

    return wrapper
