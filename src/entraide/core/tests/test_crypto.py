"""The envelope: what reaches the database is ciphertext bound to its row and owner; keys rotate;
erasing a person shreds their key first; one unwrap per person per request."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import make_user
from entraide.core import personal_data, services
from entraide.core.encryption import crypto, keyring
from entraide.core.models import DataKey
from tests.testapp.models import InstanceSecret, Note

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def database_bytes() -> bytes:
    """Everything the database holds on disk: SQLite file and WAL, or a pg_dump."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        blobs = []
        for suffix in ("", "-wal"):
            try:
                with open(f"{name}{suffix}", "rb") as f:
                    blobs.append(f.read())
            except FileNotFoundError:
                pass
        return b"".join(blobs)
    cfg = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            cfg["HOST"] or "127.0.0.1",
            "-p",
            str(cfg["PORT"] or 5432),
            "-U",
            cfg["USER"] or "postgres",
            cfg["NAME"],
        ],
        capture_output=True,
        check=True,
    )
    return dump.stdout


def reload(note: Note) -> Note:
    crypto.clear_key_cache()
    return Note.objects.get(pk=note.pk)


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values, blob=st.binary(max_size=2048))
def test_round_trips_any_json_and_bytes(owner, value, blob):
    note = Note.objects.create(owner=owner, payload=value, attachment=blob)
    again = reload(note)
    assert again.payload == value
    assert again.attachment == blob


@pytest.mark.django_db
def test_text_round_trips_unicode(owner):
    text = "Ça va mieux 🌱 — « merci »\x00\n"
    assert reload(Note.objects.create(owner=owner, payload=text)).payload == text


@pytest.mark.django_db(transaction=True)
def test_sentinel_never_reaches_the_disk_in_clear():
    owner = make_user("Sentinelle")
    sentinel = f"SENTINEL-{uuid.uuid4().hex}"
    Note.objects.create(owner=owner, payload={"text": sentinel}, attachment=sentinel.encode())
    InstanceSecret.objects.create(name="totp", secret=sentinel)
    disk = database_bytes()
    assert owner.email.encode() in disk  # the check can see clear text when there is some
    assert sentinel.encode() not in disk


@pytest.mark.django_db
def test_ciphertext_moved_to_another_row_or_owner_does_not_decrypt(owner, stranger):
    source = Note.objects.create(owner=owner, payload={"text": "à moi"})
    same_owner = Note.objects.create(owner=owner, payload={"text": "autre"})
    other_owner = Note.objects.create(owner=stranger, payload={"text": "autre"})
    stolen = Note.objects.filter(pk=source.pk).values_list("payload", flat=True).get()
    for target in (same_owner, other_owner):
        Note.objects.filter(pk=target.pk).update(payload=stolen)
        with pytest.raises(crypto.DecryptionError, match="does not decrypt"):
            reload(target).payload  # noqa: B018 — the read is the test
    assert reload(source).payload == {"text": "à moi"}


@pytest.mark.django_db
def test_tampered_ciphertext_fails_loudly(owner):
    note = Note.objects.create(owner=owner, payload={"text": "x"})
    blob = bytearray(Note.objects.filter(pk=note.pk).values_list("payload", flat=True).get())
    blob[-1] ^= 1
    Note.objects.filter(pk=note.pk).update(payload=bytes(blob))
    with pytest.raises(crypto.DecryptionError, match=r"testapp_note\.payload of row"):
        reload(note).payload  # noqa: B018


@pytest.mark.django_db
def test_encrypted_field_cannot_be_filtered_on(owner):
    with pytest.raises(TypeError, match="encrypted"):
        list(Note.objects.filter(payload={"text": "x"}))


@pytest.mark.django_db
def test_data_keys_are_stored_wrapped_only(owner):
    Note.objects.create(owner=owner, payload=1)
    row = DataKey.objects.get(owner=owner)
    plain = crypto.data_key_for(owner.pk)
    assert len(plain) == 32
    assert plain not in bytes(row.wrapped)
    assert row.key_id == keyring.load_keyring().active


