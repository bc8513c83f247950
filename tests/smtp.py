"""A real SMTP server for tests: it records what `entraide` sends, or holds it to test timeouts.

Runs aiosmtpd in a thread on 127.0.0.1 and a free port; start the processes under test with
`recorder.env()` so their mail goes there.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.processes import free_port


@dataclass(frozen=True)
class Mail:
    """One message as received: envelope recipients, headers decoded, the plain-text body."""

    to: tuple[str, ...]
    sender: str
    subject: str
    text: str
    message: EmailMessage

    def links(self, base: str) -> list[str]:
        """The URLs in the body that start with ``base``."""
        return [word for word in self.text.split() if word.startswith(base)]


class SMTPRecorder:
    """Collects every message it accepts. With ``hanging`` set, it receives a message but never
    answers the end of DATA, as a stuck server would: the client must give up on its own timeout."""

    def __init__(self, *, hanging: bool = False) -> None:
        self.hanging = hanging
        self.held = 0  # messages received while hanging, never acknowledged
        self._mails: list[Mail] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def host(self) -> str:
        return str(self._controller.hostname)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def env(self) -> dict[str, str]:
        """The environment that points an `entraide` process at this server (no TLS: plain local SMTP)."""
        return {
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
        }

    def start(self) -> SMTPRecorder:
        self._controller.start()
        return self

    def stop(self) -> None:
        self.hanging = False
        self._controller.stop()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 — aiosmtpd's hook name
        if self.hanging:
            with self._lock:
                self.held += 1
            while self.hanging:  # released by `stop` (or a test); cancelled when the server stops
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: held by the test"
        raw = envelope.original_content or envelope.content or b""
        message = email.message_from_bytes(
            raw if isinstance(raw, bytes) else raw.encode(), policy=email.policy.default
        )
        assert isinstance(message, EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        mail = Mail(
            to=tuple(envelope.rcpt_tos),
            sender=str(envelope.mail_from),
            # Python's parser keeps the space of a subject folded right after "Subject:" (RFC 5322
            # unfolding drops it: mail clients show none).
            subject=str(message["subject"] or "").strip(),
            text=body.get_content() if body is not None else "",
            message=message,
        )
        with self._lock:
            self._mails.append(mail)
        return "250 Message accepted for delivery"

    @property
    def mails(self) -> list[Mail]:
        with self._lock:
            return list(self._mails)

    def sent_to(self, to: str) -> list[Mail]:
        return [m for m in self.mails if to.lower() in (r.lower() for r in m.to)]

    def wait_for(self, *, to: str, count: int = 1, timeout: float = 10, **match: Any) -> Mail:
        """The ``count``-th message received for ``to`` (optionally whose ``subject`` contains
        ``match['subject']``), waiting up to ``timeout`` seconds for it."""
        subject = match.pop("subject", None)
        assert not match, f"unknown criteria: {sorted(match)}"
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.sent_to(to) if subject is None or subject in m.subject]
            if len(found) >= count:
                return found[count - 1]
            if time.monotonic() > deadline:
                seen = [(m.to, m.subject) for m in self.mails]
                raise AssertionError(
                    f"no message #{count} for {to} (subject containing {subject!r}) within {timeout} s; "
                    f"received: {seen}"
                )
            time.sleep(0.05)
