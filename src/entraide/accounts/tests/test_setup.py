import pytest
from django.test import Client

from entraide.accounts import services
from entraide.accounts.models import User
from entraide.core import instance
from entraide.core.models import InstanceSettings

FORM = {
    "name": "Entraide Lyon",
    "contact_email": "contact@entraide-lyon.example",
    "default_language": "fr",
    "signup_mode": "invitation",
    "minimum_age": "16",
    "admin_email": "Admin@Entraide-Lyon.example",
    "admin_pseudonym": "Sam",
    "password1": "une phrase de passe solide 42",
    "password2": "une phrase de passe solide 42",
    "accept_terms": "on",
}


@pytest.fixture
def token(db):
    return services.issue_setup_token()


def test_setup_page_needs_the_printed_token(client, token):
    assert client.get("/setup/").status_code == 403
    assert client.get("/setup/?token=not-it").status_code == 403
    assert client.post("/setup/", {**FORM, "token": "not-it"}).status_code == 403
    assert client.get(f"/setup/?token={token}").status_code == 200


def test_setup_creates_the_admin_and_the_settings_then_closes(client, token):
    response = client.post("/setup/", {**FORM, "token": token})
    assert response.status_code == 302
    assert response["Location"] == "/compte/2fa/totp/activate/"  # an admin enrols a second factor first

    admin = User.objects.get()
    assert (admin.email, admin.pseudonym, admin.is_superuser) == ("admin@entraide-lyon.example", "Sam", True)
    assert admin.check_password(FORM["password1"])
    assert admin.emailaddress_set.get().verified
    row = InstanceSettings.objects.get()
    assert (row.name, row.minimum_age, row.setup_completed_at is not None) == ("Entraide Lyon", 16, True)
    assert [n["number"] for n in row.crisis_numbers] == ["3114", "15", "112", "114", "09 72 39 40 50"]
    assert instance.read_snapshot().name == "Entraide Lyon"
    assert not services.setup_token_path().exists()

    # Logged in, but sent to enrolment before the settings; the token no longer opens anything.
    assert client.get("/gestion/parametres/")["Location"] == "/compte/2fa/totp/activate/"
    again = Client().post("/setup/", {**FORM, "token": token, "admin_email": "other@example.org"})
    assert again.status_code == 302
    assert User.objects.count() == 1


def test_setup_errors_keep_what_was_typed(client, token):
    response = client.post(
        "/setup/", {**FORM, "token": token, "password2": "autre chose", "minimum_age": "99"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    assert 'value="Entraide Lyon"' in body
    assert 'value="Admin@Entraide-Lyon.example"' in body or 'value="admin@entraide-lyon.example"' in body
    assert not User.objects.exists()


def test_setup_refuses_a_weak_password(client, token):
    response = client.post(
        "/setup/", {**FORM, "token": token, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_create_admin_command(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("ENTRAIDE_ADMIN_PASSWORD", "une phrase de passe solide 42")
    call_command("create_admin", email="Root@Example.org", pseudonym="Root")
    admin = User.objects.get(email="root@example.org")
    assert admin.is_superuser and admin.check_password("une phrase de passe solide 42")


def test_setup_asks_for_the_terms_unticked_and_records_them(client, token):
    page = client.get(f"/setup/?token={token}").content.decode()
    assert 'name="accept_terms"' in page
    assert 'name="accept_terms" checked' not in page
    unticked = {k: v for k, v in FORM.items() if k != "accept_terms"}
    refused = client.post("/setup/", {**unticked, "token": token})
    assert refused.status_code == 400
    assert not User.objects.exists()

    client.post("/setup/", {**FORM, "token": token})
    admin = User.objects.get()
    assert set(admin.consents.values_list("kind", flat=True)) == {"terms"}  # health data: not yet asked


def test_after_setup_and_the_second_factor_administration_opens_without_a_consent_page(client, token):
    """Issue 19: the new administrator was sent to "a text you agreed to has changed" everywhere."""
    from conftest import enrol_totp

    client.post("/setup/", {**FORM, "token": token})
    enrol_totp(User.objects.get())
    for path in ("/gestion/parametres/", "/gestion/personnes/", "/gestion/travaux/", "/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.get("Location"))

    # Their own space is where health information is kept: the health-data consent is asked there,
    # and before a program is given a key to it.
    assert client.get("/compte/acces-api/nouveau/")["Location"].startswith("/compte/accord/")
    response = client.get("/journal/")
    assert response["Location"] == "/compte/accord/?next=/journal/"
    page = client.get(response["Location"]).content.decode()  # in the administrator's French
    assert "ouvrir votre espace personnel</h1>" in page
    assert "a changé" not in page
    assert 'name="health_data"' in page
    assert 'name="terms"' not in page
    assert (
        client.post("/compte/accord/", {"health_data": "on", "next": "/journal/"})["Location"] == "/journal/"
    )
    assert client.get("/journal/").status_code == 200
