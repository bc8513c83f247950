"""Personas and shared fixtures: the owner, a stranger, the role holders, and the circle's grantees."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from hypothesis import settings as hypothesis_settings

from entraide.accounts.models import User
from entraide.accounts.services import create_administrator, record_signup_consents
from entraide.core import datadir, instance, jobs
from entraide.core.encryption import crypto
from tests.processes import Server, free_port, kill_group, start_server
from tests.smtp import SMTPRecorder

IN_CI = os.environ.get("CI") == "true"

# Every run of the suite sends the same generated examples (the "ci" profile, the default): a failure
# is reproducible, and a run never fails for a seed it did not keep. `make fuzz` runs the API fuzzing
# at random ("fuzz"), printing a blob to replay what it finds (@reproduce_failure).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
hypothesis_settings.register_profile("fuzz", deadline=None, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: object) -> Path:
    """Each test its own data directory: snapshots and tokens never leak between tests."""
    path = tmp_path / "var"
    datadir.prepare(path)  # a secret key and an instance key ring of its own
    # Keys unwrapped outside a request stay cached for the context: a key cached by an earlier
    # test (whose rows were rolled back) must not leak into this one.
    crypto.clear_key_cache()
    instance.forget_cached_settings()  # a row kept from an earlier test was rolled back
    settings.DATA_DIR = path  # type: ignore[attr-defined]
    return path


def text_outside_urls(text: str) -> str:
    """The words of an email or a page, lowercased, without its links: a random signed token in a
    URL may spell anything ("GaD"), so words that must not appear are looked for outside them."""
    import re

    return re.sub(r"(?:https?://|/)[^\s\"'<>]*", " ", text).lower()


def make_user(pseudonym: str, **fields: object) -> User:
    """A person with a verified address, as after sign-up and confirmation."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        f"{pseudonym.lower()}@example.org", PASSWORD, pseudonym=pseudonym, **fields
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    record_signup_consents(user, language="fr")
    return user


@pytest.fixture
def owner(db: None) -> User:
    """A person with a private space."""
    return make_user("Camille")


@pytest.fixture
def stranger(db: None) -> User:
    """Someone with no link to the owner."""
    return make_user("Dominique")


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # tests only: totp_code() gives its current code


def totp_code(secret: str = TOTP_SECRET, *, margin: float = 3.0) -> str:
    """The current code, never one about to expire: allauth accepts only the current 30-second
    window (no tolerance), so a code read at the end of a window would fail once posted."""
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < margin:
        time.sleep(left + 0.1)
    return totp.now()


