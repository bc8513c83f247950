"""Recording, scoring, the crisis signal, schedules and what is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection

from entraide.assessments import services
from entraide.assessments.models import QuestionnaireResponse, QuestionnaireSchedule
from entraide.assessments.tests.factories import make_response
from entraide.core.errors import InvalidValuesError
from entraide.core.signals import crisis_signalled

pytestmark = pytest.mark.django_db


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def test_a_response_is_scored_from_its_answers_and_stored_encrypted(owner):
    response = services.record_response(
        owner, questionnaire="phq9", answers=[1, 2, 0, 3, 1, 0, 2, 1, 0], difficulty=1, language="en"
    )
    row = QuestionnaireResponse.objects.get(pk=response.pk)
    assert (row.instrument, row.raw, row.score, row.band, row.crisis) == ("phq9", 10, 10, "moderate", False)
    assert row.answers == [1, 2, 0, 3, 1, 0, 2, 1, 0] and row.difficulty == 1
    assert row.payload["language"] == "en" and row.payload["version"] == "1"
    assert row.result().raw == row.raw  # the engine, again from the stored answers
    stored = bytes(QuestionnaireResponse.objects.filter(pk=row.pk).values_list("payload", flat=True).get())
    assert b"moderate" not in stored and b"answers" not in stored


def test_who5_keeps_the_raw_total_and_the_percentage(owner):
    response = services.record_response(owner, questionnaire="who5", answers=[3, 3, 2, 2, 2])
    assert (response.raw, response.percentage, response.score, response.band) == (
        12,
        48,
        48,
        "poor_wellbeing",
    )
    assert response.payload["cutoffs"] == ["poor_wellbeing"]


def test_the_local_date_is_the_persons(owner):
    owner.time_zone = "Pacific/Auckland"
    owner.save(update_fields=["time_zone"])
    response = make_response(owner, at=at("2026-03-01T20:00:00+00:00"))
    assert response.local_date == date(2026, 3, 2)


def test_missing_answers_are_refused_and_nothing_is_saved(owner):
    with pytest.raises(InvalidValuesError) as caught:
        services.record_response(owner, questionnaire="gad7", answers=[1, 1, 1])
    assert set(caught.value.errors) == {"answers.4", "answers.5", "answers.6", "answers.7"}
    assert not QuestionnaireResponse.objects.exists()


def test_an_unknown_questionnaire_is_refused(owner):
    with pytest.raises(InvalidValuesError) as caught:
        services.record_response(owner, questionnaire="beck", answers=[0])
    assert set(caught.value.errors) == {"questionnaire"}


@pytest.fixture
def signals_heard():
    heard = []

    def listen(sender, person, source, **kwargs):
        heard.append((person.pk, source, connection.in_atomic_block))

    crisis_signalled.connect(listen, dispatch_uid="test-assessments-listen")
    yield heard
    crisis_signalled.disconnect(dispatch_uid="test-assessments-listen")


def test_phq9_item_9_above_0_signals_a_crisis_inside_the_transaction(owner, signals_heard):
    response = services.record_response(owner, questionnaire="phq9", answers=[0] * 8 + [1], difficulty=0)
    assert response.crisis is True
    assert signals_heard == [(owner.pk, "phq9", True)]


def test_no_crisis_signal_otherwise(owner, signals_heard):
    make_response(owner, "phq9", answers=[3] * 8 + [0])
    make_response(owner, "gad7", total=21)
    make_response(owner, "who5", total=0)
    assert signals_heard == []


def test_a_failing_crisis_receiver_rolls_the_response_back(owner):
    def broken(**kwargs):
        raise RuntimeError("the receiver failed")

    crisis_signalled.connect(broken, dispatch_uid="test-assessments-broken")
    try:
        with pytest.raises(RuntimeError):
            services.record_response(owner, questionnaire="phq9", answers=[0] * 8 + [2], difficulty=0)
    finally:
        crisis_signalled.disconnect(dispatch_uid="test-assessments-broken")
    assert not QuestionnaireResponse.objects.exists()


def test_the_safety_app_records_a_crisis_moment(owner):
    from entraide.safety.models import CrisisMoment

    services.record_response(owner, questionnaire="phq9", answers=[0] * 8 + [3], difficulty=2)
    assert CrisisMoment.objects.filter(owner=owner).count() == 1


# --- Schedules and what is due ------------------------------------------------------------------


def test_nothing_is_due_before_a_first_answer_or_a_chosen_rhythm(owner):
    dues = services.due_of(owner)
    assert [d.due_on for d in dues.values()] == [None, None, None]


def test_after_an_answer_the_default_rhythm_is_every_two_weeks(owner):
    make_response(owner, "gad7", at=at("2026-03-02T10:00:00+01:00"))
    due = services.due_of(owner)["gad7"]
    assert (due.every_days, due.chosen, due.last, due.due_on) == (
        14,
        False,
        date(2026, 3, 2),
        date(2026, 3, 16),
    )
    assert not due.is_due(date(2026, 3, 15)) and due.is_due(date(2026, 3, 16))


def test_a_chosen_rhythm_counts_from_the_last_answer_and_off_is_never_due(owner, time_machine):
    time_machine.move_to(at("2026-03-10T12:00:00+01:00"))
    make_response(owner, "phq9", at=at("2026-03-02T10:00:00+01:00"))
    services.set_schedule(owner, questionnaire="phq9", every_days=7)
    services.set_schedule(owner, questionnaire="who5", every_days="28")
    dues = services.due_of(owner)
    assert dues["phq9"].due_on == date(2026, 3, 9)
    assert dues["who5"].due_on == date(2026, 3, 10)  # never answered: due from the day chosen
    services.set_schedule(owner, questionnaire="phq9", every_days=0)
    assert services.due_of(owner)["phq9"].due_on is None
    assert QuestionnaireSchedule.objects.filter(owner=owner).count() == 2


@pytest.mark.parametrize("bad", [3, "tous les jours", None, True])
def test_an_unknown_rhythm_is_refused(owner, bad):
    with pytest.raises(InvalidValuesError) as caught:
        services.set_schedule(owner, questionnaire="phq9", every_days=bad)
    assert set(caught.value.errors) == {"every_days"}


def test_the_reminder_speaks_on_the_due_day_and_a_week_later_only(owner):
    make_response(owner, "phq9", at=at("2026-03-02T10:00:00+01:00"))  # due on 16 March
    speaks = [
        day
        for day in (date(2026, 3, 2) + timedelta(days=n) for n in range(40))
        if services.reminder_due_on(owner, day)
    ]
    assert speaks == [date(2026, 3, 16), date(2026, 3, 23)]


def test_the_reminder_is_switched_on_and_off(owner):
    reminder = services.set_questionnaire_reminder(owner, enabled=True, at=time(18, 30))
    assert reminder.kind == "assessments.due" and reminder.next_fire_at is not None
    services.set_questionnaire_reminder(owner, enabled=False, at=None)
    reminder.refresh_from_db()
    assert not reminder.enabled and reminder.next_fire_at is None
    with pytest.raises(InvalidValuesError):
        services.set_questionnaire_reminder(owner, enabled=True, at=None)


def test_delete_removes_only_that_response(owner):
    first, second = make_response(owner), make_response(owner, total=3)
    services.delete_response(first)
    assert list(QuestionnaireResponse.objects.values_list("pk", flat=True)) == [second.pk]


@pytest.mark.django_db
def test_latest_responses_are_each_questionnaires_last_answer_in_one_query(
    owner, stranger, django_assert_num_queries
):
    from entraide.assessments.access import latest_responses_of

    start = datetime(2026, 5, 4, 8, tzinfo=UTC)
    make_response(owner, "phq9", total=3, at=start)
    last_phq9 = make_response(owner, "phq9", total=9, at=start + timedelta(days=14))
    make_response(owner, "phq9", total=1, at=start + timedelta(days=7))
    gad7 = make_response(owner, "gad7", total=4, at=start)
    make_response(stranger, "who5", total=10, at=start + timedelta(days=30))
    with django_assert_num_queries(1):
        latest = latest_responses_of(owner)
    assert list(latest) == ["phq9", "gad7"]  # the order of the questionnaires; none answered: absent
    assert (latest["phq9"].pk, latest["gad7"].pk) == (last_phq9.pk, gad7.pk)
    assert latest_responses_of(stranger)["who5"].owner_id == stranger.pk


@pytest.mark.django_db
def test_responses_since_are_the_orms_in_order_and_decrypt(owner, stranger):
    from entraide.assessments.access import filter_responses_of, responses_since

    start = datetime(2026, 5, 4, 8, tzinfo=UTC)
    for after, total in ((0, 3), (14, 9), (7, 1), (7.1, 4), (30, 2)):  # 7.1: the same local day
        make_response(owner, "phq9", total=total, at=start + timedelta(days=after))
    make_response(owner, "gad7", total=4, at=start + timedelta(days=20))
    make_response(stranger, "phq9", total=5, at=start + timedelta(days=20))
    since = (start + timedelta(days=7)).date()
    expected = list(
        filter_responses_of(owner)
        .filter(instrument="phq9", local_date__gte=since)
        .order_by("answered_at", "id")
    )
    found = responses_since(owner, "phq9", since)
    assert [r.pk for r in found] == [r.pk for r in expected] and len(found) == 4
    assert [r.raw for r in found] == [r.raw for r in expected] == [1, 4, 9, 2]
    assert [r.answered_at for r in found] == [r.answered_at for r in expected]


@pytest.mark.django_db
def test_due_from_the_latest_responses_is_due_from_the_database(owner):
    from entraide.assessments.access import latest_responses_of

    start = datetime(2026, 5, 4, 8, tzinfo=UTC)
    make_response(owner, "phq9", at=start)
    make_response(owner, "phq9", at=start + timedelta(days=9))
    make_response(owner, "who5", total=12, at=start + timedelta(days=3))
    QuestionnaireSchedule.objects.create(owner=owner, instrument="gad7", every_days=7, since=date(2026, 6, 1))
    assert services.due_of(owner, latest_responses_of(owner)) == services.due_of(owner)
