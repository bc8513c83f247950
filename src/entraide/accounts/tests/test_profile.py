"""The profile page: pseudonym (with its history), private real name, language, time zone, avatar."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conftest import make_user
from entraide.accounts import profile
from entraide.accounts.models import PseudonymChange, SecurityEvent, User
from entraide.core import instance, services

URL = "/compte/profil/"


def values(**overrides):
    data = {
        "pseudonym": "Camille",
        "real_name": "",
        "preferred_language": "fr",
        "time_zone": "Europe/Paris",
    }
    data.update(overrides)
    return data


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def snapshot(user):
    row = User.objects.get(pk=user.pk)
    return (row.pseudonym, row.preferred_language, row.time_zone, profile.real_name_of(row))


# --- who may open it ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_owner_sees_their_own_profile(owner, owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert 'value="Camille"' in page
    assert '<option value="Europe/Paris" selected>' in page
    assert "avatar--" in page
    assert " style=" not in page
    assert "accounts/accounts.css" in page


def test_each_person_sees_only_their_own_profile(owner, stranger, owner_client):
    profile.update_profile(
        owner,
        pseudonym="Camille",
        real_name="Camille Quenelbert",
        preferred_language="fr",
        time_zone="Europe/Paris",
    )
    mine = owner_client.get(URL).content.decode()
    assert "Camille Quenelbert" in mine
    theirs = client_for(stranger).get(URL).content.decode()
    assert 'value="Dominique"' in theirs
    assert "Camille" not in theirs
    assert "Quenelbert" not in theirs


def test_page_title_is_neutral(owner, owner_client):
    english(owner)
    page = owner_client.get(URL).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title == "Personal space · entraide"  # the same on every page about a person


def test_get_changes_nothing(owner, owner_client):
    before = snapshot(owner)
    owner_client.get(URL, {"pseudonym": "Other", "time_zone": "UTC"})
    assert snapshot(owner) == before
    assert not PseudonymChange.objects.exists()
    assert settings.LANGUAGE_COOKIE_NAME not in owner_client.cookies


# --- editing ------------------------------------------------------------------------------------


def test_edit_saves_everything_and_switches_the_interface_language(owner, owner_client):
    response = owner_client.post(
        URL,
        values(
            pseudonym="Camille B",
            real_name="  Camille   Quenelbert ",
            preferred_language="en",
            time_zone="America/Montreal",
        ),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert snapshot(owner) == ("Camille B", "en", "America/Montreal", "Camille Quenelbert")
    page = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in page
    assert "Your profile is saved." in page


def test_clearing_the_real_name_removes_it(owner, owner_client):
    owner_client.post(URL, values(real_name="Camille Quenelbert"))
    owner_client.post(URL, values(real_name=""))
    row = User.objects.get(pk=owner.pk)
    assert "real_name" not in (row.private or {})


def test_pseudonym_change_is_recorded_with_a_security_event(owner, owner_client):
    owner_client.post(URL, values(pseudonym="Camille B"))
    change = PseudonymChange.objects.get(user=owner)
    assert (change.old, change.new) == ("Camille", "Camille B")
    event = SecurityEvent.objects.get(user=owner, kind=SecurityEvent.Kind.PSEUDONYM_CHANGED)
    assert event.actor_id == owner.pk
    assert "Camille" not in str(event.extra)


def test_unchanged_pseudonym_is_not_a_change(owner, owner_client):
    response = owner_client.post(URL, values(time_zone="UTC"))
    assert response.status_code == 302
    assert snapshot(owner)[2] == "UTC"
    assert not PseudonymChange.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PSEUDONYM_CHANGED).exists()


def test_a_change_of_case_only_is_allowed_and_recorded(owner, owner_client):
    assert owner_client.post(URL, values(pseudonym="camille")).status_code == 302
    assert PseudonymChange.objects.get(user=owner).new == "camille"


@pytest.mark.django_db
def test_a_reserved_pseudonym_someone_already_has_can_be_kept():
    user = make_user("Support")
    response = client_for(user).post(URL, values(pseudonym="Support", time_zone="UTC"))
    assert response.status_code == 302
    assert snapshot(user)[:3] == ("Support", "fr", "UTC")


@pytest.fixture
def named_instance(db):
    row = instance.load_settings()
    row.name = "Les Ponts"
    services.save_instance_settings(row)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("pseudonym", ""),
        ("pseudonym", "!!!"),
        ("pseudonym", "x" * 41),
        ("pseudonym", "Admin"),
        ("pseudonym", "Modérateur"),
        ("pseudonym", "les ponts"),  # the instance's name
        ("pseudonym", "dominique"),  # taken, ignoring case
        ("pseudonym", "D0miniqué"),  # taken, ignoring accents and look-alikes
        ("real_name", "y" * 101),
        ("preferred_language", "de"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
    ],
)
def test_every_error_keeps_every_value_typed(owner, stranger, owner_client, named_instance, field, typed):
    english(owner)
    before = snapshot(owner)
    data = values(
        pseudonym="Camille B", real_name="Camille Quenelbert", preferred_language="en", time_zone="Asia/Tokyo"
    )
    data[field] = typed
    response = owner_client.post(URL, data)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert 'class="error-summary"' in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    form = response.context["form"]
    assert list(form.errors) == [field]
    for name, value in data.items():
        assert form[name].value() == value
    if data["pseudonym"]:
        assert f'value="{data["pseudonym"]}"' in page
    if data["real_name"]:
        assert f'value="{data["real_name"]}"' in page
    if field != "time_zone":
        assert '<option value="Asia/Tokyo" selected>' in page
    assert snapshot(owner) == before
    assert not PseudonymChange.objects.exists()


def test_database_constraint_catches_a_pseudonym_taken_meanwhile(owner, stranger, owner_client, monkeypatch):
    # As if Dominique had chosen it between the form's check and the save.
    monkeypatch.setattr("entraide.accounts.forms_profile.validate_pseudonym", lambda *a, **k: None)
    english(owner)
    before = snapshot(owner)
    response = owner_client.post(
        URL, values(pseudonym="Dominique", real_name="Camille Quenelbert", preferred_language="en")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Someone took this pseudonym a moment ago" in str(form.errors["pseudonym"])
    assert form["real_name"].value() == "Camille Quenelbert"
    assert 'class="error-summary"' in response.content.decode()
    assert snapshot(owner) == before
    assert not PseudonymChange.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PSEUDONYM_CHANGED).exists()


def test_service_refuses_a_taken_pseudonym_and_saves_nothing(owner, stranger):
    with pytest.raises(profile.PseudonymTakenError):
        profile.update_profile(
            owner,
            pseudonym="DOMINIQUE",
            real_name="Camille Quenelbert",
            preferred_language="en",
            time_zone="UTC",
        )
    assert snapshot(owner) == ("Camille", "fr", "Europe/Paris", "")


# --- the real name is private -------------------------------------------------------------------


def test_real_name_is_encrypted_at_rest_and_decrypts(owner, owner_client):
    owner_client.post(URL, values(real_name="Marie-Hélène Durand"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT private FROM {User._meta.db_table} WHERE id = %s",  # noqa: S608 — our own table name
            [User._meta.pk.get_db_prep_value(owner.pk, connection)],
        )
        raw = bytes(cursor.fetchone()[0])
    assert raw
    assert b"Durand" not in raw
    assert "Hélène".encode() not in raw
    assert b"real_name" not in raw
    assert User.objects.get(pk=owner.pk).private == {"real_name": "Marie-Hélène Durand"}


# --- avatar -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pseudonym", "initials"),
    [
        ("Camille", "C"),
        ("jean-pierre", "JP"),
        ("Zoé_b", "ZB"),
        ("marie claire dupont", "MC"),
        ("42", "4"),
        ("!!", "?"),
    ],
)
def test_avatar_shows_one_or_two_initials(pseudonym, initials):
    assert profile.avatar_for(pseudonym).initials == initials


def test_avatar_colour_is_deterministic_and_spread():
    assert profile.avatar_for("Camille") == profile.avatar_for("Camille")
    classes = {profile.avatar_for(f"person{i}").css_class for i in range(200)}
    assert classes == {f"avatar--{i}" for i in range(profile.AVATAR_COLOURS)}


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_avatar_colour_keeps_contrast_with_white_text():
    css = (Path(profile.__file__).parent / "static" / "accounts" / "accounts.css").read_text()
    assert re.search(r"\.avatar \{[^}]*color: #ffffff", css)
    colours = dict(re.findall(r"\.avatar--(\d) \{ background-color: #([0-9a-f]{6}); \}", css))
    assert sorted(colours) == [str(i) for i in range(profile.AVATAR_COLOURS)]
    for colour in colours.values():
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour
