"""Our deploy checks, run by ``entraide check`` beside Django's ``check --deploy``."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from entraide.core import datadir


@register(Tags.security, deploy=True)
def check_key_files(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    data_dir = Path(settings.DATA_DIR)
    for name in (datadir.SECRET_KEY_FILE, datadir.KEYRING_FILE):
        path = data_dir / name
        if not path.exists():
            if name == datadir.SECRET_KEY_FILE and not settings.SECRET_KEY:
                errors.append(
                    Error(
                        f"{path} is missing", hint="Run `entraide migrate` to create it.", id="entraide.E001"
                    )
                )
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            errors.append(
                Error(
                    f"{path} can be read by other users (mode {mode:o})",
                    hint=f"chmod 600 {path}",
                    id="entraide.E002",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SITE_IS_LOCAL or settings.SITE_URL.startswith("https://"):
        return []
    return [
        Error(
            f"SITE_URL ({settings.SITE_URL}) must use https:// outside this machine",
            hint="Put a reverse proxy with TLS in front of entraide and set SITE_URL to its https address.",
            id="entraide.E003",
        )
    ]


@register(Tags.security, deploy=True)
def check_debug(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.DEBUG:
        return []
    return [
        Error("DEBUG is on", hint="Unset ENTRAIDE_DEBUG: debug pages show personal data.", id="entraide.E004")
    ]


@register(Tags.security, deploy=True)
def check_test_clock(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.ENTRAIDE_TEST_CLOCK:
        return []
    return [
        Error(
            "ENTRAIDE_TEST_CLOCK is on: the worker's clock can be moved",
            hint="Unset it: it exists for tests only.",
            id="entraide.E006",
        )
    ]


@register(deploy=True)
def check_email(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.EMAIL_CONFIGURED:
        return []
    return [
        Warning(
            f"No SMTP server: emails are written to {settings.DATA_DIR / 'mail'} instead of being sent",
            hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to send them.",
            id="entraide.W001",
        )
    ]


@register(Tags.database)
def check_worker(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Error | Warning]:
    """Reminders and mail depend on the worker: silent for more than 5 minutes is an error.
    Run with `check --database default` (as `entraide check` does)."""
    if not databases:
        return []
    from django.db import DatabaseError

    from entraide.core import jobs

    try:
        seen = jobs.last_heartbeat()
    except DatabaseError:
        return []  # the database check reports an unreachable database
    if seen is None:
        return [
            Warning(
                "No job worker has run yet: mail and reminders wait in the queue",
                hint="`entraide serve` starts one on SQLite; elsewhere run `entraide worker`.",
                id="entraide.W002",
            )
        ]
    if jobs.worker_is_silent():
        return [
            Error(
                f"The job worker has been silent since {seen.isoformat(timespec='seconds')}",
                hint="Start `entraide worker` (or restart `entraide serve`); see docs/jobs.md.",
                id="entraide.E005",
            )
        ]
    return []
