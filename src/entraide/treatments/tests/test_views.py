"""Treatment pages: open for their owner, a 404 for anyone else, forms that work without
JavaScript (error summary, every value kept), doses noted by POST only (never on GET)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from conftest import client_for
from entraide.core import jobs
from entraide.treatments import services
from entraide.treatments import values as v
from entraide.treatments.models import DoseRecord, OnDemandStart, Schedule, SideEffectNote, Treatment
from entraide.treatments.tests.factories import AT_PREP, SECRET_NAME, make_schedule, make_treatment, token_of

pytestmark = pytest.mark.django_db
LIST = "/traitements/"


def urls_of(treatment, schedule, note) -> list[str]:
    base = f"/traitements/{treatment.pk}/"
    return [
        base,
        f"{base}modifier/",
        f"{base}horaires/nouveau/",
        f"{base}horaires/{schedule.pk}/modifier/",
        f"{base}horaires/{schedule.pk}/commencer/",
        f"{base}horaires/{schedule.pk}/supprimer/",
        f"{base}effets/nouveau/",
        f"{base}effets/{note.pk}/supprimer/",
        f"{base}supprimer/",
    ]


@pytest.fixture
def rows(owner):
    treatment = make_treatment(owner, prescription_end=date(2099, 1, 1))
    schedule = make_schedule(treatment, kind="on_demand", pattern=AT_PREP)
    daily = make_schedule(treatment, times=["00:00"])
    note = services.add_side_effect(treatment, day=services.today_of(owner), text="Fatigue")
    return treatment, schedule, note, daily


def dose_url(schedule: Schedule, due: datetime) -> str:
    return f"/traitements/prises/{schedule.pk}/{v.stamp(due)}/"


def today_midnight(owner) -> datetime:
    return services.occurrence(services.today_of(owner), datetime.min.time(), services.zone_of(owner))


def test_pages_open_for_their_owner_with_one_h1(owner, rows):
    treatment, schedule, note, daily = rows
    client = client_for(owner)
    for url in [
        LIST,
        f"{LIST}nouveau/",
        f"{LIST}aujourd-hui/",
        f"{LIST}suivi/",
        *urls_of(treatment, schedule, note),
        dose_url(daily, today_midnight(owner)),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
    page = client.get(f"/traitements/{treatment.pk}/").content.decode()
    assert SECRET_NAME in page and "2 comprimés" in page and "Fatigue" in page


def test_pages_are_a_404_for_someone_else(owner, stranger, rows):
    treatment, schedule, note, daily = rows
    client = client_for(stranger)
    for url in [*urls_of(treatment, schedule, note), dose_url(daily, today_midnight(owner))]:
        assert client.get(url).status_code == 404, url
        if url != f"/traitements/{treatment.pk}/":  # the treatment's page only reads
            posted = client.post(url, {"name": "x", "status": "taken", "kind": "daily", "times": "09:00"})
            assert posted.status_code == 404, url
    assert Treatment.objects.get(pk=treatment.pk).name == SECRET_NAME
    assert SideEffectNote.objects.count() == 1 and not DoseRecord.objects.exists()
    for url in (LIST, f"{LIST}aujourd-hui/", f"{LIST}suivi/"):
        assert SECRET_NAME not in client.get(url).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(rows):
    treatment, schedule, note, _daily = rows
    client = client_for()
    for url in [LIST, *urls_of(treatment, schedule, note)]:
        response = client.get(url)
        assert (response.status_code == 302 and "/connexion/" in response["Location"]) or "login" in response[
            "Location"
        ], url


def test_new_treatment_then_schedule_without_javascript(owner):
    client = client_for(owner)
    page = client.get(f"{LIST}nouveau/")
    response = client.post(
        f"{LIST}nouveau/",
        {
            "form_token": token_of(page),
            "name": "Lithium",
            "dose": "400 mg",
            "form": "comprimé",
            "prescriber": "",
            "prescription_end": "",
            "renewal_days": "7",
            "notes": "",
        },
    )
    treatment = Treatment.objects.get(owner=owner)
    assert (
        response.status_code == 302
        and response["Location"] == f"/traitements/{treatment.pk}/horaires/nouveau/"
    )
    page = client.get(response["Location"])
    response = client.post(
        f"/traitements/{treatment.pk}/horaires/nouveau/",
        {"form_token": token_of(page), "kind": "weekdays", "times": "08:00, 20:30", "weekdays": ["0", "4"]},
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(treatment=treatment)
    assert (schedule.kind, schedule.times, schedule.weekdays) == ("weekdays", ["08:00", "20:30"], [0, 4])


def test_errors_are_summarised_and_every_value_is_kept(owner):
    treatment = make_treatment(owner)
    client = client_for(owner)
    url = f"/traitements/{treatment.pk}/horaires/nouveau/"
    page = client.get(url)
    response = client.post(
        url,
        {
            "form_token": token_of(page),
            "kind": "on_demand",
            "times": "08:00",
            "pattern_hours_0": "0",
            "pattern_amount_0": "2 comprimés",
            "pattern_hours_1": "24",
            "pattern_amount_1": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in body
    assert 'value="2 comprimés"' in body and 'value="24"' in body and 'value="08:00"' in body
    assert not Schedule.objects.exists()
    response = client.post(
        f"{LIST}nouveau/",
        {
            "form_token": token_of(client.get(f"{LIST}nouveau/")),
            "name": "",
            "dose": "5 mg",
            "renewal_days": "7",
        },
    )
    body = response.content.decode()
    assert 'class="error-summary"' in body and 'value="5 mg"' in body


def test_the_pattern_editor_proposes_no_dose(owner):
    treatment = make_treatment(owner)
    body = client_for(owner).get(f"/traitements/{treatment.pk}/horaires/nouveau/").content.decode()
    # In the words a person reads, not in the markup: a random CSRF token once spelled "mg".
    words = strip_tags(body).lower()
    assert "comprim" not in words and not re.search(r"\bmg\b", words)
    assert "Recopy your prescription" in body or "Recopiez votre ordonnance" in body


def test_a_dose_is_noted_by_post_only_and_can_be_changed_or_cleared(owner, rows):
    _treatment, _schedule, _note, daily = rows
    client = client_for(owner)
    due = today_midnight(owner)
    url = dose_url(daily, due)
    assert client.get(url).status_code == 200
    assert not DoseRecord.objects.exists()  # GET changes nothing
    response = client.post(url, {"status": "late"})
    assert response.status_code == 302
    assert DoseRecord.objects.get().status == "late"
    client.post(url, {"status": "clear", "next": "/traitements/aujourd-hui/"})
    assert not DoseRecord.objects.exists()
    response = client.post(url, {"status": "taken", "next": "https://example.org/"})
    assert response["Location"] == url  # never elsewhere
    assert client.get(dose_url(daily, due.replace(minute=1))).status_code == 404  # not a dose of it
    assert client.get(f"/traitements/prises/{daily.pk}/nonsense/").status_code == 404


def test_start_on_demand_from_the_page(owner, rows):
    treatment, schedule, _note, _daily = rows
    client = client_for(owner)
    url = f"/traitements/{treatment.pk}/horaires/{schedule.pk}/commencer/"
    page = client.get(url)
    local = timezone.localtime(jobs.now(), services.zone_of(owner)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"form_token": token_of(page), "at": local})
    assert response.status_code == 302
    start = OnDemandStart.objects.get()
    assert abs((start.started_at - datetime.now(UTC)).total_seconds()) < 120
    today = client.get("/traitements/aujourd-hui/").content.decode()
    assert "2 comprimés" in today


def test_adherence_page_says_it_in_plain_words(owner, rows):
    _treatment, _schedule, _note, daily = rows
    services.record_dose(daily, due_at=today_midnight(owner), status="taken")
    body = client_for(owner).get(f"{LIST}suivi/").content.decode()
    assert "<table" in body and "<svg" in body


def test_the_overview_page_shows_todays_doses(owner, rows):
    _treatment, _schedule, _note, daily = rows
    services.record_dose(daily, due_at=today_midnight(owner), status="taken")
    client = client_for(owner)
    client.cookies["django_language"] = "en"
    body = client.get("/journal/apercu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My treatments" in body or "Mes traitements" in body
    assert "/traitements/aujourd-hui/" in body


def test_list_and_today_pages_make_a_fixed_number_of_queries(owner, django_assert_max_num_queries):
    for n in range(12):
        make_schedule(make_treatment(owner, name=f"T{n}"), times=["00:00", "12:00"])
    client = client_for(owner)
    client.get(LIST)
    for url in (LIST, f"{LIST}aujourd-hui/", f"{LIST}suivi/"):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("stamp", ["99991231T235959Z", "00010101T000000Z", "18991231T230000Z"])
def test_a_dose_key_out_of_range_is_a_404(owner, rows, stamp):
    """Issue 18 item 2: it was an OverflowError (a 500)."""
    daily = rows[3]
    assert client_for(owner).get(f"/traitements/prises/{daily.pk}/{stamp}/").status_code == 404
