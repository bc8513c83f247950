"""Sign-up with email verification, the age declaration and the separate health-data consent."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from entraide.accounts.models import ConsentKind, ConsentRecord, SecurityEvent, User
from entraide.core import instance, services

FORM = {
    "email": "zoe@example.org",
    "pseudonym": "Zoé",
    "password1": "une phrase de passe solide 42",
    "password2": "une phrase de passe solide 42",
    "age_declaration": "on",
    "accept_terms": "on",
    "health_consent": "on",
}


@pytest.fixture
def open_signup(db):
    row = instance.load_settings()
    row.signup_mode = "open"
    row.minimum_age = 16
    services.save_instance_settings(row)


def test_signup_is_closed_by_default(client, db):
    response = client.get("/compte/signup/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "signup_closed" in response.templates[0].name or "fermées" in response.content.decode()
    client.post("/compte/signup/", FORM)
    assert not User.objects.exists()


def test_signup_verifies_the_address_then_records_consents(client, open_signup, mailoutbox):
    page = client.get("/compte/signup/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "J&#x27;ai au moins 16 ans." in page
    assert 'name="health_consent"' in page and "checked" not in page.split('name="health_consent"')[1][:40]

    response = client.post("/compte/signup/", FORM, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.pseudonym, user.pseudonym_key, user.preferred_language) == ("Zoé", "zoe", "fr")
    assert not EmailAddress.objects.get(user=user).verified

    consents = {c.kind: c for c in ConsentRecord.objects.filter(user=user)}
    assert set(consents) == {ConsentKind.TERMS, ConsentKind.HEALTH_DATA}
    assert consents[ConsentKind.HEALTH_DATA].language == "fr"
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SIGNED_UP).exists()

    (message,) = mailoutbox
    assert message.to == ["zoe@example.org"]
    assert message.subject.startswith("[entraide]")
    link = re.search(r"http://\S+/compte/confirm-email/\S+/", message.body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    # The link opens a page with a button: nothing changes on GET.
    assert client.get(path).status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize("pseudonym", ["zoe", "ZOÉ", "Z0E", "z-o-e"])
def test_pseudonyms_too_close_to_another_are_refused(client, open_signup, pseudonym):
    client.post("/compte/signup/", FORM)
    response = Client().post(
        "/compte/signup/",
        {**FORM, "email": "autre@example.org", "pseudonym": pseudonym},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "trop proche" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("pseudonym", ["Admin", "modérateur", "Entraide"])
def test_reserved_pseudonyms_are_refused(client, open_signup, pseudonym):
    response = client.post("/compte/signup/", {**FORM, "pseudonym": pseudonym}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "réservé" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("missing", ["age_declaration", "accept_terms", "health_consent"])
def test_each_declaration_is_required_and_nothing_typed_is_lost(client, open_signup, missing):
    data = {k: v for k, v in FORM.items() if k != missing}
    response = client.post("/compte/signup/", data, HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body
    assert 'value="zoe@example.org"' in body and 'value="Zoé"' in body
    assert not User.objects.exists()


def test_no_enumeration_on_signup_with_a_taken_address(client, open_signup, owner):
    response = client.post("/compte/signup/", {**FORM, "email": owner.email, "pseudonym": "Autre"})
    # Same path as a new address: "check your email", and the owner gets a notice instead.
    assert response.status_code == 302
    assert User.objects.filter(email=owner.email).count() == 1