def enrol_totp(user: User) -> None:
    """A second factor, as a role holder must have before anything else."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)


@pytest.fixture
def admin_user(db: None) -> User:
    admin = create_administrator(email="admin@example.org", pseudonym="Alix", password=PASSWORD)
    record_signup_consents(admin, language="fr")
    enrol_totp(admin)
    return admin


def client_for(user: User | None = None) -> Client:
    """Reading English (a language cookie beats the person's preference); logged in if given."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
        # allauth records each login's session with its account (usersessions); force_login does
        # not go through allauth, so record it as a real login would.
        from allauth.usersessions.models import UserSession

        UserSession.objects.get_or_create(
            user=user,
            session_key=client.session.session_key,
            defaults={"ip": "127.0.0.1", "user_agent": "tests"},
        )
    return client


@pytest.fixture
def coordinator(admin_user: User) -> User:
    """A coordinator, second factor set up as every role holder must."""
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    person = make_user("Coralie")
    grant_role(person, role=Role.COORDINATOR, by=admin_user)
    enrol_totp(person)
    return person


@pytest.fixture
def peer_helper(admin_user: User) -> User:
    """A peer helper (an adult, checked), second factor set up as every role holder must."""
    from entraide.accounts import invitations
    from entraide.accounts.models import Role

    person = make_user("Pascale")
    invitations.grant_person_role(person, role=Role.PEER_HELPER, by=admin_user, adult_checked=True)
    enrol_totp(person)
    return person


@pytest.fixture
def professional(admin_user: User) -> User:
    """A professional whose profession the administrator checked, with a second factor."""
    from entraide.accounts import invitations
    from entraide.accounts.models import Role

    person = make_user("Morgane")
    invitations.grant_person_role(
        person,
        role=Role.PROFESSIONAL,
        by=admin_user,
        adult_checked=True,
        profession="Infirmière",
        verification_note="Numéro RPPS vérifié",
    )
    enrol_totp(person)
    return person


@pytest.fixture
def moderator(admin_user: User) -> User:
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    person = make_user("Maxime")
    grant_role(person, role=Role.MODERATOR, by=admin_user)
    enrol_totp(person)
    return person


@pytest.fixture
def relative(db: None) -> User:
    """Someone close to the owner, without any role; a second factor as any grantee must have."""
    person = make_user("Sacha")
    enrol_totp(person)
    return person


def link_people(
    owner: User, supporter: User, *, kind: str = "other", scopes: Sequence[str] = (), **choice: Any
) -> Any:
    """An accepted circle link from ``owner`` to ``supporter`` sharing ``scopes``, made through the
    circle's services (an invitation accepted, then the grants), as in life."""
    from entraide.circle import services

    invitation, _ = services.invite_person(owner, kind=kind)
    link = services.accept_invitation(supporter, invitation.pk)
    for scope in scopes:
        services.grant_scope(
            link,
            choice=services.GrantChoice(
                scope=scope, until=choice.get("until"), visible_from=choice.get("visible_from")
            ),
            by=owner,
        )
    return link


@pytest.fixture
def helped_by_peer(owner: User, peer_helper: User) -> Any:
    """The owner shares check-ins, the safety plan, alerts and messages with a peer helper."""
    return link_people(
        owner, peer_helper, kind="peer_helper", scopes=("checkins", "safety_plan", "alerts", "messages")
    )


@pytest.fixture
def relative_with_alerts(owner: User, relative: User) -> Any:
    """The owner lets someone close receive alerts, and nothing else."""
    return link_people(owner, relative, kind="relative", scopes=("alerts",))


@pytest.fixture
def owner_client(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """The real `entraide serve` on SQLite in a fresh data directory."""
    server = start_server(tmp_path / "data")
    try:
        yield server
    finally:
        server.stop()
        kill_group(server.proc)


class DeliveredOutbox(Sequence[Any]):
    """Django's test outbox, read after the worker has delivered what is queued: mail is a job
    (core.mail queues it), run here by the real worker code in the test's process."""

    def _outbox(self) -> list[Any]:
        jobs.Worker("test-outbox").run_once(schedule=False)
        return mail.outbox

    def __len__(self) -> int:
        return len(self._outbox())

    def __getitem__(self, index: Any) -> Any:
        return self._outbox()[index]

    def clear(self) -> None:
        self._outbox().clear()

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None  # type: ignore[assignment]  # a mutable sequence


@pytest.fixture
def mailoutbox(mailoutbox: list[Any]) -> DeliveredOutbox:
    return DeliveredOutbox()


@pytest.fixture
def smtp_server() -> Iterator[SMTPRecorder]:
    """A real SMTP server on 127.0.0.1 recording what it receives (see tests/smtp.py)."""
    recorder = SMTPRecorder().start()
    try:
        yield recorder
    finally:
        recorder.stop()


@pytest.fixture
def served_with_mail(tmp_path: Path, smtp_server: SMTPRecorder) -> Iterator[tuple[Server, SMTPRecorder]]:
    """`served`, sending its mail to `smtp_server`; SITE_URL is its own address, so links in mail work."""
    port = free_port()
    server = start_server(
        tmp_path / "data", port=port, SITE_URL=f"http://127.0.0.1:{port}", **smtp_server.env()
    )
    try:
        yield server, smtp_server
    finally:
        server.stop()
        kill_group(server.proc)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if IN_CI:
            pytest.fail("Debian chromium is missing: CI must have it (see .ci/run)")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    return path
