"""Acknowledged writes survive the processes of `entraide serve` being killed under them.

Clients record check-ins through the API of the real `entraide serve` (SQLite) while the test kills
a web worker, the job worker and gunicorn's master with SIGKILL. A write whose answer was lost is
sent again with its Idempotency-Key. Every acknowledged check-in must be in the database
afterwards, exactly once, and nothing else.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime

import pytest

from tests.processes import (
    Server,
    children_of,
    forks_of,
    processes_of,
    run_entraide,
    start_server,
    wait_until,
)

pytestmark = [pytest.mark.serve, pytest.mark.timeout(180)]

MAKE_TOKEN = """
from allauth.account.models import EmailAddress
from entraide.accounts.models import User
from entraide.accounts.services import record_signup_consents
from entraide.api.services import create_token
user = User.objects.create_user("lou@example.org", "une phrase de passe solide", pseudonym="Lou")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
record_signup_consents(user, language="fr")
print(create_token(user, name="durability", scope="read_write", days=30)[1])
"""
PHASE_LIMIT = 20.0  # seconds for the writes and the three kills
ACKS_BETWEEN_KILLS = 20


class Writer(threading.Thread):
    """Records check-ins one after the other. Each carries an Idempotency-Key: a write whose answer
    was lost (the worker died mid-request) or that found no server is sent again with the same
    key, until it is acknowledged, so the client ends up knowing about every write, and the server
    must record it once."""

    ATTEMPTS = 100  # per check-in: ~5 s of a server starting again, at most

    def __init__(self, base: str, token: str, name: str) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.label = base, token, name
        self.running = True
        self.acknowledged: dict[str, str] = {}  # check-in id -> its note
        self.unanswered = 0  # sent, answer lost: sent again with its key
        self.not_sent = 0  # connection refused: the web server was starting again
        self.given_up = 0  # never acknowledged after ATTEMPTS tries
        self.refused: list[int] = []

    def run(self) -> None:
        n = 0
        while self.running:
            n += 1
            note = f"{self.label}-{n}"
            body = json.dumps({"moment": datetime.now(UTC).isoformat(), "mood": n % 11, "note": note})
            for _attempt in range(self.ATTEMPTS):
                if self._send(body, note):
                    break
                time.sleep(0.05)  # the server is starting again
            else:
                self.given_up += 1

    def _send(self, body: str, note: str) -> bool:
        """One try; whether the write is settled (acknowledged, or refused for good)."""
        request = urllib.request.Request(
            self.base + "/api/v1/checkins",
            data=body.encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"durability-{note}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.acknowledged[json.load(response)["id"]] = note
        except urllib.error.HTTPError as exc:
            self.refused.append(exc.code)
        except (OSError, http.client.HTTPException) as exc:
            if isinstance(getattr(exc, "reason", exc), ConnectionRefusedError):
                self.not_sent += 1
            else:
                self.unanswered += 1
            return False
        return True


def api_get(served: Server, token: str, path: str) -> dict:
    request = urllib.request.Request(served.base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_acknowledged_checkins_survive_killed_workers(tmp_path):
    data = tmp_path / "data"
    assert run_entraide(data, "migrate").returncode == 0
    made = run_entraide(data, "manage", "shell", "-c", MAKE_TOKEN)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    served = start_server(data, ENTRAIDE_RATE_LIMITS="0")  # it measures durability, not throttling
    writers = [Writer(served.base, token, f"w{i}") for i in range(2)]

    def acknowledged() -> int:
        refused = [code for w in writers for code in w.refused]
        assert refused == [], refused  # every write is valid: only a lost answer is allowed
        return sum(len(w.acknowledged) for w in writers)

    try:
        start = time.monotonic()
        for writer in writers:
            writer.start()
        forks = forks_of(served.proc.pid)
        kills = [
            ("a web worker", lambda: children_of(forks["entraide-web"])[0]),
            ("the job worker", lambda: forks["entraide-jobs"]),
            ("gunicorn's master", lambda: forks["entraide-web"]),
        ]
        for _what, victim in kills:
            target = acknowledged() + ACKS_BETWEEN_KILLS
            wait_until(lambda target=target: acknowledged() >= target, timeout=PHASE_LIMIT)
            os.kill(victim(), signal.SIGKILL)
        target = acknowledged() + ACKS_BETWEEN_KILLS  # written after the last restart
        wait_until(lambda: acknowledged() >= target, timeout=PHASE_LIMIT)
        for writer in writers:
            writer.running = False
        for writer in writers:
            writer.join(timeout=15)
        elapsed = time.monotonic() - start
        assert served.proc.poll() is None, "entraide serve is still up"

        sent = {}
        for writer in writers:
            assert writer.refused == [], writer.refused
            sent |= writer.acknowledged
        found = []
        offset = 0
        while True:
            page = api_get(served, token, f"/api/v1/checkins?limit=200&offset={offset}")
            found += page["items"]
            offset += 200
            if offset >= page["count"]:
                break
        notes = Counter(item["note"] for item in found)
        unanswered = sum(w.unanswered for w in writers)
        given_up = sum(w.given_up for w in writers)
        print(
            f"{len(sent)} check-ins acknowledged, {len(found)} found, {unanswered} answers lost and "
            "sent again with their key, "
            f"{sum(w.not_sent for w in writers)} refused connections, "
            f"{elapsed:.1f} s for the writes and 3 kills"
        )
        assert elapsed < PHASE_LIMIT
        assert {item["id"] for item in found} >= set(sent), "an acknowledged check-in is missing"
        assert [note for note, count in notes.items() if count > 1] == [], "a check-in was recorded twice"
        # Every lost answer was sent again with its key: the client knows every write, once.
        assert len(found) <= len(sent) + given_up
    finally:
        for writer in writers:
            writer.running = False
        served.stop()
        for pid in processes_of(data):
            os.kill(pid, signal.SIGKILL)

    # In the file itself, once everything stopped: the acknowledged rows are there.
    with closing(sqlite3.connect(data / "entraide.sqlite3")) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM journal_checkin")}
    assert {uuid.replace("-", "") for uuid in sent} <= {str(i).replace("-", "") for i in stored}
