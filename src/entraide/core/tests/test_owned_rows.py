"""``owned_rows`` finds what the ORM finds: the owner's rows only, equal on every field given,
in the order asked, decrypted on access."""

from __future__ import annotations

from datetime import date

import pytest

from entraide.core.owned_rows import owned_rows
from tests.testapp.models import CheckedDay, Note

pytestmark = pytest.mark.django_db


def test_only_the_owners_rows_equal_on_each_field_in_order(owner, stranger):
    days = [date(2026, 3, d) for d in (5, 1, 3)]
    for day in days:
        CheckedDay.objects.create(owner=owner, day=day)
    CheckedDay.objects.create(owner=stranger, day=date(2026, 3, 1))
    found = owned_rows(CheckedDay, owner, order="day DESC")
    assert [r.day for r in found] == sorted(days, reverse=True)
    assert [r.pk for r in owned_rows(CheckedDay, owner, day=date(2026, 3, 1))] == [
        CheckedDay.objects.get(owner=owner, day=date(2026, 3, 1)).pk
    ]
    assert [r.day for r in owned_rows(CheckedDay, owner, order="day", limit=2)] == sorted(days)[:2]
    assert owned_rows(CheckedDay, stranger, day=date(2026, 3, 5)) == []


def test_rows_decrypt_as_the_orms(owner):
    note = Note.objects.create(owner=owner, payload={"text": "à demain", "mood": 4})
    (found,) = owned_rows(Note, owner, id=note.pk)
    assert found.payload == {"text": "à demain", "mood": 4} == Note.objects.get(pk=note.pk).payload


def test_every_field_reads_as_the_orms(owner):
    """Each column goes through the converters the ORM applies: dates, times, ciphertexts, ids."""
    note = Note.objects.create(owner=owner, payload={"text": "x"}, attachment=b"\x00\xff")
    empty = Note.objects.create(owner=owner, payload=None)
    for expected in (Note.objects.get(pk=note.pk), Note.objects.get(pk=empty.pk)):
        (found,) = owned_rows(Note, owner, id=expected.pk)
        for field in Note._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
            assert type(getattr(found, field.attname)) is type(getattr(expected, field.attname)), field.name
        assert (found.payload, found.attachment) == (expected.payload, expected.attachment)
        assert found._state.adding is False
        assert found._state.db == expected._state.db
