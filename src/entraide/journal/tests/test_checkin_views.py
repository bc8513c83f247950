"""The check-in pages: today, the form (new, edit, delete), the list; one-time tokens and kept
forms; another person's check-in is a 404."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
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


def browser_post(page, **filled) -> dict:
    """What a browser sends for the form on ``page``: every text input, text area and select,
    empty ones included; checked boxes and radios only; then the values ``filled`` in."""
    body = page.content.decode()
    data: dict = {}
    for tag in re.finditer(r"<(input|textarea|select)\b([^>]*)>", body):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(2)))
        kind, name = attrs.get("type", "text"), attrs.get("name")
        if not name or name == "csrfmiddlewaretoken" or kind == "submit":
            continue
        if kind in ("radio", "checkbox"):
            if "checked" in tag.group(2):
                data.setdefault(name, []).append(attrs.get("value", "on"))
        else:
            data.setdefault(name, [attrs.get("value", "")])
    for name, value in filled.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def test_a_browser_post_with_empty_fields_saves_only_what_was_filled_in(owner, owner_client):
    """A browser sends the forty fields, empty ones included: the check-in holds what was given."""
    steps = services.create_indicator(owner, name="Pas", kind="number", unit="pas")
    pill = services.create_indicator(owner, name="Pilule prise", kind="yes_no")
    services.create_indicator(owner, name="Douleur", kind="scale")
    page = owner_client.get(NEW)
    data = browser_post(
        page,
        moment=now_field(),
        mood="6",
        emotions=["calm", "sadness"],
        note="  une note  ",
        **{f"ind_{steps.pk}": "8000", f"ind_{pill.pk}": "no"},
    )
    assert data["tags"] == data["new_emotions"] == data["sleep_bed"] == [""]  # empty ones are sent
    response = owner_client.post(NEW, data)
    assert response.status_code == 302
    assert Checkin.objects.get(owner=owner).payload == {
        "mood": 6,
        "emotions": ["calm", "sadness"],
        "note": "une note",
        "indicators": {str(steps.pk): 8000, str(pill.pk): False},
    }


def test_a_duration_indicator_is_saved_from_the_form_and_edited_unchanged(owner, owner_client):
    """Issue 18, item 1: "1:30" became 90 minutes, then failed a text-length check (a 500)."""
    reading = services.create_indicator(owner, name="Lecture", kind="duration")
    page = owner_client.get(NEW)
    response = owner_client.post(NEW, browser_post(page, moment=now_field(), **{f"ind_{reading.pk}": "1:30"}))
    assert response.status_code == 302
    checkin = Checkin.objects.get(owner=owner)
    assert checkin.payload["indicators"] == {str(reading.pk): 90}
    edit = reverse("journal:checkin-edit", kwargs={"checkin_id": checkin.pk})
    page = owner_client.get(edit)
    assert 'value="1:30"' in page.content.decode()
    assert owner_client.post(edit, browser_post(page)).status_code == 302
    too_long = owner_client.post(
        NEW, browser_post(owner_client.get(NEW), moment=now_field(), **{f"ind_{reading.pk}": "1" * 500})
    )
    assert too_long.status_code == 200 and "1:30" in too_long.content.decode()  # the kind message
    assert Checkin.objects.filter(owner=owner).count() == 1


def test_a_refused_check_in_shows_the_whole_form_again_with_every_value(owner, owner_client):
    steps = services.create_indicator(owner, name="Pas", kind="number", unit="pas")
    pain = services.create_indicator(owner, name="Douleur", kind="scale")
    page = owner_client.get(NEW)
    ahead = (timezone.localtime(timezone=ZoneInfo("Europe/Paris")) + timedelta(days=3)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    for moment, wrong in ((now_field(), {f"ind_{steps.pk}": "beaucoup"}), (ahead, {})):
        response = owner_client.post(
            NEW, browser_post(page, moment=moment, mood="7", note="à garder", **wrong)
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert 'class="error-summary"' in body and "à garder" in body
        assert f'name="ind_{pain.pk}"' in body  # the fields left empty are shown again too
        assert f'value="{moment}"' in body
        assert ('value="beaucoup"' in body) == bool(wrong)
    assert "dans le futur" in body  # the moment too far ahead, said kindly
    assert Checkin.objects.count() == 0


def test_a_check_in_with_nothing_filled_in_is_refused_gently_and_keeps_the_moment(owner, owner_client):
    """Issue 19, item 8: every field left empty (the moment aside) saves nothing and says so."""
    services.create_indicator(owner, name="Douleur", kind="scale")
    page = owner_client.get(NEW)
    token = token_of(page)
    moment = (timezone.localtime(timezone=ZoneInfo("Europe/Paris")) - timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = owner_client.post(NEW, browser_post(page, moment=moment))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert "Rien à enregistrer pour l&#x27;instant : notez au moins une chose, même un mot." in body
    assert f'value="{moment}"' in body
    assert token_of(response) == token  # nothing was saved with it
    assert not Checkin.objects.filter(owner=owner).exists()
    # Then one word is enough, with the same token.
    saved = owner_client.post(NEW, browser_post(response, moment=moment, note="fatigué"))
    assert saved.status_code == 302
    assert Checkin.objects.get(owner=owner).payload == {"note": "fatigué"}


def test_emptying_a_check_in_is_refused_and_keeps_it(owner, owner_client):
    checkin = services.record_checkin(owner, moment=timezone.now(), values={"mood": 4})
    edit = reverse("journal:checkin-edit", kwargs={"checkin_id": checkin.pk})
    response = owner_client.post(edit, browser_post(owner_client.get(edit), mood=[]))
    assert response.status_code == 200
    assert "Rien à enregistrer" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.payload == {"mood": 4}


def test_values_the_service_refuses_come_back_on_their_fields(owner, owner_client):
    """A POST is checked by the service only once (the form that checks it leaves that to the
    service): what it refuses is shown on the whole form, on the right field."""
    page = owner_client.get(NEW)
    response = owner_client.post(
        NEW, browser_post(page, moment=now_field(), mood="5", new_emotions="x" * 60, note="gardée")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body and "gardée" in body
    assert re.search(r'id="id_new_emotions_error"|new_emotions[^>]*aria-invalid', body)
    assert Checkin.objects.count() == 0


def test_a_saved_form_redirects_without_a_policy_header_but_pages_have_one(owner_client):
    """A redirect makes no document: the page it leads to carries the policy."""
    page = owner_client.get(NEW)
    assert "default-src" in page["Content-Security-Policy"]
    saved = owner_client.post(NEW, browser_post(page, moment=now_field(), mood="5"))
    assert saved.status_code == 302 and "Content-Security-Policy" not in saved
    assert "default-src" in owner_client.get(saved["Location"])["Content-Security-Policy"]
