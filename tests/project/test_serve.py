"""The real `entraide serve`: starts from nothing, serves, survives a dead database, stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.processes import (
    children_of,
    forks_of,
    free_port,
    group_alive,
    memory_kib,
    processes_of,
    run_entraide,
    start_server,
    wait_until,
)

pytestmark = [pytest.mark.serve, pytest.mark.timeout(180)]


def test_serve_starts_from_an_empty_data_directory(served):
    data = served.data_dir
    for name in ("secret.key", "instance.keyring"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600
    assert served.setup_url and re.search(r"/setup/\?token=[\w-]{20,}$", served.setup_url)

    status, headers, body = served.get("/")
    assert status == 200
    assert b"<h1>" in body
    assert "unsafe-inline" not in headers["Content-Security-Policy"]

    status, _, body = served.get("/aide/")
    assert status == 200
    assert b"3114" in body

    css = re.search(rb'href="(/static/core/entraide\.[0-9a-f]+\.css)"', body)
    assert css, "the stylesheet is served under a hashed name"
    status, headers, _ = served.get(css.group(1).decode(), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")

    status, _, body = served.get("/healthz")
    assert status == 200
    assert body.startswith(b"ok\nworker: ")


def test_setup_link_only_works_with_its_token(served):
    status, _, _ = served.get("/setup/?token=wrong")
    assert status == 403
    status, _, body = served.get(served.setup_url.removeprefix(served.base))
    assert status == 200
    assert b'name="admin_email"' in body


def test_serve_runs_a_job_worker_and_ctrl_c_stops_every_process(served):
    # The worker beside gunicorn: its heartbeat makes `entraide check` quiet about it.
    deadline = time.monotonic() + 30
    while "entraide.W002" in (out := check_output(served.data_dir)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "entraide.W002" not in out and "entraide.E005" not in out, out
    running = processes_of(served.data_dir)
    assert len(running) == 5  # serve, gunicorn's master and its 2 workers, job worker
    # Every process keeps large buffers (Argon2's 19 MiB) out of the heap: see cli._env. The serve
    # process too, since the others are its forks.
    for pid in running:
        assert b"MALLOC_MMAP_THRESHOLD_=131072" in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")

    pgid = served.proc.pid
    assert served.stop(signal.SIGINT) == 0
    assert not group_alive(pgid)
    assert processes_of(served.data_dir) == []


def test_serve_forks_its_job_worker_and_gunicorn_from_one_preloaded_image(served):
    """The job worker and gunicorn's master are forks of the serve process, which loaded the
    application: no second interpreter imports Django, and the forked worker runs jobs."""
    serve_pid = served.proc.pid
    forks = forks_of(serve_pid)
    assert sorted(forks) == ["entraide-jobs", "entraide-web"]
    wait_until(lambda: len(children_of(forks["entraide-web"])) == 2)  # gunicorn's workers, forked in turn
    command = Path(f"/proc/{serve_pid}/cmdline").read_bytes()
    assert b"gunicorn" not in command
    for pid in forks.values():
        assert Path(f"/proc/{pid}/cmdline").read_bytes() == command  # forked, nothing executed
        # Memory the serve process wrote before forking, still shared with it: the loaded
        # application. A process that imported Django itself shares next to none of its own.
        assert memory_kib(pid, "Shared_Dirty") > 20_000, pid

    # The forked worker's loop runs: its heartbeat names its pid.
    wait_until(lambda: heartbeat_pids(served.data_dir) == [forks["entraide-jobs"]])


class HealthPoller(threading.Thread):
    """Asks /healthz without pause; records the longest time the site went without answering."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.running = True
        self.longest_silence = 0.0
        self.answers = 0

    def run(self) -> None:
        last_answer = time.monotonic()
        while self.running:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as response:
                    response.read()
            except (OSError, http.client.HTTPException):
                time.sleep(0.02)
            else:
                self.answers += 1
                last_answer = time.monotonic()
            self.longest_silence = max(self.longest_silence, time.monotonic() - last_answer)

    def __enter__(self) -> HealthPoller:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.join(timeout=5)


