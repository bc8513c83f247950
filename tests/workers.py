"""The real `entraide worker` process against the test database, for tests marked
``django_db(transaction=True)`` (the worker must see what the test committed)."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connection

from tests.processes import ENTRAIDE, process_env, run_entraide


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url(),
        "ENTRAIDE_TEST_CLOCK": "1",
        "ENTRAIDE_TEST_APPS": "tests.testapp",  # the tests' notification and reminder kinds
        **extra,
    }


def worker_once(data_dir: Path, at: datetime | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    clock = ["--now", at.isoformat()] if at else []
    done = run_entraide(data_dir, "worker", "--once", *clock, **worker_env(**env))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start_worker(data_dir: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ENTRAIDE, "manage", "worker", "--interval", "0.1"],
        env=process_env(data_dir, **worker_env(**env)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
