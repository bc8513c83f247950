"""The query hook itself (tests/owner_queries.py): it reads owners from the SQL Django writes, and
fails a request that reads someone else's rows on a non-gate route, or on a gate route before the
gate passed."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from conftest import client_for, link_people
from entraide.circle import gate
from entraide.journal.access import filter_checkins_of, filter_entries_of
from entraide.journal.models import Checkin
from entraide.journal.services import create_entry
from entraide.safety.services import save_safety_plan
from entraide.treatments.models import Schedule
from tests.owner_queries import owners_in, selects_children, touched_tables


def compiled(qs):
    return qs.query.get_compiler(connection=connection).as_sql()


@pytest.mark.django_db
def test_owners_are_read_from_the_sql_django_writes(owner, stranger):
    sql, params = compiled(filter_checkins_of(owner).order_by("moment"))
    assert touched_tables(sql) == {"journal_checkin"}
    assert owners_in(sql, params) == [owner.pk]
    sql, params = compiled(Checkin.objects.filter(owner_id__in=[owner.pk, stranger.pk], private=False))
    assert sorted(map(str, owners_in(sql, params))) == sorted([str(owner.pk), str(stranger.pk)])
    sql, params = compiled(Checkin.objects.filter(private=False))
    assert owners_in(sql, params) is None and not selects_children(sql)
    sql, params = compiled(Schedule.objects.filter(treatment_id__in=[owner.pk]))  # a prefetch's shape
    assert owners_in(sql, params) is None and selects_children(sql)


@pytest.mark.django_db
def test_a_page_reading_another_persons_rows_fails(owner, stranger, owner_queries, monkeypatch):
    create_entry(stranger, day=date(2026, 3, 1), body="pas à Camille")
    client = client_for(owner)
    assert client.get("/journal/carnet/").status_code == 200
    assert owner_queries.checked > 0
    from entraide.journal.views import entries

    monkeypatch.setattr(entries, "filter_entries_of", lambda user: filter_entries_of(stranger))
    with pytest.raises(AssertionError, match="read on a non-gate route"):
        client.get("/journal/carnet/")
    owner_queries.violations.clear()  # expected: the fixture would fail the test on it


@pytest.mark.django_db
def test_a_gate_page_must_pass_the_gate_before_reading(owner, peer_helper, owner_queries, monkeypatch):
    save_safety_plan(owner, steps={"warning_signs": ["Je m'isole"]})
    link_people(owner, peer_helper, kind="peer_helper", scopes=("safety_plan",))
    client = client_for(peer_helper)
    url = f"/cercle/avec-moi/{owner.pk}/plan-de-securite/"
    assert client.get(url).status_code == 200
    monkeypatch.setattr(gate, "_note_pass", lambda owner_id: None)  # as if the gate were skipped
    with pytest.raises(AssertionError, match="before the gate let"):
        client.get(url)
    owner_queries.violations.clear()
