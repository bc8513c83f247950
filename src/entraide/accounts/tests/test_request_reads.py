"""The two reads every logged-in request makes, written in SQL (accounts/sessions.py and
accounts/backends.py): they must find exactly what Django's own code finds, and nothing more."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from entraide.accounts.backends import AuthenticationBackend, ModelBackend
from entraide.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_loads_as_djangos_store_loads_it(owner_client):
    owner_client.get("/")
    key = owner_client.cookies["sessionid"].value
    assert SessionStore(key).load() == DjangoSessionStore(key).load()
    assert SessionStore(key).load()["_auth_user_id"]


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key(owner_client):
    owner_client.get("/")
    key = owner_client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for store in (SessionStore(key), SessionStore("x" * 32)):
        assert store.load() == {}
        assert store.session_key is None
    assert owner_client.get("/journal/").status_code == 302  # logged out: to the login page


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_of_a_session_is_read_whole(backend, owner):
    found = backend().get_user(str(owner.pk))
    assert found == owner
    fields = [f.attname for f in owner._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(owner, f) for f in fields]
    assert backend().get_user(owner.pk) == owner


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_no_user_for_an_unknown_id_a_malformed_one_or_a_deactivated_account(backend, owner):
    assert backend().get_user(str(uuid.uuid4())) is None
    assert backend().get_user("1 OR 1=1") is None
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert backend().get_user(str(owner.pk)) is None