@pytest.mark.django_db
def test_one_unwrap_for_a_persons_1100_records(owner, django_assert_max_num_queries):
    Note.objects.bulk_create([Note(owner=owner, payload={"mood": i % 11}) for i in range(1100)])
    crypto.clear_key_cache()
    before = crypto.unwrap_count
    with django_assert_max_num_queries(2):  # the notes, the data key
        moods = [n.payload["mood"] for n in Note.objects.filter(owner=owner)]
    assert len(moods) == 1100
    assert crypto.unwrap_count - before == 1


@pytest.mark.django_db
def test_rotation_rewraps_keys_and_data_stays_readable(owner, stranger):
    notes = [Note.objects.create(owner=p, payload={"who": p.pseudonym}) for p in (owner, stranger)]
    InstanceSecret.objects.create(name="seed", secret="graine")
    old = keyring.load_keyring().active
    ciphertexts = list(Note.objects.order_by("pk").values_list("payload", flat=True))

    result = services.rotate_instance_key()
    ring = keyring.load_keyring()
    assert (result.resumed, result.rewrapped, result.left) == (False, 3, 0)
    assert ring.active != old and old in ring.keys  # the retired key stays, for old archives
    assert set(DataKey.objects.values_list("key_id", flat=True)) == {ring.active}
    assert (
        list(Note.objects.order_by("pk").values_list("payload", flat=True)) == ciphertexts
    )  # rows untouched
    assert [reload(n).payload for n in notes] == [{"who": "Camille"}, {"who": "Dominique"}]
    crypto.clear_key_cache()
    assert InstanceSecret.objects.get().secret == "graine"


@pytest.mark.django_db
def test_interrupted_rotation_resumes(owner, stranger, admin_user):
    for p in (owner, stranger, admin_user):
        Note.objects.create(owner=p, payload={"who": p.pseudonym})
    first = services.rotate_instance_key(limit=1)  # interrupted after one key
    # three people's keys, and the instance key that holds the administrator's TOTP secret
    assert (first.rewrapped, first.left) == (1, 3)
    # Meanwhile everything still decrypts: both keys are in the ring.
    crypto.clear_key_cache()
    assert sorted(n.payload["who"] for n in Note.objects.all()) == ["Alix", "Camille", "Dominique"]

    second = services.rotate_instance_key()
    assert (second.resumed, second.active_key_id, second.rewrapped, second.left) == (
        True,
        first.active_key_id,
        3,
        0,
    )
    assert len(keyring.load_keyring().keys) == 2  # resumed, not rotated again
    crypto.clear_key_cache()
    assert sorted(n.payload["who"] for n in Note.objects.all()) == ["Alix", "Camille", "Dominique"]


@pytest.mark.django_db
def test_missing_retired_key_is_a_clear_error(owner):
    Note.objects.create(owner=owner, payload=1)
    ring = keyring.load_keyring()
    keyring.save_keyring(keyring.KeyRing(active="new", keys={"new": b"k" * 32}))
    crypto.clear_key_cache()
    with pytest.raises(keyring.KeyRingError, match=ring.active):
        Note.objects.get().payload  # noqa: B018


@pytest.mark.django_db(transaction=True)
def test_erasure_shreds_the_key_then_leaves_nothing_on_disk():
    person = make_user(f"Efface{uuid.uuid4().hex[:6]}")
    email = person.email.encode()
    sentinel = f"SENTINEL-{uuid.uuid4().hex}"
    Note.objects.create(owner=person, payload={"text": sentinel})
    wrapped = DataKey.objects.get(owner=person)
    assert email in database_bytes()

    personal_data.erase_person(person)

    assert not Note.objects.filter(owner_id=person.pk).exists()
    assert not DataKey.objects.filter(owner_id=person.pk).exists()
    disk = database_bytes()
    assert email not in disk
    assert sentinel.encode() not in disk
    assert bytes(wrapped.wrapped) not in disk
    # Even holding the instance key ring and the old ciphertext, nothing decrypts: the key is gone.
    crypto.clear_key_cache()
    with pytest.raises(crypto.DecryptionError, match="erased"):
        crypto.data_key_for(person.pk)
    assert personal_data.read_erasure_journal(personal_data.erasure_journal_path()) == [str(person.pk)]
    if connection.vendor == "sqlite":
        wal = f"{connection.settings_dict['NAME']}-wal"
        assert not os.path.exists(wal) or os.path.getsize(wal) == 0  # checkpointed and truncated
