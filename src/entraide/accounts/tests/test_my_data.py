"""Downloading all of one's data, and deleting one's account."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, enrol_totp, make_user, text_outside_urls
from entraide.accounts import profile
from entraide.accounts.models import SecurityEvent, User
from entraide.accounts.services import create_administrator
from entraide.core import personal_data
from entraide.core.models import DataKey

MY_DATA = "/compte/mes-donnees/"
DELETE = "/compte/supprimer/"
DELETED = "/compte/supprimer/fait/"
REAUTH = "/compte/reauthenticate/"


def client_for(user):
    client = Client()
    client.force_login(user)  # no password typed in this session: sensitive actions ask for it
    return client


def reauthenticate(client, response):
    """Follow allauth's detour: the password page, which then resumes the suspended POST."""
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    return client.post(response["Location"], {"password": PASSWORD})


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [MY_DATA, DELETE])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


@pytest.mark.django_db
def test_deleted_page_is_public_and_tells_nothing_about_anyone(client, owner):
    response = client.get(DELETED)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert owner.email not in page
    assert "Camille" not in page


@pytest.mark.parametrize("url", [MY_DATA, DELETE])
def test_get_changes_nothing(owner, owner_client, mailoutbox, url):
    events = SecurityEvent.objects.count()
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
    assert SecurityEvent.objects.count() == events
    assert User.objects.filter(pk=owner.pk).exists()
    assert not mailoutbox


def test_my_data_page_explains_and_offers_one_post_button(owner, owner_client):
    owner.preferred_language = "en"
    owner.save(update_fields=["preferred_language"])
    page = owner_client.get(MY_DATA).content.decode()
    assert '<form method="post" action="/compte/mes-donnees/">' in page
    assert "Download all my data" in page
    assert "Do not send it by email" in page


# --- export -------------------------------------------------------------------------------------


def _parts(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


def test_export_needs_reauthentication_then_downloads_everything(owner, owner_client):
    profile.update_profile(
        owner,
        pseudonym="Camille",
        real_name="Camille Quenelbert",
        preferred_language="fr",
        time_zone="Europe/Paris",
    )
    response = owner_client.post(MY_DATA)
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next=%2Fcompte%2Fmes-donnees%2F"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DATA_EXPORTED).exists()

    response = reauthenticate(owner_client, response)  # allauth resumes the suspended POST
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="entraide-export-{today}.zip"'
    assert response["Cache-Control"] == "no-store"

    files = _parts(response)
    manifest = json.loads(files["manifest.json"])
    assert manifest["person"]["id"] == str(owner.pk)
    assert "account.profile" in {p["key"] for p in manifest["parts"]}
    account = json.loads(files["account.profile.json"])
    assert account["records"][0]["email"] == owner.email
    event = SecurityEvent.objects.get(user=owner, kind=SecurityEvent.Kind.DATA_EXPORTED)
    assert event.actor_id == owner.pk

    # Within the next minutes, no second password.
    again = owner_client.post(MY_DATA)
    assert again.status_code == 200
    assert SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.DATA_EXPORTED).count() == 2


def test_export_holds_only_the_person_asking(owner, stranger):
    client = client_for(stranger)
    response = reauthenticate(client, client.post(MY_DATA))
    files = _parts(response)
    body = b"".join(files.values())
    assert stranger.email.encode() in body
    assert owner.email.encode() not in body
    assert str(owner.pk).encode() not in body
    assert not SecurityEvent.objects.filter(user=owner, kind=SecurityEvent.Kind.DATA_EXPORTED).exists()


def test_export_refuses_a_wrong_password(owner, owner_client):
    response = owner_client.post(MY_DATA)
    page = owner_client.post(response["Location"], {"password": "not it"})
    assert page.status_code == 200  # the password form again, with its error
    assert page["Content-Type"].startswith("text/html")
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DATA_EXPORTED).exists()


# --- deletion -----------------------------------------------------------------------------------


@pytest.fixture
def owner_with_data(owner):
    profile.update_profile(
        owner,
        pseudonym="Camille",
        real_name="Camille Quenelbert",
        preferred_language="fr",
        time_zone="Europe/Paris",
    )
    assert DataKey.objects.filter(owner_id=owner.pk).exists()
    return owner


