"""The processes of `entraide serve`: one preloaded image, forked.

The serve process loads the application once (`load_application`), then forks gunicorn's master
(which forks its workers) and the job worker from it: every process shares the image's memory
pages instead of importing Django on its own. Call nothing here before the instance is prepared
(migrations, static files): the application reads both when it loads.

The serve process then supervises them (`Children.supervise`): a child that dies is started again
after a short backoff, and after `CRASH_LIMIT` deaths in `CRASH_WINDOW` seconds `entraide serve`
gives up and exits non-zero, so that the service manager (systemd) takes over. The other way round,
every child asks the kernel for SIGTERM when its parent dies (`die_with_parent`): killed with
SIGKILL, or by the OOM killer, `entraide serve` leaves no gunicorn holding the port and no job
worker running beside the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from django.core.handlers.wsgi import WSGIHandler

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

# A child dying this many times in this many seconds is no passing accident: give up and let the
# service manager (systemd's Restart=on-failure) or the person at the terminal decide.
CRASH_LIMIT = 5
CRASH_WINDOW = 300.0
# Before restarting after the nth death in the window: 0.5 s, 1 s, 2 s, 4 s.
FIRST_BACKOFF = 0.5
POLL_EVERY = 0.1

logger = logging.getLogger("entraide.server")

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(signum: int, parent: int) -> None:
    """Ask the kernel to send ``signum`` to this process when its parent (pid ``parent``) dies,
    however it dies; if it died already (before the request), act as if the signal came. Linux
    only: elsewhere, a no-op."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # orphaned between the fork and the prctl
        os.kill(os.getpid(), signum)


def load_application() -> WSGIHandler:
    """The WSGI application, loaded and ready to be forked: every view module imported, the loaded
    objects set aside from the garbage collector (see entraide.wsgi), no database connection open."""
    from django.db import connections

    from entraide.wsgi import application

    # A connection (an open SQLite file) inherited across fork would be shared by two processes.
    connections.close_all()
    return application


