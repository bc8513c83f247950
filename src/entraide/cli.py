"""The `entraide` command: serve, migrate, check, create-admin, rotate-key, backup, restore, demo, manage.

`serve` prepares the instance in a child process (migrations, static files), then loads the
application once and forks from it gunicorn's master (which forks its workers) and, on SQLite or
with --with-worker, the job worker (`entraide.server`): one image in memory, shared by every
process. It stays their supervisor: it starts again one that dies (after a backoff; after 5
deaths in 5 minutes it stops everything and exits non-zero, for systemd to take over), stops
them all on Ctrl-C or SIGTERM, and they leave when it dies, even by SIGKILL.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import traceback
import urllib.request
from functools import partial
from pathlib import Path

from entraide import server
from entraide.core import datadir

SETTINGS = "entraide.settings"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    # glibc raises its mmap threshold after freeing a large block: each login's 19 MiB Argon2
    # buffer then comes from the heap and stays with the worker (about 20 MB each). A fixed
    # threshold keeps such buffers in mmap, returned to the system when freed.
    env.setdefault("MALLOC_MMAP_THRESHOLD_", "131072")
    return env


def _manage(*args: str) -> int:
    """Run a Django management command in a child process."""
    return subprocess.call([sys.executable, "-m", "entraide.cli", "manage", *args], env=_env())


def _prepare_data_dir() -> Path:
    data_dir = datadir.data_dir_from_env()
    for name in datadir.prepare(data_dir):
        print(f"created {data_dir / name} (keep it safe, and back it up apart from the database)")
    return data_dir


def _uses_sqlite() -> bool:
    url = os.environ.get("DATABASE_URL", "")
    return not url or url.startswith("sqlite")


# A small host (a Raspberry Pi) under load can take well over a minute to start.
def _wait_until_up(url: str, child: server.Child, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — our own loopback URL
                return True
        except OSError as exc:
            # A 503 from /healthz (no database) still means gunicorn answers.
            if getattr(exc, "code", None) == 503:
                return True
            time.sleep(0.2)
    return False


def _reexec_with_env(argv: list[str]) -> None:
    """Start this command again with `_env()` unless it is already in place: glibc reads its malloc
    settings once, when a process starts, and every process of `serve` is forked from this one."""
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, "-m", "entraide.cli", *argv], _env())  # noqa: S606


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    data_dir = _prepare_data_dir()
    prepare = ["prepare_instance"] + ([] if _uses_sqlite() else ["--no-migrate"])
    if _manage(*prepare) != 0:
        print("entraide could not prepare the instance (see above).", file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    try:
        # Loaded once, here, after the migrations: gunicorn's master, its workers and the job
        # worker are forks of this process and share its memory (a Pi has little).
        application = server.load_application()
    except Exception:
        traceback.print_exc()
        print("entraide could not load the application (see above).", file=sys.stderr)
        return 1
    options: dict[str, object] = {
        "bind": [f"{args.host}:{args.port}"],
        "workers": args.workers,
        "worker_class": "sync",
        "timeout": 30,
        "graceful_timeout": 10,
        "max_requests": 100_000,  # recycle rarely: a new worker fills its caches again
        "max_requests_jitter": 10_000,
        "control_socket_disable": True,  # several instances (and tests) share one machine
        "preload_app": True,  # the workers fork from the master: it holds the loaded application
        "post_fork": server.die_with_master,  # a worker orphaned by a SIGKILLed master leaves too
    }
    if os.environ.get("ENTRAIDE_ACCESS_LOG"):
        # Path without the query string: query strings can carry tokens.
        options |= {"accesslog": "-", "access_log_format": "%(m)s %(U)s %(s)s %(B)s %(M)sms"}
    signal.signal(signal.SIGTERM, _interrupt)
    children = server.Children()
    base = f"http://{args.host}:{args.port}"
    try:
        web = children.fork(partial(server.run_gunicorn, application, options), name="entraide-web")
        if _uses_sqlite() or args.with_worker:
            # On SQLite everything runs on one machine: the job worker too. On PostgreSQL, workers
            # are usually started on their own (`entraide worker`, as many as needed).
            children.fork(server.run_job_worker, name="entraide-jobs", on_exit=server.forget_job_worker)
        if not _wait_until_up(f"{base}/healthz", web):
            print("entraide did not start (see above).", file=sys.stderr)
            return 1
        line = f"entraide is running at {base}"
        token_file = data_dir / datadir.SETUP_TOKEN_FILE
        if token_file.exists():
            line += f" — first visit: {base}/setup/?token={token_file.read_text().strip()}"
        print(line + "  (Ctrl-C to stop)", flush=True)
        return children.supervise()
    except KeyboardInterrupt:
        print("\nstopping entraide…", flush=True)
        return 0
    finally:
        # A second Ctrl-C must not cut the stop short: it ends with SIGKILL after a timeout anyway.
        for signum in server.STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        children.stop()


def worker(args: argparse.Namespace) -> int:
    # In this process (not a child): a service manager's SIGTERM reaches the worker itself.
    return manage(["worker", *(["--once"] if args.once else []), *(["--now", args.now] if args.now else [])])


def migrate(args: argparse.Namespace) -> int:
    _prepare_data_dir()
    return _manage("migrate", "--no-input") or _manage("createcachetable")


def check(args: argparse.Namespace) -> int:
    return _manage("check", "--deploy", "--fail-level", "ERROR") or _manage("check", "--database", "default")


def create_admin(args: argparse.Namespace) -> int:
    _prepare_data_dir()
    return _manage("create_admin", "--email", args.email, "--pseudonym", args.pseudonym)


def rotate_key(args: argparse.Namespace) -> int:
    return _manage("rotate_key", *(["--dry-run"] if args.dry_run else []))


def backup(args: argparse.Namespace) -> int:
    return _manage(
        "backup", *(["--key"] if args.key else []), *(["--output", args.output] if args.output else [])
    )


def restore(args: argparse.Namespace) -> int:
    # No _prepare_data_dir(): a refused restore must leave the target data directory untouched.
    return _manage(
        "restore",
        args.archive,
        "--keyring",
        args.keyring,
        *(["--journal", args.journal] if args.journal else []),
        *(["--without-journal"] if args.without_journal else []),
        *(["--force"] if args.force else []),
        *(["--dry-run"] if args.dry_run else []),
    )


def demo(args: argparse.Namespace) -> int:
    return _manage(
        "demo",
        "--people",
        str(args.people),
        *(["--seed", str(args.seed)] if args.seed is not None else []),
        *(["--force"] if args.force else []),
        *(["--remove"] if args.remove else []),
        *(["--dry-run"] if args.dry_run else []),
    )


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["entraide manage", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        return manage(argv[1:])
    if argv[:1] == ["serve"]:
        _reexec_with_env(argv)
    parser = argparse.ArgumentParser(prog="entraide", description="Run and administer an entraide instance.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="prepare the instance and serve it with gunicorn")
    p.add_argument("--host", default=os.environ.get("ENTRAIDE_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("ENTRAIDE_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("ENTRAIDE_WORKERS", "2")))
    p.add_argument("--with-worker", action="store_true", help="also run a job worker (always on SQLite)")
    p.set_defaults(func=serve)
    p = sub.add_parser("worker", help="run background jobs and periodic work")
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument("--now", help="with --once, tests only (ENTRAIDE_TEST_CLOCK): the clock, ISO 8601")
    p.set_defaults(func=worker)
    sub.add_parser("migrate", help="apply database migrations (a release step on PostgreSQL)").set_defaults(
        func=migrate
    )
    sub.add_parser("check", help="check the configuration for production").set_defaults(func=check)
    p = sub.add_parser("create-admin", help="create an administrator account")
    p.add_argument("--email", required=True)
    p.add_argument("--pseudonym", required=True)
    p.set_defaults(func=create_admin)
    p = sub.add_parser("rotate-key", help="new instance key; data keys rewrapped (resumable)")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=rotate_key)
    p = sub.add_parser("backup", help="archive the database and uploads; --key: export the key ring")
    p.add_argument("--output", help="a file name, or a directory for a timestamped name")
    p.add_argument("--key", action="store_true", help="export the key ring, passphrase-protected")
    p.set_defaults(func=backup)
    p = sub.add_parser("restore", help="restore a backup archive with its key ring")
    p.add_argument("archive")
    p.add_argument("--keyring", required=True, help="instance.keyring or an export of it")
    p.add_argument("--journal", help="the erasure journal to re-apply (default: the data directory's)")
    p.add_argument(
        "--without-journal",
        action="store_true",
        help="restore even without an erasure journal: people erased since the backup come back",
    )
    p.add_argument("--force", action="store_true", help="replace an existing database")
    p.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    p.set_defaults(func=restore)
    p = sub.add_parser("demo", help="create demo people with realistic histories; --remove deletes them")
    p.add_argument("--people", type=int, default=3)
    p.add_argument("--seed", type=int)
    p.add_argument("--force", action="store_true", help="even when real accounts exist")
    p.add_argument("--remove", action="store_true", help="delete every demo account")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=demo)
    sub.add_parser("manage", help="run a Django management command: entraide manage COMMAND …")
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
