"""How the API lets a request in: a valid bearer token, nothing else."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from entraide.api import services
from entraide.api.auth import in_owner_zone
from entraide.api.models import PersonalToken
from entraide.api.tests.conftest import api_client, json_post
from entraide.api.v1 import api
from entraide.core.web.routes import audience_of
from entraide.journal import values

pytestmark = pytest.mark.django_db
CHECKINS = "/api/v1/checkins"


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def test_every_api_route_declares_its_audience():
    resolver = next(r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "api-v1")
    found = {
        p.name: audience_of(p.callback, p.name) for p in resolver.url_patterns if isinstance(p, URLPattern)
    }
    assert found.pop("openapi-json") == "public"
    assert found.pop("api-root") == "public"
    # The community's operations serve what any member reads (login).
    community = {name for name in found if name.startswith("community_")}
    assert community and {found.pop(name) for name in community} == {"login"}
    assert found and set(found.values()) == {"owner", "gate"}
    # The gate's operations are those of what others share with the token's owner, and only they.
    gate_paths = {
        str(p.pattern)
        for p in resolver.url_patterns
        if isinstance(p, URLPattern) and audience_of(p.callback, p.name) == "gate"
    }
    assert gate_paths and all(path.startswith("circle/people") for path in gate_paths), gate_paths


def test_an_audience_belongs_to_a_router_and_is_owner_gate_or_login():
    from entraide.api.auth import area_router

    assert area_router("journal").entraide_audience == "owner"
    assert area_router("circle_shared", audience="gate").entraide_audience == "gate"
    assert area_router("community", audience="login").entraide_audience == "login"
    with pytest.raises(ValueError, match="passes the gate"):
        area_router("journal", audience="public")
    for _method, path, operation in bound_operations():
        audience = getattr(operation.run, "entraide_audience", None)
        expected = (
            "gate"
            if path.startswith("/circle/people")
            else "login"
            if path.startswith("/community")
            else "owner"
        )
        assert audience == expected, path


@pytest.mark.parametrize(("method", "path"), operations())
def test_every_operation_refuses_anonymous_requests_with_401(method, path):
    url = path.replace("{checkin_id}", "00000000-0000-4000-8000-000000000001")
    url = url.replace("{indicator_id}", "00000000-0000-4000-8000-000000000001")
    url = url.replace("{entry_id}", "00000000-0000-4000-8000-000000000001")
    response = api_client().generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid access token is needed: Authorization: Bearer <token>."}


def test_schema_describes_every_operation_with_an_id_a_summary_and_its_errors():
    schema = api_client().get("/api/v1/openapi.json").json()  # public: a program reads it first
    assert schema["info"]["title"] == "entraide API"
    ids = set()
    for item in schema["paths"].values():
        for operation in item.values():
            ids.add(operation["operationId"])
            assert operation["summary"]
            assert {"401", "422"} <= set(operation["responses"])
            assert operation["security"] == [{"TokenAuth": []}]
    assert len(ids) == sum(len(item) for item in schema["paths"].values()) >= 50  # unique ids
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    error = schema["components"]["schemas"]["ValidationErrorOut"]
    assert error["properties"]["detail"]["items"]["$ref"].endswith("/FieldError")


def test_there_is_no_docs_page_loading_from_a_cdn():
    assert api_client().get("/api/v1/docs").status_code == 404


def test_schema_lists_the_emotions_of_the_journal():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    emotions = schema["components"]["schemas"]["CheckinIn"]["properties"]["emotions"]["anyOf"][0]
    assert emotions["items"]["enum"] == list(values.EMOTIONS)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer ent_",
        "Bearer ent_" + "a" * 43,  # well formed, unknown
        "Bearer " + "x" * 10_000,
        "Basic Y2FtaWxsZTpzZWNyZXQ=",
        "Token ent_" + "a" * 43,
    ],
)
def test_unknown_or_malformed_credentials_are_401(owner, header):
    assert api_client(Authorization=header).get(CHECKINS).status_code == 401


def test_answers_are_never_cached(owner_api, journal_of):
    checkin = journal_of["checkins"][0]
    for response in (
        owner_api.get(CHECKINS),
        owner_api.get(f"{CHECKINS}/{checkin.pk}"),
        owner_api.get(f"{CHECKINS}/00000000-0000-4000-8000-000000000009"),
        owner_api.delete(f"{CHECKINS}/{checkin.pk}"),
        api_client().get(CHECKINS),
    ):
        assert response["Cache-Control"] == "no-store", response.status_code


def test_a_session_is_not_enough(owner, owner_client):
    assert owner_client.get(CHECKINS).status_code == 401


def test_the_token_must_be_whole(owner, make_token):
    secret = make_token(owner)
    assert api_client(secret).get(CHECKINS).status_code == 200
    assert api_client(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get(CHECKINS).status_code == 401
    assert api_client(f"  {secret}  ").get(CHECKINS).status_code == 200  # spaces around are fine


def test_a_revoked_token_or_an_inactive_owner_is_401(owner, make_token):
    secret = make_token(owner)
    services.revoke_token(PersonalToken.objects.get())
    assert api_client(secret).get(CHECKINS).status_code == 401
    other = make_token(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert api_client(other).get(CHECKINS).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(owner, make_token, django_assert_num_queries):
    secret = make_token(owner)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_client(secret).get(CHECKINS)
    assert PersonalToken.objects.get().last_used_at == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        api_client(secret).get(CHECKINS)
    assert PersonalToken.objects.get().last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api_client(secret).get(CHECKINS)
    assert PersonalToken.objects.get().last_used_at == start + timedelta(seconds=61)


def test_form_bodies_are_refused_with_415_and_bodyless_posts_work(owner, make_token, journal_of):
    api = api_client(make_token(owner))
    response = api.post(CHECKINS, {"moment": "2026-11-10T10:00:00Z"})  # multipart
    assert response.status_code == 415
    indicator = journal_of["indicators"][0]
    assert api.generic("POST", f"/api/v1/indicators/{indicator.pk}/archive").status_code == 200


def test_invalid_json_is_a_4xx(owner_api):
    for body in ("{nope", "[]", "null", '"texte"', "1e999"):
        response = owner_api.post(CHECKINS, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code)


def test_nothing_about_the_token_is_logged(owner, make_token, caplog, settings):
    settings.DEBUG = True  # ninja's own bearer class logs the header when DEBUG is on; ours does not
    secret = make_token(owner)
    with caplog.at_level(logging.DEBUG):
        api_client(Authorization=f"Token {secret}").get(CHECKINS)
        api_client(secret).get(CHECKINS)
        json_post(api_client(secret), CHECKINS, {"moment": "2026-11-10T10:00:00Z", "note": "très personnel"})
    assert secret not in caplog.text
    assert "très personnel" not in caplog.text


def test_operations_run_in_the_owners_time_zone(owner, make_token):
    owner.time_zone = "Pacific/Kiritimati"
    owner.save(update_fields=["time_zone"])
    request = RequestFactory().get(CHECKINS)
    request.auth = services.authenticate(make_token(owner))
    seen = {}

    @in_owner_zone
    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()

    view(request)
    assert seen == {"zone": "Pacific/Kiritimati"}
    assert timezone.get_current_timezone_name() != "Pacific/Kiritimati"  # not left behind


def test_api_refuses_a_person_who_must_agree_to_new_terms_first(owner, owner_api, admin_user):
    from entraide.core import services as core_services

    assert owner_api.get("/api/v1/checkins").status_code == 200
    core_services.publish_legal_document(
        kind="terms",
        language="fr",
        body="## Nouvelles conditions",
        change_summary="",
        base_version=0,
        by=admin_user,
        requires_new_consent=True,
    )
    response = owner_api.get("/api/v1/checkins")
    assert response.status_code == 403
    assert "terms" in response.json()["detail"]


# --- areas ----------------------------------------------------------------------------------------


def bound_operations() -> list[tuple[str, str, object]]:
    """(method, path, operation) of every operation the API serves, as built."""
    return [
        (method, prefix_path, operation)
        for bound in api._get_bound_routers()
        for prefix_path, path_view in bound.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    ]


def test_every_operation_belongs_to_a_registered_area(rf):
    from entraide.api.auth import AREA
    from entraide.core.registries import api_areas

    for method, path, operation in bound_operations():
        request = rf.generic(method, "/api/v1/x")
        operation.run(request)  # no token: 401, after the router marked its area
        area = getattr(request, AREA, None)
        assert area is not None and api_areas.get(area) is not None, (method, path)


def test_a_token_opens_only_its_areas(owner):
    secret = services.create_token(
        owner, name="Script", areas={"journal": "read", "goals": "read_write"}, days=30
    )[1]
    client = api_client(secret)
    assert client.get(CHECKINS).status_code == 200
    assert client.get("/api/v1/goals").status_code == 200
    refused = client.get("/api/v1/thought-records")
    assert refused.status_code == 403
    assert "does not open the area 'thoughts'" in refused.json()["detail"]
    # Read only in the journal: no change there, but changes in the goals.
    written = json_post(client, CHECKINS, {"moment": "2026-11-02T10:00:00+01:00", "mood": 5})
    assert written.status_code == 403 and "can only read this area" in written.json()["detail"]
    assert json_post(client, "/api/v1/goals", {"title": "Marcher"}).status_code == 201


def test_an_area_refusal_comes_before_checking_the_body(owner):
    secret = services.create_token(owner, name="Script", areas={"goals": "read"}, days=30)[1]
    assert json_post(api_client(secret), CHECKINS, {"mood": "not a number"}).status_code == 403


def test_a_token_made_before_areas_keeps_its_old_scope_everywhere(owner):
    token, secret = services.create_token(owner, name="Script", areas={"goals": "read"}, days=30)
    PersonalToken.objects.filter(pk=token.pk).update(areas=["*:read"])  # as migrated
    client = api_client(secret)
    assert (
        client.get(CHECKINS).status_code == 200 and client.get("/api/v1/thought-records").status_code == 200
    )
    assert json_post(client, "/api/v1/goals", {"title": "Marcher"}).status_code == 403


# --- second factor ----------------------------------------------------------------------------------


def test_a_token_of_someone_who_must_enrol_a_second_factor_is_401(owner, owner_api, admin_user):
    from conftest import enrol_totp
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    assert owner_api.get(CHECKINS).status_code == 200  # made before the role
    grant_role(owner, role=Role.PEER_HELPER, by=admin_user)
    refused = owner_api.get(CHECKINS)
    assert refused.status_code == 401
    assert "second step at login" in refused.json()["detail"]
    assert "insufficient_user_authentication" in refused["WWW-Authenticate"]
    enrol_totp(owner)
    assert owner_api.get(CHECKINS).status_code == 200


# --- rate limits ------------------------------------------------------------------------------------


def test_requests_are_limited_per_token_with_retry_after(owner, make_token, monkeypatch, settings):
    from entraide.api import auth

    settings.RATE_LIMITS = True
    from entraide.core.web import ratelimits

    monkeypatch.setattr(auth, "PER_TOKEN", ratelimits.Limit("api-token-test", limit=3, per=60))
    first, second = api_client(make_token(owner)), api_client(make_token(owner))
    with time_machine.travel(1_800_000_000, tick=False):
        assert [first.get(CHECKINS).status_code for _ in range(4)] == [200, 200, 200, 429]
        limited = first.get(CHECKINS)
        assert limited.status_code == 429 and limited["Retry-After"] == "60"
        assert limited.json() == {"detail": "Too many requests: try again in 60 seconds."}
        assert second.get(CHECKINS).status_code == 200  # each token its own count


def test_requests_are_limited_per_address_before_the_token_is_read(owner, make_token, monkeypatch, settings):
    from entraide.api import auth

    settings.RATE_LIMITS = True
    from entraide.core.web import ratelimits

    monkeypatch.setattr(auth, "PER_ADDRESS", ratelimits.Limit("api-address-test", limit=2, per=60))
    clients = [api_client(make_token(owner)), api_client(make_token(owner)), api_client("ent_" + "x" * 43)]
    statuses = [client.get(CHECKINS).status_code for client in clients]
    assert statuses == [200, 200, 429]


def test_rate_limits_are_off_for_the_benchmark(owner, make_token, monkeypatch, settings):
    from entraide.api import auth
    from entraide.core.web import ratelimits

    settings.RATE_LIMITS = False  # what bench/settings.py sets
    monkeypatch.setattr(auth, "PER_TOKEN", ratelimits.Limit("api-token-test", limit=1, per=60))
    client = api_client(make_token(owner))
    assert {client.get(CHECKINS).status_code for _ in range(3)} == {200}
