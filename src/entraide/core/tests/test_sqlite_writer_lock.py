"""SQLite writers queue on a file lock (core/sqlite): held from BEGIN to COMMIT or ROLLBACK, a
second writer proceeds as soon as the first one ends, and a lock file held by someone who is not
writing never blocks anyone past the connection's timeout. On an SQLite file of its own, so that
it runs whichever database the suite uses."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from django.db import connections, transaction

ALIAS = "writer_lock_test"


@pytest.fixture
def lockdb(tmp_path, django_db_blocker):
    path = tmp_path / "queued.sqlite3"
    settings = connections.configure_settings(
        {
            "default": connections.settings["default"],
            ALIAS: {
                "ENGINE": "entraide.core.sqlite",
                "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            },
        }
    )
    connections.settings[ALIAS] = settings[ALIAS]
    with django_db_blocker.unblock():  # a database of its own, outside the test database's
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT, at REAL)")
        yield path
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _lock_is_free(path) -> bool:
    descriptor = os.open(f"{path}-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return True
    finally:
        os.close(descriptor)


def _write(what: str) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO events (what, at) VALUES (%s, %s)", [what, time.monotonic()])


def test_the_lock_is_held_for_the_transaction_and_freed_at_its_end(lockdb):
    with transaction.atomic(using=ALIAS):
        _write("in")
        assert not _lock_is_free(lockdb)
    assert _lock_is_free(lockdb)
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        _write("rolled back")
        assert not _lock_is_free(lockdb)
        raise RuntimeError
    assert _lock_is_free(lockdb)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT what FROM events")
        assert [row[0] for row in cursor.fetchall()] == ["in"]


def test_a_second_writer_waits_for_the_first_then_goes_on(lockdb):
    first_inside = threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        try:
            first_inside.wait(5)
            with transaction.atomic(using=ALIAS):
                _write("second")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections[ALIAS].close()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic(using=ALIAS):
        _write("first")
        first_inside.set()
        time.sleep(0.2)  # the second writer is queued meanwhile
        _write("first again")
    thread.join(10)
    assert not errors
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT what FROM events ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "first again", "second"]
    assert _lock_is_free(lockdb)


def test_a_lock_file_held_by_someone_not_writing_does_not_block_past_the_timeout(lockdb):
    connection = connections[ALIAS]
    connection.ensure_connection()
    connection._lock_timeout = 0.1
    stale = os.open(f"{lockdb}-writer.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(stale, fcntl.LOCK_EX)
    try:
        with transaction.atomic(using=ALIAS):
            _write("went ahead")
    finally:
        os.close(stale)
    with connection.cursor() as cursor:
        cursor.execute("SELECT what FROM events")
        assert [row[0] for row in cursor.fetchall()] == ["went ahead"]
