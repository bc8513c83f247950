"""The token pages: created after a fresh password, shown once, stored hashed, revocable."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, client_for
from entraide.api import services
from entraide.api.models import PersonalToken
from entraide.api.tests.conftest import api_client
from entraide.core.forms import formtokens
from entraide.core.registries import api_areas

pytestmark = pytest.mark.django_db
LIST = "/compte/acces-api/"
NEW = "/compte/acces-api/nouveau/"
REAUTH = "/compte/reauthenticate/"


def revoke_url(token: PersonalToken) -> str:
    return f"/compte/acces-api/{token.pk}/revoquer/"


class Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("id"):
            self.values[a["id"]] = a.get("value", "")
        if tag == "input" and a.get("name") == formtokens.FIELD:
            self.values[formtokens.FIELD] = a["value"]


def inputs(response) -> dict[str, str]:
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.values


def logged_in_with_password(user) -> Client:
    """A client that typed the password at login just now (as a person does)."""
    client = client_for()
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def form_data(client: Client, **values: str) -> dict[str, str]:
    token = inputs(client.get(NEW))[formtokens.FIELD]
    return {"name": "Mon tableur", "area_journal": "read", "days": "90", formtokens.FIELD: token, **values}


def every_text_in_the_database() -> str:
    """Every row of every table, as text: to look for a secret anywhere."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — our names
            found.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(found)


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [("get", LIST), ("get", NEW), ("post", NEW)])
def test_anonymous_visitors_are_sent_to_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_list_shows_only_my_tokens(owner, stranger, make_token):
    make_token(owner, name="Mon tableur")
    make_token(stranger, name="Script de Dominique")
    page = client_for(owner).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Mon tableur" in html and "Dominique" not in html
    assert "Never used." in html and "Active" in html
    assert "<title>Personal space · " in html  # neutral on a shared computer
    assert page["Cache-Control"] == "no-store"


def test_list_makes_a_fixed_number_of_queries(owner, make_token, django_assert_num_queries):
    client = client_for(owner)
    client.get(LIST)
    for n in range(8):
        make_token(owner, name=f"Script {n}")
    with django_assert_num_queries(5):  # session, user, instance settings, count, page: not one per token
        client.get(LIST)


def test_list_tells_expired_and_revoked_tokens_apart(owner, make_token):
    make_token(owner, name="Ancien", days=30)
    secret = make_token(owner, name="Retiré")
    services.revoke_token(services.authenticate(secret))
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        html = client_for(owner).get(LIST).content.decode()
    assert "Expired" in html and "Revoked on" in html
    assert "Revoke “" not in html  # nothing left to revoke


# --- creating -----------------------------------------------------------------------------------


def test_the_form_page_asks_for_name_areas_and_duration(owner):
    response = client_for(owner).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for name in ('name="name"', 'name="days"', f'name="{formtokens.FIELD}"'):
        assert name in html
    for area in api_areas.ordered():  # each area the apps registered, none ticked
        assert f'name="area_{area.key}" value="none"' in html
        assert re.search(rf'name="area_{area.key}" value="none"[^>]*checked', html)
    assert 'value="365"' in html and "never" not in html.lower()  # no token without an expiry


def test_creating_needs_a_fresh_password_then_shows_the_token_once(owner):
    client = client_for(owner)  # logged in long ago: no password typed in this session
    response = client.post(NEW, form_data(client))
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert not PersonalToken.objects.exists()

    response = client.post(response["Location"], {"password": PASSWORD})  # allauth resumes the POST
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = inputs(response)["api-token"]
    assert secret.startswith("ent_") and len(secret) == 47
    assert "<title>Personal space · " in response.content.decode()
    assert "will not be shown again" in response.content.decode()

    token = PersonalToken.objects.get()
    assert (token.owner, token.name, token.areas) == (owner, "Mon tableur", ["journal:read"])
    assert token.expires_at - token.created_at == timedelta(days=90)
    assert token.prefix == secret[4:12]
    assert token.secret_hash == services.hash_secret(secret)
    assert secret not in every_text_in_the_database()
    assert secret not in client.get(LIST).content.decode()  # never shown again
    assert api_client(secret).get("/api/v1/checkins").status_code == 200


def test_a_password_typed_at_login_just_now_counts(owner):
    client = logged_in_with_password(owner)
    response = client.post(
        NEW, form_data(client, area_journal="none", area_treatments="read_write", days="365")
    )
    assert response.status_code == 200
    assert PersonalToken.objects.get().areas == ["treatments:read_write"]
    assert "Treatments: read and write" in response.content.decode()


def test_a_login_more_than_five_minutes_ago_asks_again(owner):
    client = logged_in_with_password(owner)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        data = form_data(client)
        response = client.post(NEW, data)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert not PersonalToken.objects.exists()


def test_a_double_submit_creates_one_token(owner):
    client = logged_in_with_password(owner)
    data = form_data(client)
    first = client.post(NEW, data)
    assert first.status_code == 200 and inputs(first)["api-token"].startswith("ent_")
    assert "Your token is created." in first.content.decode()
    second = client.post(NEW, data)
    assert second.status_code == 302 and second["Location"] == LIST
    assert PersonalToken.objects.count() == 1
    page = client.get(LIST).content.decode()
    assert "already created" in page and "nothing was sent twice" in page
    assert "ent_" + PersonalToken.objects.get().prefix in page  # the list shows its start, only


@pytest.mark.parametrize(
    "values",
    [
        {"name": "   "},
        {"name": "x" * 81},
        {"area_journal": "admin"},
        {"area_journal": "none"},  # no area at all
        {"days": "0"},
        {"days": "3650"},
    ],
)
def test_invalid_choices_show_the_form_again(owner, values):
    client = logged_in_with_password(owner)
    response = client.post(NEW, form_data(client, **values))
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not PersonalToken.objects.exists()


def test_a_form_opened_by_another_account_saves_nothing(owner, stranger):
    data = form_data(client_for(stranger))
    response = logged_in_with_password(owner).post(NEW, data)
    assert response.status_code == 200
    assert "opened for another account" in response.content.decode()
    assert not PersonalToken.objects.exists()


# --- revoking -----------------------------------------------------------------------------------


def test_revoking_stops_the_token_at_once(owner, make_token):
    secret = make_token(owner)
    api = api_client(secret)
    assert api.get("/api/v1/checkins").status_code == 200
    token = PersonalToken.objects.get()
    response = client_for(owner).post(revoke_url(token))
    assert response.status_code == 302 and response["Location"] == LIST
    assert PersonalToken.objects.get().revoked_at is not None
    assert api.get("/api/v1/checkins").status_code == 401


def test_revoking_is_post_only(owner, make_token):
    make_token(owner)
    token = PersonalToken.objects.get()
    assert client_for(owner).get(revoke_url(token)).status_code == 405
    assert PersonalToken.objects.get().revoked_at is None


def test_revoking_another_persons_token_is_a_404(owner, stranger, make_token):
    make_token(owner)
    token = PersonalToken.objects.get()
    assert client_for(stranger).post(revoke_url(token)).status_code == 404
    assert PersonalToken.objects.get().revoked_at is None


def test_an_expired_token_is_refused(owner, make_token):
    secret = make_token(owner, days=30)
    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        assert api_client(secret).get("/api/v1/checkins").status_code == 401
