"""/api/v1/treatments, schedules, on-demand starts, side-effect notes, /doses and /adherence:
the owner's own, through entraide.treatments' services; another person's is a 404."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from entraide.api.tests.conftest import json_post, json_put
from entraide.core import jobs
from entraide.notifications.models import Reminder
from entraide.treatments import services
from entraide.treatments.models import DoseRecord, Schedule, Treatment
from entraide.treatments.tests.factories import AT_PREP, SECRET_NAME, make_schedule, make_treatment

pytestmark = pytest.mark.django_db
URL = "/api/v1/treatments"


def test_create_read_update_delete_a_treatment(owner_api, owner):
    response = json_post(
        owner_api,
        URL,
        {"name": "Lithium", "dose": "400 mg", "form": "comprimé", "prescription_end": "2099-01-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["dose"], body["active"], body["renewal_days"]) == (
        "Lithium",
        "400 mg",
        True,
        7,
    )
    url = f"{URL}/{body['id']}"
    assert owner_api.get(url).json()["form"] == "comprimé"
    updated = json_put(owner_api, url, {"name": "Lithium", "active": False}).json()
    assert updated["active"] is False and updated["dose"] == ""
    assert owner_api.get(URL, {"active": "false"}).json()["count"] == 1
    assert owner_api.delete(url).status_code == 204
    assert not Treatment.objects.exists()


def test_treatment_rules_are_422(owner_api):
    assert json_post(owner_api, URL, {"name": "  "}).status_code == 422
    assert json_post(owner_api, URL, {"name": "x", "unknown": 1}).status_code == 422
    assert json_post(owner_api, URL, {"name": "x", "renewal_days": 0}).status_code == 422


def test_another_persons_treatment_is_a_404(owner, stranger_api):
    treatment = make_treatment(owner)
    schedule = make_schedule(treatment)
    note = services.add_side_effect(treatment, day=date(2026, 1, 1), text="x")
    base = f"{URL}/{treatment.pk}"
    for url in (base, f"{base}/schedules", f"{base}/schedules/{schedule.pk}", f"{base}/side-effects"):
        assert stranger_api.get(url).status_code == 404, url
    assert stranger_api.delete(f"{base}/side-effects/{note.pk}").status_code == 404
    assert json_put(stranger_api, base, {"name": "x"}).status_code == 404
    assert (
        json_post(stranger_api, f"{base}/schedules", {"kind": "daily", "times": ["08:00"]}).status_code == 404
    )
    assert stranger_api.get(f"/api/v1/adherence?treatment_id={treatment.pk}").status_code == 404
    stamp = "20260101T070000Z"
    assert (
        json_put(stranger_api, f"/api/v1/doses/{schedule.pk}/{stamp}", {"status": "taken"}).status_code == 404
    )
    assert stranger_api.get(URL).json()["count"] == 0
    assert SECRET_NAME not in stranger_api.get("/api/v1/doses").content.decode()
    assert Treatment.objects.get().name == SECRET_NAME


def test_read_only_tokens_cannot_write(reader_api, owner):
    assert reader_api.get(URL).status_code == 200
    assert json_post(reader_api, URL, {"name": "x"}).status_code == 403


def test_schedules_crud_and_on_demand_start(owner_api, owner):
    treatment = make_treatment(owner)
    base = f"{URL}/{treatment.pk}/schedules"
    response = json_post(
        owner_api,
        base,
        {"kind": "cycle", "times": ["21:00"], "cycle_on": 21, "cycle_off": 7, "starts_on": "2026-06-01"},
    )
    assert response.status_code == 201, response.content
    cycle = response.json()
    assert (cycle["kind"], cycle["cycle_on"], cycle["cycle_off"], cycle["times"]) == (
        "cycle",
        21,
        7,
        ["21:00"],
    )
    assert json_post(owner_api, base, {"kind": "daily", "times": ["8h"]}).status_code == 422
    assert json_post(owner_api, base, {"kind": "weekdays", "times": ["08:00"]}).status_code == 422
    pattern = [
        {"offset_minutes": 0, "amount": "2 comprimés"},
        {"offset_minutes": 1440, "amount": "1 comprimé"},
    ]
    on_demand = json_post(owner_api, base, {"kind": "on_demand", "pattern": pattern}).json()
    assert on_demand["pattern"] == pattern
    assert [s["id"] for s in owner_api.get(base).json()] == [cycle["id"], on_demand["id"]]
    at = (datetime.now(UTC) - timedelta(minutes=5)).replace(second=0, microsecond=0)
    started = json_post(owner_api, f"{base}/{on_demand['id']}/starts", {"at": at.isoformat()})
    assert started.status_code == 201, started.content
    assert Reminder.objects.filter(target=on_demand["id"], once_at=at + timedelta(days=1)).exists()
    assert json_post(owner_api, f"{base}/{cycle['id']}/starts", {"at": at.isoformat()}).status_code == 422
    changed = json_put(owner_api, f"{base}/{cycle['id']}", {"kind": "daily", "times": ["07:30"]}).json()
    assert (changed["kind"], changed["times"], changed["cycle_on"]) == ("daily", ["07:30"], None)
    assert owner_api.delete(f"{base}/{cycle['id']}").status_code == 204
    assert Schedule.objects.count() == 1


def test_a_schedule_may_start_years_ahead(owner_api, owner):
    """Issue 18 item 3: the API fuzzing's server error, a first day more than 800 days ahead."""
    treatment = make_treatment(owner)
    for kind, extra in (("daily", {}), ("cycle", {"cycle_on": 1, "cycle_off": 365})):
        body = {"kind": kind, "times": ["08:00"], "starts_on": "2199-12-31", **extra}
        response = json_post(owner_api, f"{URL}/{treatment.pk}/schedules", body)
        assert response.status_code == 201, response.content