def test_serve_starts_again_a_dead_job_worker_or_web_worker_and_stays_up(served):
    forks = forks_of(served.proc.pid)
    wait_until(lambda: heartbeat_pids(served.data_dir) == [forks["entraide-jobs"]])
    assert served.get("/healthz")[2] == b"ok\nworker: ok\n"
    with HealthPoller(served.base) as poller:
        # The job worker: started again, its heartbeat dropped at once and replaced by the new one's.
        os.kill(forks["entraide-jobs"], signal.SIGKILL)
        wait_until(
            lambda: (
                forks_of(served.proc.pid).get("entraide-jobs", forks["entraide-jobs"])
                != forks["entraide-jobs"]
            )
        )
        jobs_pid = forks_of(served.proc.pid)["entraide-jobs"]
        wait_until(lambda: heartbeat_pids(served.data_dir) == [jobs_pid])
        # gunicorn's workers, one after the other: its master starts them again.
        master = forks["entraide-web"]
        for victim in children_of(master):
            os.kill(victim, signal.SIGKILL)
            wait_until(lambda victim=victim: victim not in (pids := children_of(master)) and len(pids) == 2)
        assert poller.longest_silence < 1, poller.longest_silence
        answered = poller.answers

        # gunicorn's master: the serve process kills what is left of it and starts it again.
        os.kill(master, signal.SIGKILL)
        start = time.monotonic()
        wait_until(lambda: forks_of(served.proc.pid).get("entraide-web", master) != master)
        wait_until(lambda: answers(served))
        print(f"web server back {time.monotonic() - start:.2f} s after its master was killed")
        wait_until(lambda: poller.answers > answered)
    assert served.proc.poll() is None
    assert sorted(forks_of(served.proc.pid)) == ["entraide-jobs", "entraide-web"]
    log = "".join(served.output)
    assert re.search(r"entraide-jobs \(pid \d+\) killed by SIGKILL; starting it again in 0\.5 s", log), log
    assert re.search(r"entraide-web \(pid \d+\) killed by SIGKILL; starting it again in 1 s", log), log


def test_serve_gives_up_after_five_deaths_in_five_minutes(served):
    for _ in range(4):
        victim = forks_of(served.proc.pid)["entraide-jobs"]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda victim=victim: forks_of(served.proc.pid).get("entraide-jobs", victim) != victim)
        assert served.get("/healthz")[0] == 200
    os.kill(forks_of(served.proc.pid)["entraide-jobs"], signal.SIGKILL)
    assert served.proc.wait(timeout=30) != 0
    wait_until(lambda: processes_of(served.data_dir) == [])  # gunicorn and its workers stopped
    assert "5 deaths in 300 s, entraide stops" in "".join(served.output)


def test_children_leave_when_serve_is_killed(served):
    """Killed with SIGKILL (or by the OOM killer), `entraide serve` leaves nothing behind: no
    gunicorn holding the port, no job worker beside the next instance's."""
    port = int(served.base.rsplit(":", 1)[1])
    os.kill(served.proc.pid, signal.SIGKILL)
    served.proc.wait(timeout=10)
    start = time.monotonic()
    try:
        wait_until(lambda: processes_of(served.data_dir) == [], timeout=15)
    finally:
        for pid in processes_of(served.data_dir):
            os.kill(pid, signal.SIGKILL)
    print(f"every child gone {time.monotonic() - start:.2f} s after serve was killed")
    again = start_server(served.data_dir, port=port)  # the port is free, the data directory too
    try:
        assert again.get("/healthz")[0] == 200
    finally:
        again.stop()


def answers(served) -> bool:
    try:
        return served.get("/healthz")[0] == 200
    except OSError:
        return False