class Child:
    """A forked child leading a session of its own, like `subprocess.Popen(start_new_session=True)`:
    its pid is its process group, which holds its own children (gunicorn's workers)."""

    def __init__(
        self,
        pid: int,
        *,
        name: str = "",
        target: Callable[[], object] | None = None,
        on_exit: Callable[[Child], object] | None = None,
    ) -> None:
        self.pid = pid
        self.name = name
        self.target = target
        self.on_exit = on_exit
        self.returncode: int | None = None

    def describe_exit(self) -> str:
        code = self.returncode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"killed by {signal.Signals(-code).name}"
        return f"exited with status {code}"

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped already: it is gone, how is unknown
                self.returncode = 1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill_group(self) -> None:
        """SIGKILL what is left of the child's process group: the child, or the workers of a
        gunicorn master that died; then reap the child."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


class Children:
    """The processes `entraide serve` forks: restarted when they die, stopped together."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.all: list[Child] = []
        self.crashes: list[float] = []  # when children died, within CRASH_WINDOW
        self.clock = clock

    def fork(
        self, target: Callable[[], object], *, name: str, on_exit: Callable[[Child], object] | None = None
    ) -> Child:
        """Run ``target`` in a forked child, in a new session, named ``name`` for `ps` and `top`;
        the child exits when ``target`` returns (status 0) or raises, never returning here, and
        when this process dies. ``on_exit(child)`` runs here once the child is found dead."""
        from django.db import connections

        # A connection (an open SQLite file) inherited across fork would be shared by two processes.
        connections.close_all()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write what is buffered once more
        # Blocked across the fork: the serve process's SIGTERM handler must never run in the child,
        # and a stop requested meanwhile must find the child in the list.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        parent = os.getpid()
        pid = os.fork()
        if pid:
            child = Child(pid, name=name, target=target, on_exit=on_exit)
            self.all.append(child)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            return child
        try:
            os.setsid()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # until the child sets its own
            # SIGTERM, not SIGKILL: gunicorn closes its socket and lets requests finish (within its
            # graceful_timeout), the job worker finishes the job at hand.
            die_with_parent(signal.SIGTERM, parent)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:  # Linux only
                comm.write(name[:15])  # the name `ps` and `top` show; the kernel keeps 15 characters
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        _exit_after(target)

    def exited(self) -> Child | None:
        """The first child found to have exited, if any."""
        return next((child for child in self.all if child.poll() is not None), None)

    def supervise(self) -> int:
        """Start again each child that dies, after a backoff, until CRASH_LIMIT deaths within
        CRASH_WINDOW seconds: then return the status `entraide serve` exits with (non-zero).
        Returns only then: a stop comes as the KeyboardInterrupt the signal handler raises."""
        restarts: list[tuple[float, Child]] = []  # (when, the dead child to start again)
        while True:
            while (dead := self.exited()) is not None:
                self.all.remove(dead)
                dead.kill_group()  # a dead gunicorn master's workers still hold the port
                if dead.on_exit is not None:
                    dead.on_exit(dead)
                now = self.clock()
                self.crashes = [at for at in self.crashes if at > now - CRASH_WINDOW] + [now]
                if len(self.crashes) >= CRASH_LIMIT:
                    logger.error(
                        "%s (pid %d) %s: %d deaths in %d s, entraide stops",
                        dead.name, dead.pid, dead.describe_exit(), len(self.crashes), CRASH_WINDOW,
                    )  # fmt: skip
                    return dead.returncode or 1
                delay = FIRST_BACKOFF * 2 ** (len(self.crashes) - 1)
                logger.warning(
                    "%s (pid %d) %s; starting it again in %g s (death %d of %d allowed in %d s)",
                    dead.name, dead.pid, dead.describe_exit(), delay, len(self.crashes), CRASH_LIMIT - 1,
                    CRASH_WINDOW,
                )  # fmt: skip
                restarts.append((now + delay, dead))
            now = self.clock()
            for due in [entry for entry in restarts if entry[0] <= now]:
                restarts.remove(due)
                dead = due[1]
                assert dead.target is not None  # noqa: S101 — every child is forked with one
                child = self.fork(dead.target, name=dead.name, on_exit=dead.on_exit)
                logger.warning("%s started again (pid %d)", child.name, child.pid)
            time.sleep(POLL_EVERY)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM each child, give them ``timeout`` seconds, then SIGKILL whatever is left."""
        for child in self.all:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.all:
            child.wait(max(0.0, deadline - time.monotonic()))
        for child in self.all:
            child.kill_group()


def _exit_after(target: Callable[[], object]) -> NoReturn:
    """Never return into the serve process's code (its `finally` would stop the other children)."""
    status = 1
    try:
        target()
        status = 0
    except SystemExit as exc:  # gunicorn's master and workers leave by sys.exit
        status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def escape_controls(text: str) -> str:
    """``text`` on one line: control characters (``%0a`` decoded in a path, say) written as
    ``\\xNN``/``\\uNNNN``, backslashes doubled so that no escape can be forged either."""
    if text.isprintable() and "\\" not in text:
        return text  # nearly every path
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def access_logger_class() -> type:
    from gunicorn.glogging import Logger

    class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
        """gunicorn's logger, writing what a request brings (path, headers) escaped: a ``%0a`` in a
        URL must not start a forged line in the access log."""

        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
            return {
                key: escape_controls(value) if isinstance(value, str) else value
                for key, value in atoms.items()
            }

    return AccessLogger


def run_gunicorn(application: WSGIHandler, options: dict[str, Any]) -> None:
    """gunicorn's master, in this process, serving ``application`` (already loaded) with ``options``
    (gunicorn's setting names). Its workers are forked from here: they share the loaded image."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
        def load_config(self) -> None:
            self.cfg.set("logger_class", access_logger_class())
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIHandler:
            return application

    Server().run()


def run_job_worker() -> None:
    """`entraide worker` in this process, until SIGTERM (its own handler) stops it cleanly."""
    from django.core.management import call_command

    call_command("worker")


def forget_job_worker(child: Child) -> None:
    """A job worker died without a word: drop its heartbeat at once (instead of 5 minutes of
    silence), so /healthz and the status page say no worker runs until the next one beats."""
    from django.db import connections

    from entraide.core import jobs

    try:
        jobs.forget_worker(pid=child.pid)
    except Exception:  # the database may be down: the heartbeat then goes stale on its own
        logger.exception("could not drop the heartbeat of job worker %d", child.pid)
    finally:
        connections.close_all()


def die_with_master(server: object, worker: Any) -> None:
    """gunicorn's post_fork hook: a web worker leaves when its master dies, even by SIGKILL."""
    die_with_parent(signal.SIGTERM, worker.ppid)