def test_out_of_range_dates_are_404_in_urls_and_422_in_bodies(owner_api, owner):
    """Issue 18 item 2: core.dates' range (1900 to 2199), where each date is parsed."""
    treatment = make_treatment(owner)
    schedule = make_schedule(treatment, times=["00:00"])
    for stamp in ("00010101T000000Z", "99991231T235959Z", "18991231T230000Z", "22000101T000000Z"):
        response = json_put(owner_api, f"/api/v1/doses/{schedule.pk}/{stamp}", {"status": "taken"})
        assert response.status_code == 404, (stamp, response.content)
    for body in ({"starts_on": "0001-01-01"}, {"starts_on": "9999-12-31"}, {"starts_on": "2200-01-01"}):
        response = json_post(
            owner_api, f"{URL}/{treatment.pk}/schedules", {"kind": "daily", "times": ["08:00"], **body}
        )
        assert response.status_code == 422, (body, response.content)
        assert response.json()["detail"][0]["field"] == "starts_on"
    query = {"start": "0001-01-01", "end": "0001-01-02"}
    assert owner_api.get("/api/v1/doses", query).status_code == 422
    assert owner_api.get("/api/v1/checkins", {"from": "9999-12-31"}).status_code == 422
    pattern = [{"offset_minutes": 0, "amount": "1 comprimé"}]
    on_demand = json_post(
        owner_api, f"{URL}/{treatment.pk}/schedules", {"kind": "on_demand", "pattern": pattern}
    )
    starts = f"{URL}/{treatment.pk}/schedules/{on_demand.json()['id']}/starts"
    assert json_post(owner_api, starts, {"at": "0001-01-01T00:00:00+01:00"}).status_code == 422