def test_deletion_needs_reauthentication_then_erases_everything(owner_with_data, owner_client, mailoutbox):
    owner = owner_with_data
    owner_id, email = owner.pk, owner.email
    response = owner_client.post(DELETE, {"confirm": "on"})
    assert response["Location"] == f"{REAUTH}?next=%2Fcompte%2Fsupprimer%2F"
    assert User.objects.filter(pk=owner_id).exists()
    assert not mailoutbox

    response = reauthenticate(owner_client, response)
    assert response.status_code == 302
    assert response["Location"] == DELETED

    assert not User.objects.filter(pk=owner_id).exists()
    assert not DataKey.objects.filter(owner_id=owner_id).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not SecurityEvent.objects.filter(user_id=owner_id).exists()
    assert str(owner_id) in personal_data.read_erasure_journal(personal_data.erasure_journal_path())

    assert "_auth_user_id" not in owner_client.session
    assert owner_client.get("/compte/profil/")["Location"].startswith("/compte/login/")
    assert owner_client.get(DELETED).status_code == 200

    [message] = mailoutbox
    assert message.to == [email]
    text = message.subject + message.body
    assert "Camille" in message.body  # addressed by pseudonym
    assert "Quenelbert" not in text  # the private real name stays out of email
    for health_word in (
        "mood",
        "humeur",
        "journal",
        "questionnaire",
        "treatment",
        "traitement",
        "santé",
        "health",
    ):
        assert health_word not in text_outside_urls(text)


def test_deletion_asks_for_the_confirmation_and_keeps_everything_without_it(owner, owner_client, mailoutbox):
    response = reauthenticate(owner_client, owner_client.post(DELETE, {}))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()
    assert not mailoutbox


def test_deletion_goes_on_when_the_email_cannot_be_sent(owner, owner_client, monkeypatch):
    def broken(**kwargs):
        raise OSError("no mail server")

    monkeypatch.setattr("entraide.core.mail.send_mail", broken)
    response = reauthenticate(owner_client, owner_client.post(DELETE, {"confirm": "on"}))
    assert response["Location"] == DELETED
    assert not User.objects.filter(pk=owner.pk).exists()


def test_a_stranger_deleting_their_account_leaves_the_owner_alone(owner, stranger):
    client = client_for(stranger)
    reauthenticate(client, client.post(DELETE, {"confirm": "on"}))
    assert not User.objects.filter(pk=stranger.pk).exists()
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_last_administrator_is_kindly_refused(admin_user, admin_client, mailoutbox):
    admin_user.preferred_language = "en"
    admin_user.save(update_fields=["preferred_language"])
    page = admin_client.get(DELETE)
    assert page.status_code == 200
    assert "only administrator" in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()

    response = admin_client.post(DELETE, {"confirm": "on"})  # no password asked: it would be refused anyway
    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    assert User.objects.filter(pk=admin_user.pk).exists()
    assert not mailoutbox
    with pytest.raises(profile.LastAdministratorError):
        profile.delete_account(admin_user)
    assert User.objects.filter(pk=admin_user.pk).exists()


def test_an_inactive_administrator_does_not_count(admin_user, admin_client):
    other = create_administrator(email="old@example.org", pseudonym="Ancien", password=PASSWORD)
    other.is_active = False
    other.save(update_fields=["is_active"])
    assert profile.is_last_administrator(admin_user)
    assert admin_client.post(DELETE, {"confirm": "on"}).status_code == 400


def test_an_administrator_can_leave_when_another_remains(admin_user, admin_client):
    other = create_administrator(email="other@example.org", pseudonym="Sacha", password=PASSWORD)
    enrol_totp(other)
    response = reauthenticate(admin_client, admin_client.post(DELETE, {"confirm": "on"}))
    assert response["Location"] == DELETED
    assert not User.objects.filter(pk=admin_user.pk).exists()
    assert profile.is_last_administrator(User.objects.get(pk=other.pk))  # now the only one


@pytest.mark.django_db
def test_someone_without_a_role_is_never_the_last_administrator():
    assert not profile.is_last_administrator(make_user("Lou"))
