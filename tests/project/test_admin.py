"""Django's admin is no back door: it registers no personal model and logs in only through allauth
(second factor and rate limits included)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.sites import all_sites
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from conftest import PASSWORD, enrol_totp, make_user, totp_code
from entraide.admin_site import EntraideAdminSite

ADMIN = "/gestion/django/"
ALLAUTH_APPS = {"account", "mfa", "usersessions", "socialaccount"}  # allauth's app labels


def personal_reasons(model: type[models.Model]) -> list[str]:
    user_model = get_user_model()
    reasons = []
    if model is user_model:
        reasons.append("is the user model")
    if model._meta.app_label in ALLAUTH_APPS:
        reasons.append("is an allauth account, second-factor or session model")
    if model is apps.get_model("core", "DataKey"):
        reasons.append("holds wrapped data keys")
    for field in model._meta.get_fields():
        if field.name == "owner":
            reasons.append("has an owner")
        # A row pointing at one person (a security event, a consent, a role grant…) is theirs.
        if field.is_relation and field.many_to_one and field.related_model is user_model:
            reasons.append(f"points at a person through {field.name}")
    return reasons


def test_the_admin_registers_no_personal_model():
    assert isinstance(admin.site, EntraideAdminSite), "settings must install entraide.admin_site.AdminConfig"
    found = {
        f"{model._meta.label} ({site.name})": reasons
        for site in all_sites
        for model in site._registry
        if (reasons := personal_reasons(model))
    }
    assert not found, found


def test_the_check_knows_a_personal_model_when_it_sees_one():
    for label in (
        "accounts.User",
        "accounts.SecurityEvent",
        "core.DataKey",
        "account.EmailAddress",
        "mfa.Authenticator",
    ):
        assert personal_reasons(apps.get_model(label)), label


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_allauths_login():
    client = Client()
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == "/compte/login/?next=/gestion/django/"
    response = client.get(f"{ADMIN}login/")
    assert response["Location"] == "/compte/login/?next=/gestion/django/"
    response = client.get(f"{ADMIN}login/?next=https://elsewhere.example/")
    assert response["Location"] == "/compte/login/?next=/gestion/django/"


def test_the_admin_login_page_accepts_no_password(admin_user):
    client = Client()
    response = client.post(f"{ADMIN}login/", {"username": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
    assert "_auth_user_id" not in client.session


def test_a_person_without_staff_rights_gets_no_admin(owner_client):
    assert owner_client.get(ADMIN).status_code == 403
    assert owner_client.get(f"{ADMIN}login/").status_code == 403


def test_staff_without_the_admin_role_gets_no_admin(db):
    staff = make_user("Gabin", is_staff=True)
    enrol_totp(staff)
    client = Client()
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 403


def test_an_admin_logged_in_through_allauth_with_totp_reaches_the_admin(admin_user):
    client = Client()
    login = client.get(ADMIN)["Location"]
    response = client.post(login, {"login": admin_user.email, "password": PASSWORD})
    assert response["Location"].startswith("/compte/2fa/authenticate/")  # the second step applies
    response = client.post(response["Location"], {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == ADMIN
    page = client.get(ADMIN, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "admin/index.html" in [t.name for t in page.templates]
    assert 'href="/aide/"' in page.content.decode()  # the crisis link, as on every page
    # Change password and logout are allauth's.
    assert client.get(f"{ADMIN}password_change/")["Location"] == "/compte/password/change/"
    response = client.post(f"{ADMIN}logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_an_admin_without_a_second_factor_is_sent_to_enrol(db):
    from entraide.accounts.services import create_administrator, record_signup_consents

    admin_user = create_administrator(email="new@example.org", pseudonym="Neo", password=PASSWORD)
    record_signup_consents(admin_user, language="fr")
    client = Client()
    client.force_login(admin_user)
    assert client.get(ADMIN)["Location"] == "/compte/2fa/totp/activate/"
