"""The check-in pages: today, the form (new, edit, delete), the list; one-time tokens and kept
forms; another person's check-in is a 404."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import client_for
from entraide.journal import services
from entraide.journal.models import Checkin

pytestmark = pytest.mark.django_db

NEW = "/journal/point/nouveau/"
TODAY = "/journal/"


def token_of(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def now_field() -> str:
    return timezone.localtime(timezone=ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")


def test_checkin_new_saves_mood_and_emotion(owner, owner_client):
    page = owner_client.get(NEW)
    assert page.status_code == 200
    response = owner_client.post(
        NEW, {"form_token": token_of(page), "moment": now_field(), "mood": "6", "emotions": ["calm"]}
    )
    assert response.status_code == 302
    checkin = Checkin.objects.get(owner=owner)
    assert checkin.payload == {"mood": 6, "emotions": ["calm"]}
    assert checkin.time_zone == owner.time_zone
    today = owner_client.get(response["Location"])
    assert "6/10" in today.content.decode()


def test_checkin_new_twice_with_one_token_saves_once(owner, owner_client):
    token = token_of(owner_client.get(NEW))
    data = {"form_token": token, "moment": now_field(), "mood": "3"}
    first = owner_client.post(NEW, data)
    second = owner_client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Checkin.objects.filter(owner=owner).count() == 1


def test_checkin_new_errors_keep_every_value(owner, owner_client):
    token = token_of(owner_client.get(NEW))
    response = owner_client.post(
        NEW,
        {
            "form_token": token,
            "moment": now_field(),
            "mood": "7",
            "note": "une note à garder",
            "tags": "travail, famille",
            "sleep_bed": "23:30",  # wake missing: an error
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert "une note à garder" in body
    assert 'value="travail, famille"' in body
    assert 'value="7" checked' in body or re.search(r'value="7"[^>]*checked', body)
    assert Checkin.objects.count() == 0
    # The same token is offered again: nothing was saved with it.
    assert token_of(response) == token


def test_checkin_new_refuses_a_token_of_another_account(owner, owner_client, stranger):
    stranger_token = token_of(client_for(stranger).get(NEW))
    response = owner_client.post(NEW, {"form_token": stranger_token, "moment": now_field(), "mood": "5"})
    assert response.status_code == 200
    assert (
        "opened for another account" in response.content.decode()
        or "autre compte" in response.content.decode()
    )
    assert Checkin.objects.count() == 0


def test_checkin_belongs_to_the_local_date_of_its_zone(owner, owner_client):
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    token = token_of(owner_client.get(NEW))
    owner_client.post(NEW, {"form_token": token, "moment": "2026-03-01T23:30", "mood": "4"})
    checkin = Checkin.objects.get(owner=owner)
    assert checkin.local_date == date(2026, 3, 1)
    assert checkin.moment == datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert checkin.time_zone == "Pacific/Auckland"


def test_checkin_past_day_prefills_noon_of_that_day(owner_client):
    body = owner_client.get(NEW + "?jour=2026-01-05").content.decode()
    assert 'value="2026-01-05T12:00"' in body


def test_checkin_edit_and_delete(owner, owner_client):
    checkin = services.record_checkin(owner, moment=timezone.now() - timedelta(hours=2), values={"mood": 2})
    url = f"/journal/point/{checkin.pk}/"
    page = owner_client.get(url)
    assert page.status_code == 200
    moment = timezone.localtime(checkin.moment, ZoneInfo(owner.time_zone)).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{moment}"' in page.content.decode()
    response = owner_client.post(
        url, {"form_token": token_of(page), "moment": moment, "mood": "5", "note": "mieux"}
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.payload == {"mood": 5, "note": "mieux"}
    assert owner_client.get(url + "supprimer/").status_code == 200
    assert Checkin.objects.filter(pk=checkin.pk).exists()  # GET changes nothing
    assert owner_client.post(url + "supprimer/").status_code == 302
    assert not Checkin.objects.filter(pk=checkin.pk).exists()


def test_checkin_of_another_person_is_a_404(owner, stranger):
    checkin = services.record_checkin(owner, moment=timezone.now(), values={"mood": 2})
    client = client_for(stranger)
    for url in (f"/journal/point/{checkin.pk}/", f"/journal/point/{checkin.pk}/supprimer/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"mood": "9"}).status_code == 404
    checkin.refresh_from_db()
    assert checkin.payload == {"mood": 2}


def test_checkin_pages_send_anonymous_visitors_to_login(client):
    for url in (TODAY, NEW, "/journal/points/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/compte/login/" in response["Location"]


def test_checkin_list_paginates_without_n_plus_one(owner, owner_client, django_assert_max_num_queries):
    for i in range(30):
        services.record_checkin(owner, moment=timezone.now() - timedelta(days=i), values={"mood": i % 11})
    with django_assert_max_num_queries(12):
        response = owner_client.get("/journal/points/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 25


def test_today_week_table_shows_each_days_means_in_the_readers_language(owner, owner_client):
    zone = ZoneInfo(owner.time_zone)
    today = timezone.localdate(timezone=zone)
    noon = datetime.combine(today, datetime.min.time(), tzinfo=zone).replace(hour=12)
    services.record_checkin(owner, moment=noon - timedelta(hours=2), values={"mood": 6, "anxiety": 3})
    services.record_checkin(owner, moment=noon - timedelta(hours=1), values={"mood": 7})
    services.record_checkin(owner, moment=noon - timedelta(days=2), values={"energy": 4})
    page = owner_client.get(TODAY).content.decode()
    weekday = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
    two_days_ago = today - timedelta(days=2)
    assert (
        f'<tr><th scope="row">{weekday[today.weekday()]} {today.day}</th>'
        "<td>6,5</td><td>3</td><td>–</td><td>2</td></tr>"
    ) in page
    assert (
        f'<tr><th scope="row">{weekday[two_days_ago.weekday()]} {two_days_ago.day}</th>'
        "<td>–</td><td>–</td><td>4</td><td>1</td></tr>"
    ) in page


def test_today_says_whether_the_daily_reminder_is_on_and_when(owner, owner_client):
    assert "Vous pouvez demander un rappel quotidien, en douceur." in owner_client.get(TODAY).content.decode()
    services.set_checkin_reminder(owner, enabled=True, at=time(20, 30))
    page = owner_client.get(TODAY).content.decode()
    assert "Un rappel en douceur est prévu à 20:30, seulement les jours sans point." in page
    services.set_checkin_reminder(owner, enabled=False, at=time(20, 30))
    assert "Vous pouvez demander un rappel quotidien, en douceur." in owner_client.get(TODAY).content.decode()
