"""``/api/v1``: a person's own journal, for programs of their own, with a personal access token.

Every operation calls the journal's services and owner loaders, as the pages do. Errors are JSON
``{"detail": ...}``; the schema is at ``/api/v1/openapi.json``. No docs page: Swagger UI would load
from a CDN, and this site makes no third-party requests. See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.urls import get_openapi_urls, get_root_url
from ninja.parser import Parser

from entraide.api import idempotency
from entraide.api.auth import (
    AUDIENCE,
    AreaNotAllowedError,
    ConsentNeededError,
    FormBodyError,
    RateLimitedError,
    ReadOnlyTokenError,
    SecondFactorNeededError,
    TokenAuth,
)
from entraide.api.endpoints import checkins, entries, indicators, insights
from entraide.circle.services import CircleError
from entraide.core.content import text
from entraide.core.errors import InvalidValuesError
from entraide.journal.services import IndicatorLimitError

DESCRIPTION = """\
A person's own check-ins, custom indicators and journal entries; their circle (invitations,
links, what they share, the pause, who saw what); what others share with them; and the community
spaces they may read (under their pseudonym).

Authenticate with a personal access token, created on the site (My account → API access
tokens): `Authorization: Bearer ent_…`. A token opens some areas (each operation's tag says
which: journal, goals, thoughts, questionnaires, safety plan, treatments, circle, community), each
read only or read and write; any other area, or a change with a read-only area, gets 403. What
others share with the token's owner (`/circle/people/…`, tag "shared with me") opens only with a
token that names that area, read only: each read passes the person's consent gate, shows in their
"who saw what", and is a 404 as soon as they stop sharing.

Errors are JSON: `{"detail": "…"}`, or for invalid values (422)
`{"detail": [{"field": "mood", "message": "…"}]}`. The journal's messages follow `Accept-Language`
(English or French), else the site's language; schema checks answer in English.
"""

# Which routes may be reached by whom (core.routes): the schema is public; every operation has
# its router's audience (owner; gate for what others share with the token's owner; login for the
# community, which serves what any member may read).
PUBLIC_URL_NAMES = frozenset({"openapi-json", "api-root"})


class NormalizedParser(Parser):
    """JSON bodies get core.text's normalisation, as forms and query strings do (middleware)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return text.normalize_data(super().parse_body(request))  # type: ignore[no-any-return]


class EntraideAPI(NinjaAPI):
    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        # A person's data, asked with a token: no cache keeps it (the pages do the same).
        response = super().create_temporal_response(request)
        response["Cache-Control"] = "no-store"
        return response

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "no-store"
        return response

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """ninja's URL patterns, each marked with its audience (core.routes): the schema's are
        public; an operation's is its router's (``api.auth.area_router``), so a router serves
        its owner or passes the gate as a whole. An operation outside an area router gets none,
        and the route-classification tests fail on it."""
        patterns: list[URLResolver | URLPattern] = list(get_openapi_urls(self))
        for bound in self._get_bound_routers():
            audiences = [
                getattr(operation.run, AUDIENCE, None)
                for path_view in bound.path_operations.values()
                for operation in path_view.operations
            ]
            found = list(bound.urls_paths(bound.prefix))  # one pattern per operation, in that order
            for pattern, audience in zip(found, audiences, strict=True):
                if audience is not None:
                    pattern.callback.audience = audience  # type: ignore[attr-defined]  # core.routes
            patterns.extend(found)
        patterns.append(get_root_url(self))
        for entry in patterns:
            if isinstance(entry, URLPattern) and entry.name in PUBLIC_URL_NAMES:
                entry.callback.audience = "public"  # type: ignore[attr-defined]
        return patterns


api = EntraideAPI(
    title="entraide API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    auth=TokenAuth(),
    parser=NormalizedParser(),
)
api.add_router("", checkins.router)
api.add_router("", indicators.router)
api.add_router("", entries.router)
api.add_router("", insights.router)
api.add_router("", "entraide.api.endpoints.thoughts.router")
api.add_router("", "entraide.api.endpoints.goals.router")
api.add_router("", "entraide.api.endpoints.assessments.router")
api.add_router("", "entraide.api.endpoints.safety.router")
api.add_router("", "entraide.api.endpoints.treatments.router")
api.add_router("", "entraide.api.endpoints.circle.router")  # the person's circle (owner)
api.add_router("", "entraide.api.endpoints.circle_shared.router")  # what others share (gate)
api.add_router("", "entraide.api.endpoints.community.router")


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "A valid access token is needed: Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = 'Bearer realm="entraide"'
    return response


@api.exception_handler(SecondFactorNeededError)
def second_factor_needed(request: HttpRequest, exc: SecondFactorNeededError) -> HttpResponse:
    response = _error(
        request,
        401,
        "Your role on this site requires a second step at login: set it up on the site (My account "
        "→ Two-step login), then this token works again.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="entraide", error="insufficient_user_authentication"'
    return response


@api.exception_handler(RateLimitedError)
def rate_limited(request: HttpRequest, exc: RateLimitedError) -> HttpResponse:
    response = _error(request, 429, f"Too many requests: try again in {exc.wait} seconds.")
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(ReadOnlyTokenError)
def read_only(request: HttpRequest, exc: ReadOnlyTokenError) -> HttpResponse:
    return _error(
        request, 403, "This token can only read this area. Create a read and write token to make changes."
    )


@api.exception_handler(AreaNotAllowedError)
def area_not_allowed(request: HttpRequest, exc: AreaNotAllowedError) -> HttpResponse:
    return _error(
        request,
        403,
        f"This token does not open the area {exc.area!r}. Create a token that includes it.",
    )


@api.exception_handler(ConsentNeededError)
def consent_needed(request: HttpRequest, exc: ConsentNeededError) -> HttpResponse:
    return _error(
        request, 403, "The terms of use changed: log in on the site and agree to them before using the API."
    )


@api.exception_handler(idempotency.InvalidKeyError)
def invalid_idempotency_key(request: HttpRequest, exc: idempotency.InvalidKeyError) -> HttpResponse:
    return _error(
        request,
        422,
        [{"field": "Idempotency-Key", "message": "Use 1 to 255 visible ASCII characters, such as a UUID."}],
    )


@api.exception_handler(idempotency.KeyReusedError)
def idempotency_key_reused(request: HttpRequest, exc: idempotency.KeyReusedError) -> HttpResponse:
    return _error(
        request,
        422,
        [
            {
                "field": "Idempotency-Key",
                "message": "This key was used for another request in the last 24 hours: use a new key.",
            }
        ],
    )


@api.exception_handler(idempotency.AlreadyDoneError)
def already_done(request: HttpRequest, exc: idempotency.AlreadyDoneError) -> HttpResponse:
    return _error(request, 409, f"Already done with this Idempotency-Key (id {exc.object_id or 'none'}).")


@api.exception_handler(FormBodyError)
def not_json(request: HttpRequest, exc: FormBodyError) -> HttpResponse:
    return _error(request, 415, "Send JSON, with Content-Type: application/json.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(InvalidValuesError)
def invalid_values(request: HttpRequest, exc: InvalidValuesError) -> HttpResponse:
    return _error(request, 422, [{"field": key, "message": str(msg)} for key, msg in exc.errors.items()])


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, [_field_error(e) for e in exc.errors])


@api.exception_handler(CircleError)
def circle_rule(request: HttpRequest, exc: CircleError) -> HttpResponse:
    return _error(request, 409, str(exc))


@api.exception_handler(IndicatorLimitError)
def too_many_indicators(request: HttpRequest, exc: IndicatorLimitError) -> HttpResponse:
    return _error(request, 409, "50 indicators are already active: archive one first.")


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    """pydantic's ``loc`` ("body", "data", "mood") as "mood"; query and path ones keep their name."""
    loc = [str(part) for part in error.get("loc", ())]
    if loc[:1] == ["body"]:
        loc = loc[2:] or loc[1:]
    elif loc[:1] in (["query"], ["path"]):
        loc = loc[2:] if len(loc) > 2 and loc[1] == "filters" else loc[1:]
    return {"field": ".".join(loc) or "body", "message": str(error.get("msg", "Invalid value."))}
