"""Django's SQLite backend, with writers queued on a file lock beside the database.

A writing transaction (``BEGIN IMMEDIATE``, settings.py) that finds another one running waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries: two check-ins sent at the
same moment made the second wait a millisecond or more for a lock freed well before. Here each
process first takes an advisory lock on ``<database>-writer.lock``, tried every 0.05 ms (a
transaction holds it for about half a millisecond, mostly its commit), and frees it at commit
or rollback. It only orders our own writers: SQLite's locking stays what
keeps the data safe, and past the connection's timeout the transaction goes ahead without the
file lock, leaving SQLite's busy timeout to decide as before.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.00005


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock: int | None = None  # the lock file's descriptor, opened by this process
    _writer_lock_pid = 0
    _writer_locked = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self._lock_timeout = float(conn_params.get("timeout", 5))
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        if self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE"):  # type: ignore[attr-defined]
            self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        except BaseException:
            self._free_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # not in the stubs
        finally:
            self._free_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # not in the stubs
        finally:
            self._free_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # not in the stubs
        finally:
            self._free_writer_lock()
            if self._writer_lock is not None and self._writer_lock_pid == os.getpid():
                os.close(self._writer_lock)
            self._writer_lock = None

    def _lock_file(self) -> int | None:
        """This process's descriptor of the lock file (never one inherited across a fork: a lock
        on a shared descriptor would not keep the two processes apart); none in memory."""
        if self.is_in_memory_db():
            return None
        if self._writer_lock is None or self._writer_lock_pid != os.getpid():
            path = f"{self.settings_dict['NAME']}-writer.lock"
            self._writer_lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._writer_lock_pid = os.getpid()
        return self._writer_lock

    def _take_writer_lock(self) -> None:
        descriptor = self._lock_file()
        if descriptor is None or self._writer_locked:
            return
        deadline = time.monotonic() + getattr(self, "_lock_timeout", 5.0)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return  # SQLite's busy timeout decides, as without the file lock
                time.sleep(POLL_SECONDS)
            else:
                self._writer_locked = True
                return

    def _free_writer_lock(self) -> None:
        if self._writer_locked and self._writer_lock is not None:
            self._writer_locked = False
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