def test_doses_listed_noted_and_counted(owner_api, owner):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    with jobs.clock_at(datetime(2026, 3, 1, tzinfo=UTC)):
        schedule = make_schedule(make_treatment(owner), times=["02:30", "08:00"], starts_on=date(2026, 3, 28))
    doses = owner_api.get("/api/v1/doses", {"start": "2026-03-29", "end": "2026-03-29"}).json()
    assert [(d["due_at"], d["dose_at"], d["status"]) for d in doses] == [
        ("2026-03-29T01:00:00Z", "20260329T010000Z", None),  # 02:30 does not exist: 03:00 CEST
        ("2026-03-29T06:00:00Z", "20260329T060000Z", None),
    ]
    url = f"/api/v1/doses/{schedule.pk}/20260329T010000Z"
    noted = json_put(owner_api, url, {"status": "late"})
    assert noted.status_code == 200 and noted.json()["status"] == "late"
    assert json_put(owner_api, url, {"status": "forgotten"}).status_code == 422
    assert (
        json_put(owner_api, f"/api/v1/doses/{schedule.pk}/20260329T013000Z", {"status": "taken"}).status_code
        == 404
    )
    assert owner_api.get("/api/v1/doses", {"start": "2026-03-29"}).json()[0]["status"] == "late"
    assert owner_api.get("/api/v1/doses", {"start": "2026-01-01", "end": "2026-06-01"}).status_code == 422
    assert owner_api.delete(url).status_code == 204
    assert not DoseRecord.objects.exists()


def test_adherence_figures(owner_api, owner):
    treatment = make_treatment(owner)
    schedule = make_schedule(
        treatment, times=["00:00"], starts_on=services.today_of(owner) - timedelta(days=10)
    )
    zone = services.zone_of(owner)
    today = services.today_of(owner)
    for back, status in ((0, "taken"), (1, "late"), (2, "skipped")):
        due = services.occurrence(today - timedelta(days=back), datetime.min.time(), zone)
        services.record_dose(schedule, due_at=due, status=status)
    body = owner_api.get("/api/v1/adherence").json()
    assert [row["days"] for row in body] == [7, 30, 90]
    week = body[0]
    assert (week["scheduled"], week["taken"], week["late"], week["skipped"], week["unmarked"]) == (
        7,
        1,
        1,
        1,
        4,
    )
    assert week["taken_share"] == pytest.approx(1 / 7) and week["taken_any_share"] == pytest.approx(2 / 7)
    assert body[1]["scheduled"] == 11  # from its first day, ten days ago


def test_side_effect_notes(owner_api, owner):
    treatment = make_treatment(owner)
    base = f"{URL}/{treatment.pk}/side-effects"
    created = json_post(owner_api, base, {"day": "2026-01-02", "text": "Vertiges"})
    assert created.status_code == 201
    assert json_post(owner_api, base, {"day": "2999-01-01", "text": "x"}).status_code == 422
    assert [n["text"] for n in owner_api.get(base).json()] == ["Vertiges"]
    assert owner_api.delete(f"{base}/{created.json()['id']}").status_code == 204


def test_on_demand_pattern_from_the_factory(owner):
    schedule = make_schedule(make_treatment(owner), kind="on_demand", pattern=AT_PREP)
    assert [d["offset_minutes"] for d in schedule.pattern] == [0, 1440, 2880]


def test_lists_make_a_fixed_number_of_queries(owner_api, owner, django_assert_max_num_queries):
    for n in range(15):
        make_schedule(make_treatment(owner, name=f"T{n}"), times=["00:00", "12:00"])
    owner_api.get(URL)
    with django_assert_max_num_queries(8):
        assert len(owner_api.get(URL).json()["items"]) == 15
    with django_assert_max_num_queries(10):  # schedules, starts and records: one query each
        assert len(owner_api.get("/api/v1/doses").json()) == 30
    with django_assert_max_num_queries(16):  # three periods
        owner_api.get("/api/v1/adherence")


def test_an_out_of_range_date_is_explained_in_plain_words(owner_api, owner):
    treatment = make_treatment(owner)
    body = {"kind": "daily", "times": ["08:00"], "starts_on": "0001-01-01"}
    response = json_post(owner_api, f"{URL}/{treatment.pk}/schedules", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == [
        {"field": "starts_on", "message": "Choose a date between 1900 and 2199."}
    ]
