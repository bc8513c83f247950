"""Start the real `entraide serve` for the run, find its process tree, and always stop it."""

from __future__ import annotations

import collections
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.postgres import Postgres

READY_MARKER = "entraide is running at "
WORKERS = 2  # gunicorn sync workers, as `entraide serve` runs by default.
# gunicorn recycles workers (--max-requests): each boot imports Django again, which shows in p95.
WORKER_BOOT_MARKER = "Booting worker with pid"
MAX_ERRORS, MAX_ERROR_LENGTH = 100, 1000
REPOSITORY = Path(__file__).resolve().parent.parent

# Host settings that would change what is measured (PostgreSQL, Redis, HTTPS redirects, access
# log…): the benchmark measures the default self-hosted setup, SQLite in a fresh directory, or
# with `--database postgres` a fresh PostgreSQL database it names itself (bench/postgres.py).
_STRIPPED_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "ENTRAIDE_DEBUG",
    "ENTRAIDE_ACCESS_LOG",
    "ENTRAIDE_TRUSTED_PROXIES",
    "ENTRAIDE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
)


@dataclass
class Server:
    process: subprocess.Popen[str]
    base_url: str
    data_dir: Path
    log: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=200))
    worker_boots: int = 0
    # Errors the app logged ("… ERROR logger message — Exception: text"), the first MAX_ERRORS.
    errors: list[str] = field(default_factory=list)
    in_traceback: bool = False

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(list(self.log)[-lines:])


# The PostgreSQL database a server's data dir is served with (running_server registers it): the
# scenarios' helpers take the data dir alone, and their `entraide manage` must use that database.
_postgres: dict[Path, Postgres] = {}


def postgres_of(data_dir: Path) -> Postgres | None:
    return _postgres.get(data_dir)


def database(data_dir: Path) -> Path:
    """The SQLite file `entraide serve` uses in that data dir (settings.DATABASES)."""
    return data_dir / "entraide.sqlite3"


def count_rows(data_dir: Path, table: str) -> int:
    """Rows in a table of the server's database, read beside the running server (WAL)."""
    if (pg := postgres_of(data_dir)) is not None:
        from bench import postgres

        return postgres.count_rows(pg, table)
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    with closing(sqlite3.connect(database(data_dir), timeout=10)) as connection:
        (count,) = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 — checked name
    return int(count)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STRIPPED_ENV}
    for name in _STRIPPED_ENV:
        env.pop(f"{name}_FILE", None)
    # The product's settings plus the baseline page, without rate limits (bench/settings.py);
    # the repository on the path, so that `bench` can be imported.
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    env["ENTRAIDE_DATA_DIR"] = str(data_dir)
    if (pg := postgres_of(data_dir)) is not None:
        env["DATABASE_URL"] = pg.url()
    return env


def migrate(data_dir: Path, timeout: float = 600) -> None:
    """`entraide migrate`: on PostgreSQL a release step, which `entraide serve` leaves out."""
    entraide = Path(sys.executable).parent / "entraide"
    done = subprocess.run(
        [str(entraide), "migrate"],
        env=serve_env(data_dir),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"entraide migrate failed ({done.returncode}):\n{done.stderr}{done.stdout}")


def _spot_error(server: Server, line: str) -> None:
    """A logged error, completed with the exception line(s) ending the traceback that follows it."""
    if " ERROR " in line:
        if len(server.errors) < MAX_ERRORS:
            server.errors.append(line)
    elif line.startswith("Traceback "):
        server.in_traceback = True
    elif server.in_traceback and line[:1].strip() and not line.startswith("During handling"):
        server.in_traceback = False
        if server.errors and len(server.errors[-1]) < MAX_ERROR_LENGTH:
            server.errors[-1] += f" — {line}"


def _pump_output(server: Server, ready: threading.Event) -> None:
    """Keep reading the server's output so its pipe never fills up, and spot the ready line."""
    for line in server.process.stdout or ():
        server.log.append(line.rstrip("\n"))
        _spot_error(server, line.rstrip("\n"))
        if WORKER_BOOT_MARKER in line:
            server.worker_boots += 1
        if line.startswith(READY_MARKER):
            ready.set()
    ready.set()  # The server exited: wake the waiter, which then checks poll().


def _wait_ready(server: Server, ready: threading.Event, timeout: float) -> None:
    if not ready.wait(timeout) or server.process.poll() is not None:
        raise RuntimeError(
            f"entraide serve did not become ready within {timeout:.0f} s; its output:\n{server.log_tail()}"
        )


@contextmanager
def running_server(
    workers: int = WORKERS, start_timeout: float = 120, postgres: Postgres | None = None
) -> Iterator[Server]:
    """`entraide serve` on a free port with a fresh data directory; stopped whatever happens.
    With ``postgres``, served from that database (made beforehand, migrated here), with the job
    worker in the tree as on SQLite (`--with-worker`), so that both trees hold the same processes."""
    entraide = Path(sys.executable).parent / "entraide"
    port = free_port()
    with (
        tempfile.TemporaryDirectory(prefix="entraide-bench-") as data_dir,
        registered(Path(data_dir), postgres),
    ):
        command = [str(entraide), "serve", "--port", str(port), "--workers", str(workers)]
        if postgres is not None:
            migrate(Path(data_dir))
            command.append("--with-worker")
        process = subprocess.Popen(
            command,
            env=serve_env(Path(data_dir)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Its own process group, so that it can be stopped as a whole.
        )
        server = Server(process, f"http://127.0.0.1:{port}", Path(data_dir))
        try:
            ready = threading.Event()
            threading.Thread(target=_pump_output, args=(server, ready), daemon=True).start()
            _wait_ready(server, ready, start_timeout)
            yield server
        finally:
            stop(process)


@contextmanager
def registered(data_dir: Path, pg: Postgres | None) -> Iterator[None]:
    """``data_dir`` served with ``pg``'s database meanwhile (serve_env, count_rows)."""
    if pg is not None:
        _postgres[data_dir] = pg
    try:
        yield
    finally:
        _postgres.pop(data_dir, None)


def stop(process: subprocess.Popen[str], timeout: float = 20) -> None:
    """SIGTERM the serve process group, then SIGKILL whatever is left of the tree.

    serve starts gunicorn in a session of its own, so the descendants are collected first: a
    SIGKILL to serve's group alone would leave gunicorn and its workers running.
    """
    tree = process_tree(process.pid)
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(pid) for pid in tree):
        time.sleep(0.2)
    for pid in tree:
        if _alive(pid):
            with suppress(ProcessLookupError):
                _signal_group(os.getpgid(pid), signal.SIGKILL)


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _alive(pid: int) -> bool:
    """Alive and not a zombie (a zombie still has a /proc entry but holds no memory)."""
    stat = _read_stat(pid)
    return stat is not None and stat[1] != "Z"


def _read_stat(pid: int) -> tuple[str, str, int] | None:
    """(comm, state, ppid) from /proc/PID/stat; comm may hold spaces and parentheses."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    head, _, rest = text.rpartition(")")
    fields = rest.split()
    return head.partition("(")[2], fields[0], int(fields[1])


def parent_pid(pid: int) -> int:
    stat = _read_stat(pid)
    return stat[2] if stat else 0


def process_tree(root: int) -> list[int]:
    """root and all its descendants, by walking the ppid links of every process in /proc."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _read_stat(int(entry.name))) is not None:
            children[stat[2]].append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return sorted(tree)