def heartbeat_pids(data_dir: Path) -> list[int]:
    with closing(sqlite3.connect(data_dir / "entraide.sqlite3", timeout=10)) as db:
        return [pid for (pid,) in db.execute("SELECT pid FROM core_workerheartbeat")]


def check_output(data_dir):
    done = run_entraide(data_dir, "check")
    return done.stdout + done.stderr


def test_crisis_page_is_served_when_the_database_is_down(tmp_path):
    """The numbers come from the snapshot file when PostgreSQL does not answer."""
    data = tmp_path / "data"
    data.mkdir()
    numbers = [{"label": "Ligne locale", "number": "01 02 03 04 05", "kind": "tel", "description": ""}]
    (data / "crisis.json").write_text(
        json.dumps(
            {
                "name": "Entraide Test",
                "contact_email": "",
                "default_language": "fr",
                "crisis_numbers": numbers,
            }
        )
    )
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/nothing"  # nobody listens there
    server = start_server(data, DATABASE_URL=dead)
    try:
        status, _, body = server.get("/aide/")
        assert status == 200
        assert b"01 02 03 04 05" in body
        assert b"Entraide Test" in body

        status, _, body = server.get("/")  # the logged-out home needs nothing but the snapshot
        assert status == 200
        assert b"Entraide Test" in body

        status, _, body = server.get("/documents/charte/")  # needs the database: our 500 page
        assert status == 500
        assert b'href="/aide/"' in body
        assert b"01 02 03 04 05" in body

        status, _, _ = server.get("/healthz")
        assert status == 503
    finally:
        server.stop()


def test_check_passes_on_a_local_instance_and_fails_on_unsafe_settings(tmp_path):
    data = tmp_path / "data"
    assert run_entraide(data, "migrate").returncode == 0
    ok = run_entraide(data, "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "entraide.W001" in ok.stdout + ok.stderr  # no SMTP: a warning, not a failure

    (data / "instance.keyring").chmod(0o644)
    bad = run_entraide(
        data, "check", SITE_URL="http://entraide.example.org", ENTRAIDE_DEBUG="1", ENTRAIDE_TEST_CLOCK="1"
    )
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0
    for code in ("entraide.E002", "entraide.E003", "entraide.E004", "entraide.E006"):
        assert code in out


def test_sqlite_runs_with_the_durable_settings(tmp_path):
    data = tmp_path / "data"
    assert run_entraide(data, "migrate").returncode == 0
    script = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in "
        "('journal_mode', 'synchronous', 'secure_delete', 'foreign_keys')])\n"
        "print(connection.transaction_mode)\n"
    )
    result = run_entraide(data, "manage", "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["['wal', 2, 1, 1]", "IMMEDIATE"]


def test_https_site_gets_secure_cookies_and_hsts(tmp_path):
    script = (
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    result = run_entraide(
        tmp_path,
        "manage",
        "shell",
        "--no-imports",
        "-c",
        script,
        SITE_URL="https://entraide.example.org",
        SECRET_KEY="x",
    )
    assert result.stdout.strip() == "True True True True", result.stderr
    local = run_entraide(tmp_path, "manage", "shell", "--no-imports", "-c", script, SECRET_KEY="x")
    assert local.stdout.strip() == "False False False False", local.stderr


def test_the_preloaded_app_opens_no_database_connection_before_the_fork(tmp_path):
    """`entraide serve` imports entraide.wsgi, then forks gunicorn's master and the job worker
    from it: a connection opened there would be shared by the forked processes (SQLite forbids it)."""
    code = (
        "import entraide.wsgi\n"
        "from django.db import connections\n"
        "import sys\n"
        "sys.exit(1 if any(c.connection is not None for c in connections.all(initialized_only=True)) else 0)\n"
    )
    env = {**os.environ, "ENTRAIDE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "entraide.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ninja" in subprocess.run(
        [sys.executable, "-c", "import entraide.wsgi, sys; print(' '.join(sys.modules))"],
        env=env, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
