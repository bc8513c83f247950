"""Real `entraide` processes for tests: started in their own process group, always killed."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ENTRAIDE = [sys.executable, "-m", "entraide.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY"))}
    env.update(
        ENTRAIDE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="entraide.settings", PYTHONUNBUFFERED="1"
    )
    env.update(extra)
    return env


def run_entraide(
    data_dir: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTRAIDE, *args], env=process_env(data_dir, **env), capture_output=True, text=True, timeout=timeout
    )


@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    data_dir: Path
    output: list[str] = field(default_factory=list)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {"Accept-Language": "fr"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    @property
    def setup_url(self) -> str | None:
        for line in self.output:
            match = re.search(r"first visit: (\S+)", line)
            if match:
                return match.group(1)
        return None

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


def start_server(data_dir: Path, *, port: int | None = None, timeout: float = 150, **env: str) -> Server:
    """`entraide serve` on ``port`` (a free one by default); returns once it prints that it is running."""
    port = port or free_port()
    proc = subprocess.Popen(
        [*ENTRAIDE, "serve", "--port", str(port), "--workers", "2"],
        env=process_env(data_dir, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", data_dir)
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        server.output.append(line)
        if "entraide is running at" in line:
            # Keep draining the output so a chatty server never blocks on a full pipe.
            threading.Thread(target=_drain, args=(proc, server.output), daemon=True).start()
            return server
    kill_group(proc)
    raise RuntimeError("entraide serve did not start:\n" + "".join(server.output))


def _drain(proc: subprocess.Popen[str], sink: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        sink.append(line)


def kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def processes_of(data_dir: Path) -> list[int]:
    """Live processes started for this data directory (their environment names it), whatever their
    process group: gunicorn, its workers, the job worker."""
    marker = f"ENTRAIDE_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def children_of(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def memory_kib(pid: int, field: str) -> int:
    """A field of /proc/PID/smaps_rollup ("Rss", "Shared_Dirty"…), in KiB."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(field)


def forks_of(serve_pid: int) -> dict[str, int]:
    """The processes `entraide serve` forked, by the name each gives itself."""
    found = {}
    for pid in children_of(serve_pid):
        with contextlib.suppress(OSError):  # gone since it was listed
            found[Path(f"/proc/{pid}/comm").read_text().strip()] = pid
    return found


def wait_until(condition: Callable[[], object], timeout: float = 30) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
