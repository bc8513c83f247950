"""`entraide demo`: demo people with three years of varied data, a banner, no email, removable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import client_for
from entraide.accounts.models import User
from entraide.core import mail
from entraide.goals.models import Goal, RecoveryAssessment
from entraide.journal.models import Checkin, Indicator, JournalEntry
from entraide.thoughts.models import ThoughtRecord

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_refuses_when_real_accounts_exist_unless_forced(owner):
    with pytest.raises(CommandError, match="real account"):
        run("--people", "1")
    assert not User.objects.filter(is_demo=True).exists()
    run("--people", "1", "--force", "--seed", "1")
    assert User.objects.filter(is_demo=True).count() == 1


def test_demo_people_have_three_years_of_varied_data_and_no_email(db, mailoutbox):
    output = run("--people", "2", "--seed", "7")
    people = list(User.objects.filter(is_demo=True))
    assert len(people) == 2 and "@demo.invalid" in output
    for person in people:
        checkins = Checkin.objects.filter(owner=person)
        days = checkins.dates("local_date", "day")
        assert 900 <= len(days) <= 1095  # three years, with days off
        moods = [c.payload["mood"] for c in checkins[:400]]
        assert min(moods) <= 2 and max(moods) >= 9  # bad patches and good days
        assert Indicator.objects.filter(owner=person).count() == 20
        assert JournalEntry.objects.filter(owner=person).count() > 50
        assert ThoughtRecord.objects.filter(owner=person).count() == 60
        assert (
            Goal.objects.filter(owner=person).exists()
            and RecoveryAssessment.objects.filter(owner=person).count() >= 36
        )
    mail.send_mail(
        to=people[0].email,
        template_prefix="accounts/email/new_signin",
        context={"user": people[0], "when": None, "time_zone": "UTC"},
    )
    assert len(mailoutbox) == 0  # demo accounts never receive email
    body = client_for(people[0]).get("/journal/").content.decode()
    assert "Demo account" in body


def test_demo_is_reproducible_with_a_seed_and_removable(db):
    run("--people", "1", "--seed", "3")
    first = sorted(c.payload.get("mood") for c in Checkin.objects.all())
    run("--remove")
    assert not User.objects.filter(is_demo=True).exists() and not Checkin.objects.exists()
    run("--people", "1", "--seed", "3")
    assert sorted(c.payload.get("mood") for c in Checkin.objects.all()) == first
