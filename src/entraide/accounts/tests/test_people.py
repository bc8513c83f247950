"""The people pages: who may open them, the list without N+1, granting and revoking roles."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import client_for, enrol_totp, make_user
from entraide.accounts import invitations, services
from entraide.accounts.models import Role, RoleGrant, SecurityEvent, User

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def person(db: None) -> User:
    person = make_user("Zoe")  # the address is made from the pseudonym: no accent there
    person.pseudonym = "Zoé"
    person.save(update_fields=["pseudonym"])
    return person


def person_url(person: User, suffix: str = "") -> str:
    return f"/gestion/personnes/{person.pk}/{suffix}"


def visit(client: Client, url: str, method: str) -> int:
    response = client.post(url, {"role": Role.MODERATOR}) if method == "post" else client.get(url)
    return response.status_code


@pytest.mark.parametrize(
    ("suffix", "method", "admin_status"),
    [("list", "get", 200), ("", "get", 200), ("attribuer/", "post", 302), ("retirer/", "post", 302)],
)
def test_only_administrators_reach_the_people_pages(
    admin_user, coordinator, owner, person, suffix, method, admin_status
):
    url = "/gestion/personnes/" if suffix == "list" else person_url(person, suffix)
    assert visit(Client(), url, method) == 302
    anonymous = Client().get(url) if method == "get" else Client().post(url)
    assert anonymous["Location"].startswith("/compte/login/")
    assert visit(client_for(owner), url, method) == 403
    assert visit(client_for(coordinator), url, method) == 403
    assert visit(client_for(admin_user), url, method) == admin_status


def test_the_refusal_is_a_kind_translated_page(owner):
    response = client_for(owner).get("/gestion/personnes/", **EN)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only the administrators of this instance can manage people" in body
    assert body.count("<h1") == 1


def test_an_administrator_by_grant_is_an_administrator(admin_user, person):
    services.grant_role(person, role=Role.ADMIN, by=admin_user)
    enrol_totp(person)
    assert client_for(person).get("/gestion/personnes/").status_code == 200


@pytest.mark.parametrize(("suffix", "method"), [("", "get"), ("attribuer/", "post"), ("retirer/", "post")])
def test_an_unknown_person_is_not_found(admin_user, suffix, method):
    url = f"/gestion/personnes/{uuid.uuid4()}/{suffix}"
    assert visit(client_for(admin_user), url, method) == 404


def test_the_list_shows_pseudonyms_roles_and_dates_but_no_email(admin_user, person):
    services.grant_role(person, role=Role.MODERATOR, by=admin_user)
    body = client_for(admin_user).get("/gestion/personnes/", **EN).content.decode()
    assert "Zoé" in body and "Moderator" in body
    assert "Alix" in body and "Administrator" in body  # the superuser counts as an administrator
    assert "@example.org" not in body
    assert person_url(person) in body


@pytest.mark.parametrize("query", ["zoé", "ZOE", "z0e", "Zo"])
def test_the_search_finds_a_pseudonym_however_it_is_written(admin_user, person, query):
    make_user("Camille")
    body = client_for(admin_user).get("/gestion/personnes/", {"q": query}).content.decode()
    assert "Zoé" in body
    assert "Camille" not in body


def test_the_list_is_paginated_by_fifty(admin_user):
    for i in range(55):
        make_user(f"Membre{i:02d}")
    client = client_for(admin_user)
    first = client.get("/gestion/personnes/").content.decode()
    second = client.get("/gestion/personnes/", {"page": 2}).content.decode()
    assert len(re.findall(r'href="/gestion/personnes/[0-9a-f-]{36}/"', first)) == 50
    assert "Membre54" in second and "Membre54" not in first
    assert client.get("/gestion/personnes/", {"page": 99}).status_code == 200


def _list_queries(client: Client) -> int:
    client.get("/gestion/personnes/")  # a grant elsewhere makes each session re-read its roles once
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/gestion/personnes/").status_code == 200
    return len(queries)


def test_the_list_makes_the_same_queries_for_few_or_many_people(admin_user):
    client = client_for(admin_user)
    for i in range(3):
        services.grant_role(make_user(f"Peu{i}"), role=Role.MODERATOR, by=admin_user)
    few = _list_queries(client)
    for i in range(30):
        services.grant_role(make_user(f"Beaucoup{i}"), role=Role.PEER_HELPER, by=admin_user)
    many = _list_queries(client)
    assert many == few
    assert many <= 10, many  # session, user, settings, the role checks, count, page, grants


def grant(client: Client, person: User, **data: str):
    return client.post(person_url(person, "attribuer/"), data, **EN)


def test_a_peer_helper_needs_the_adult_check(admin_user, person):
    client = client_for(admin_user)
    response = grant(client, person, role=Role.PEER_HELPER)
    assert response.status_code == 400
    assert "must be adults" in response.content.decode()
    assert not RoleGrant.objects.filter(user=person).exists()

    response = grant(client, person, role=Role.PEER_HELPER, adult_checked="on")
    assert response.status_code == 302
    assert services.active_roles(person) == {Role.PEER_HELPER}
    event = SecurityEvent.objects.get(user=person, kind=SecurityEvent.Kind.ROLE_GRANTED)
    assert event.actor == admin_user
    assert event.extra["role"] == Role.PEER_HELPER and event.extra["adult_checked"] is True


def test_a_professional_needs_a_profession_and_how_it_was_checked(admin_user, person):
    client = client_for(admin_user)
    response = grant(client, person, role=Role.PROFESSIONAL, adult_checked="on", profession="Psychologue")
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=person).exists()

    response = grant(
        client,
        person,
        role=Role.PROFESSIONAL,
        adult_checked="on",
        profession="Psychologue",
        verification_note="Numéro ADELI vérifié sur le répertoire public",
    )
    assert response.status_code == 302
    grant_row = RoleGrant.objects.get(user=person, role=Role.PROFESSIONAL)
    event = SecurityEvent.objects.get(user=person, kind=SecurityEvent.Kind.ROLE_GRANTED)
    assert event.extra == {
        "role": Role.PROFESSIONAL,
        "grant": grant_row.pk,
        "adult_checked": True,
        "profession": "Psychologue",
        "verification_note": "Numéro ADELI vérifié sur le répertoire public",
    }
    page = client.get(person_url(person)).content.decode()
    assert "Psychologue" in page and "ADELI" in page


def test_the_service_refuses_what_the_form_would_have_caught(admin_user, person):
    with pytest.raises(invitations.RoleRuleError):
        invitations.grant_person_role(person, role=Role.PEER_HELPER, by=admin_user)
    with pytest.raises(invitations.RoleRuleError):
        invitations.grant_person_role(person, role=Role.PROFESSIONAL, by=admin_user, adult_checked=True)


def test_granting_and_revoking_leave_a_history_and_events(admin_user, person):
    client = client_for(admin_user)
    assert grant(client, person, role=Role.MODERATOR).status_code == 302
    response = client.post(person_url(person, "retirer/"), {"role": Role.MODERATOR})
    assert response.status_code == 302
    assert services.active_roles(person) == set()

    row = RoleGrant.objects.get(user=person)
    assert (row.granted_by, row.revoked_by) == (admin_user, admin_user)
    assert row.revoked_at is not None
    kinds = list(
        SecurityEvent.objects.filter(user=person, kind__startswith="role_")
        .order_by("at")
        .values_list("kind", "actor")
    )
    assert kinds == [
        (SecurityEvent.Kind.ROLE_GRANTED, admin_user.pk),
        (SecurityEvent.Kind.ROLE_REVOKED, admin_user.pk),
    ]

    page = client.get(person_url(person), **EN).content.decode()
    assert page.count("<h1") == 1
    assert "Given on" in page and "Removed on" in page and "by Alix" in page


def test_a_new_role_sends_the_person_to_second_factor_enrolment(admin_user, person):
    response = client_for(admin_user).post(
        person_url(person, "attribuer/"), {"role": Role.MODERATOR}, follow=True, **EN
    )
    assert "At their next visit" in response.content.decode()
    assert client_for(person).get("/").url.startswith("/compte/2fa/totp/activate")


@pytest.fixture
def sole_admin(db: None) -> User:
    """An administrator by grant, and no superuser at all on this instance."""
    person = make_user("Basile")
    services.grant_role(person, role=Role.ADMIN, by=person)
    enrol_totp(person)
    return person


def test_the_last_administrator_cannot_remove_their_own_role(sole_admin):
    client = client_for(sole_admin)
    response = client.post(person_url(sole_admin, "retirer/"), {"role": Role.ADMIN}, follow=True, **EN)
    assert "You are the last administrator" in response.content.decode()
    assert Role.ADMIN in services.active_roles(sole_admin)
    with pytest.raises(invitations.LastAdministratorError):
        invitations.revoke_person_role(sole_admin, role=Role.ADMIN, by=sole_admin)

    other = make_user("Chloe")
    services.grant_role(other, role=Role.ADMIN, by=sole_admin)
    response = client.post(person_url(sole_admin, "retirer/"), {"role": Role.ADMIN})
    assert response["Location"] == "/"  # the people pages are no longer theirs
    assert Role.ADMIN not in services.active_roles(sole_admin)


def test_the_installation_administrator_has_no_revoke_button(admin_user):
    page = client_for(admin_user).get(person_url(admin_user), **EN).content.decode()
    assert "since this instance was installed" in page
    assert "/retirer/" not in page
