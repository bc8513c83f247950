"""``insert_row`` and ``update_columns`` write what ``Model.save`` writes: every field through
its own preparation (encryption, automatic dates), read back by the ORM as saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from entraide.core.fields import seal
from entraide.core.models import FormSubmission
from entraide.core.row_writes import insert_row, update_columns
from tests.testapp.models import CheckedDay, Note

pytestmark = pytest.mark.django_db


def _stored(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_insert_row_stores_each_field_as_save_does(owner):
    before = timezone.now()
    note = Note(owner=owner, payload={"text": "à demain", "mood": 4}, attachment=b"\x00\xff")
    insert_row(note)
    assert note._state.adding is False
    found = Note.objects.get(pk=note.pk)
    assert (found.payload, found.attachment) == ({"text": "à demain", "mood": 4}, b"\x00\xff")
    assert found.created_at >= before  # auto_now_add, set by the field's pre_save
    assert found.owner_id == owner.pk
    # Stored encrypted, as the ORM stores it: the plain words are nowhere in the row.
    assert "à demain".encode() not in bytes(
        Note.objects.filter(pk=note.pk).values_list("payload", flat=True)[0]
    )
    # Every column reads back as the value the instance held when it was written.
    assert _stored(found) == _stored(note)


def test_insert_row_takes_the_id_the_database_gives(owner):
    first, second = FormSubmission(user=owner, token="a" * 12), FormSubmission(user=owner, token="b" * 12)
    insert_row(first)
    insert_row(second)
    assert isinstance(first.pk, int) and second.pk > first.pk
    assert FormSubmission.objects.get(pk=second.pk).token == "b" * 12


def test_insert_row_refuses_a_duplicate_like_save(owner):
    insert_row(FormSubmission(user=owner, token="c" * 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_row(FormSubmission(user=owner, token="c" * 12))
    assert FormSubmission.objects.filter(user=owner).count() == 1


def test_update_columns_writes_only_the_columns_named(owner):
    note = Note.objects.create(owner=owner, payload={"text": "avant"})
    day = CheckedDay.objects.create(owner=owner, day=timezone.localdate())
    note.payload = {"text": "après"}
    note.created_at = note.created_at - timedelta(days=3)  # changed in memory, not named
    assert update_columns(note, "payload") == 1
    found = Note.objects.get(pk=note.pk)
    assert found.payload == {"text": "après"}
    assert found.created_at == Note.objects.filter(pk=note.pk).values_list("created_at", flat=True)[0]
    assert found.created_at != note.created_at
    day.day -= timedelta(days=1)
    assert update_columns(day, "day") == 1
    assert CheckedDay.objects.get(pk=day.pk).day == day.day
    day.delete()
    assert update_columns(day, "day") == 0


def test_update_columns_unchanged_writes_only_over_the_values_read(owner):
    note = Note.objects.create(owner=owner, payload={"text": "lu"})
    read = bytes(Note.objects.get(pk=note.pk).__dict__["payload"])
    other = Note.objects.get(pk=note.pk)
    other.payload = {"text": "écrit entre-temps"}
    other.save()
    note.payload = {"text": "perdu"}
    assert update_columns(note, "payload", unchanged={"payload": read}) == 0
    assert Note.objects.get(pk=note.pk).payload == {"text": "écrit entre-temps"}
    now = bytes(Note.objects.get(pk=note.pk).__dict__["payload"])
    assert update_columns(note, "payload", unchanged={"payload": now}) == 1
    assert Note.objects.get(pk=note.pk).payload == {"text": "perdu"}


def test_a_sealed_field_is_written_as_sealed_and_still_reads_in_clear(owner):
    note = Note.objects.create(owner=owner, payload={"text": "avant"})
    note.payload = {"text": "scellé"}
    seal(note, "payload")
    sealed = bytes(note.__dict__["payload"])
    assert "scellé".encode() not in sealed
    update_columns(note, "payload")
    stored = Note.objects.filter(pk=note.pk).values_list("payload", flat=True)[0]
    assert bytes(stored) == sealed  # not encrypted a second time
    assert note.payload == {"text": "scellé"} == Note.objects.get(pk=note.pk).payload
    with pytest.raises(TypeError):
        seal(note, "created_at")


@pytest.mark.parametrize(
    ("label", "column"),
    [
        ("core.FormSubmission", "user_id"),
        ("journal.Checkin", "owner_id"),
        ("journal.DayMeans", "owner_id"),
        ("assessments.QuestionnaireResponse", "owner_id"),
    ],
)
def test_the_rows_written_on_every_submit_have_no_index_a_composite_already_gives(label, column):
    """Each index is one more page written per insert: the owner's own index is dropped where an
    index or a unique constraint starts with the owner (core.models.owner_key)."""
    from django.apps import apps

    table = apps.get_model(label)._meta.db_table
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    indexed = [c["columns"] for c in found.values() if c["index"] or c["unique"]]
    assert [column] not in indexed
    assert any(columns[0] == column and len(columns) > 1 for columns in indexed)


def test_a_form_claim_takes_a_plain_row_id(owner):
    """No AUTOINCREMENT on SQLite (core.fields.RowIdField): a claim does not write sqlite_sequence."""
    insert_row(FormSubmission(user=owner, token="f" * 12))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'core_formsubmission'")
            (sql,) = cursor.fetchone()
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            has_sequence = cursor.fetchone() is not None
        assert "AUTOINCREMENT" not in sql.upper() and '"id" integer NOT NULL PRIMARY KEY' in sql
        if has_sequence:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'core_formsubmission'")
                assert cursor.fetchone() == (0,)
    assert FormSubmission.objects.get(token="f" * 12).pk > 0
