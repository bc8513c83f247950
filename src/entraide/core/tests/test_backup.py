"""`entraide backup` and `entraide restore` as real processes, on the database the suite runs on:
SQLite, or scratch PostgreSQL databases when DATABASE_URL points at PostgreSQL."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from conftest import IN_CI
from entraide.core import backup, datadir
from entraide.core.encryption.keyring import KeyRing
from tests.processes import run_entraide

pytestmark = pytest.mark.timeout(120)

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith(("postgres://", "postgresql://"))
PASSPHRASE = "une phrase de passe assez longue"


# --- Instances in subprocesses ---------------------------------------------------------------


@dataclass
class Instance:
    """A data directory (and, on PostgreSQL, a scratch database) that `entraide` runs against."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    database: str | None = None

    def run(self, *args: str, **env: str) -> Any:
        return run_entraide(self.data_dir, *args, **{**self.env, **env})

    def ok(self, *args: str, **env: str) -> str:
        result = self.run(*args, **env)
        assert result.returncode == 0, f"entraide {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        return str(result.stdout)

    def script(self, code: str) -> Any:
        """Run ``code`` in `entraide manage shell`; its last printed line, as JSON."""
        return json.loads(self.ok("manage", "shell", "-v", "0", "-c", code).strip().splitlines()[-1])

    @property
    def keyring_file(self) -> Path:
        return self.data_dir / datadir.KEYRING_FILE

    def ring(self) -> KeyRing:
        return KeyRing.from_json(self.keyring_file.read_text())

    def only_backup(self) -> Path:
        (archive,) = (self.data_dir / "backups").glob("*.tar.gz")
        return archive


def pg_admin() -> psycopg.Connection[Any]:
    cfg = dj_database_url.parse(PG_URL)
    return psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=int(cfg["PORT"] or 5432),
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def pg_url(name: str) -> str:
    return urlunparse(urlparse(PG_URL)._replace(path=f"/{name}"))


def pg_connect(name: str) -> psycopg.Connection[Any]:
    return psycopg.connect(pg_url(name), autocommit=True)


@pytest.fixture(scope="session")
def postgres_tools() -> None:
    """On the PostgreSQL run, the client tools must be there; CI fails rather than skips."""
    if not ON_POSTGRES:
        return
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} missing: install postgresql-client"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def scratch_databases() -> Iterator[Callable[[str | None], str]]:
    """Creates uniquely named databases (xdist workers run side by side), drops them on exit."""
    created: list[str] = []

    def create(template: str | None = None) -> str:
        name = f"entraide_backup_{uuid.uuid4().hex[:12]}"
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with pg_admin() as admin:
            admin.execute(query)
        created.append(name)
        return name

    try:
        yield create
    finally:
        if created:
            with pg_admin() as admin:
                for name in created:
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                    )


@pytest.fixture
def databases() -> Iterator[Callable[[str | None], str]]:
    with scratch_databases() as create:
        yield create


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory, postgres_tools: None) -> Iterator[Instance]:
    """One migrated instance per worker, copied by each test (migrating takes seconds)."""
    data_dir = tmp_path_factory.mktemp("migrated") / "var"
    with scratch_databases() as create:
        if ON_POSTGRES:
            name = create(None)
            template = Instance(data_dir, {"DATABASE_URL": pg_url(name)}, name)
        else:
            template = Instance(data_dir)
        template.ok("migrate")
        yield template


@pytest.fixture
def source(migrated: Instance, tmp_path: Path, databases: Any) -> Instance:
    data_dir = tmp_path / "source"
    shutil.copytree(migrated.data_dir, data_dir)  # no process has it open: a plain copy is fine
    if ON_POSTGRES:
        name = databases(migrated.database)
        return Instance(data_dir, {"DATABASE_URL": pg_url(name)}, name)
    return Instance(data_dir)


@pytest.fixture
def target(tmp_path: Path, databases: Any, postgres_tools: None) -> Instance:
    """A data directory that does not exist yet, and on PostgreSQL an empty database."""
    data_dir = tmp_path / "target"
    if ON_POSTGRES:
        name = databases(None)
        return Instance(data_dir, {"DATABASE_URL": pg_url(name)}, name)
    return Instance(data_dir)


# --- Content ---------------------------------------------------------------------------------

SEED = """
import base64, json
from django.contrib.auth import get_user_model
from entraide.core import services
from entraide.core.encryption import crypto
from entraide.core.models import InstanceSettings

User = get_user_model()
people = [
    User.objects.create_superuser('camille@example.org', 'mot de passe 1', pseudonym='Camille'),
    User.objects.create_user('dominique@example.org', 'mot de passe 2', pseudonym='Dominique'),
]

def seal(owner, text):
    key = crypto.data_key_for(owner, create=True)
    return base64.b64encode(crypto.encrypt(key, text.encode(), crypto.associated_data('backup-test', owner))).decode()

row = InstanceSettings.objects.create(
    name='Entraide Test',
    contact_email='contact@example.org',
    crisis_numbers=[{'label': 'Ligne locale', 'number': '01 02 03 04 05', 'kind': 'tel', 'description': ''}],
    extra={'sealed': {str(p.pk): seal(str(p.pk), 'secret de ' + p.pseudonym) for p in people}},
)
services.publish_legal_document(
    kind='privacy', language='fr', body=seal(None, 'secret de l instance'), change_summary='v1',
    base_version=0, by=people[0],
)
print(json.dumps({p.pseudonym: str(p.pk) for p in people}))
"""

SNAPSHOT = """
import base64, json
from django.contrib.auth import get_user_model
from entraide.core.encryption import crypto
from entraide.core.models import DataKey, InstanceSettings, LegalDocument

def opened(owner, blob):
    try:
        key = crypto.data_key_for(owner)
        ad = crypto.associated_data('backup-test', owner)
        return crypto.decrypt(key, base64.b64decode(blob), ad, what='test').decode()
    except crypto.DecryptionError:
        return None

row = InstanceSettings.objects.get(pk=1)
docs = LegalDocument.objects.order_by('kind', 'language', 'version')
sealed = row.extra['sealed']
print(json.dumps({
    'users': [[str(u.pk), u.email, u.pseudonym, u.password, u.is_superuser]
              for u in get_user_model().objects.order_by('email')],
    'settings': [row.name, row.contact_email, row.crisis_numbers, row.extra],
    'legal': [[d.kind, d.language, d.version, d.body, d.change_summary, str(d.published_by_id)] for d in docs],
    'data_keys': sorted([d.scope, str(d.owner_id), d.key_id, bytes(d.wrapped).hex()] for d in DataKey.objects.all()),
    'opened': {
        'instance': opened(None, docs.get(kind='privacy').body),
        **{owner: opened(owner, blob) for owner, blob in sealed.items()},
    },
}))
"""

ERASE = """
import json
from django.contrib.auth import get_user_model
from entraide.core.personal_data import erase_person
print(json.dumps(erase_person(get_user_model().objects.get(pk='{person_id}'))))
"""


def archive_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def tree(path: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under ``path`` with its mode and content: any write shows."""
    return {
        str(p.relative_to(path)): (p.stat().st_mode, p.read_bytes() if p.is_file() else b"")
        for p in sorted(path.rglob("*"))
    }


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- Round trip ------------------------------------------------------------------------------


def test_restore_into_an_empty_data_directory_gives_back_the_same_content(source, target, tmp_path):
    people = source.script(SEED)
    upload = source.data_dir / "uploads" / "2026" / "ordonnance.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    before = source.script(SNAPSHOT)
    assert before["opened"] == {
        "instance": "secret de l instance",
        people["Camille"]: "secret de Camille",
        people["Dominique"]: "secret de Dominique",
    }

    source.ok("backup")
    archive = source.only_backup()
    assert mode_of(archive) == 0o600
    members = archive_members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    ring = source.ring()
    assert manifest["format"] == "entraide-backup"
    assert manifest["database"]["vendor"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["key_ids"] == [ring.active]
    assert manifest["data_keys"] == 3  # the instance's and one per person
    assert {name: hashlib.sha256(body).hexdigest() for name, body in members.items()} == {
        name: entry["sha256"] for name, entry in manifest["members"].items()
    }
    assert members["uploads/2026/ordonnance.pdf"] == upload.read_bytes()
    raw = gzip.decompress(archive.read_bytes())
    for key in ring.keys.values():
        assert key not in raw and base64.b64encode(key) not in raw, "the archive must not hold the key ring"

    export = tmp_path / "keyring-export.json"
    source.ok("backup", "--key", "--output", str(export), ENTRAIDE_BACKUP_PASSPHRASE=PASSPHRASE)
    assert mode_of(export) == 0o600
    assert json.loads(export.read_text())["format"] == "entraide-keyring-export"
    assert not any(base64.b64encode(key).decode() in export.read_text() for key in ring.keys.values())

    out = target.ok(
        "restore",
        str(archive),
        "--keyring",
        str(export),
        "--without-journal",
        ENTRAIDE_BACKUP_PASSPHRASE=PASSPHRASE,
    )
    assert "2 accounts, 3 data keys, 1 files (uploads)" in out
    assert "No erasure journal (--without-journal): anyone erased after this backup" in out
    assert not any(word in out.lower() for word in ("camille", "dominique", "example.org", "secret"))

    assert target.script(SNAPSHOT) == before  # same rows, and what was sealed still opens
    assert (target.data_dir / "uploads" / "2026" / "ordonnance.pdf").read_bytes() == upload.read_bytes()
    assert mode_of(target.keyring_file) == 0o600
    assert target.ring().keys == ring.keys


# --- Refusals --------------------------------------------------------------------------------


def test_restore_refuses_a_key_ring_that_cannot_unwrap_the_archive_and_writes_nothing(
    source, target, tmp_path
):
    source.script(SEED)
    source.ok("backup")
    archive = source.only_backup()
    needed = source.ring().active
    foreign = tmp_path / "foreign.keyring"
    foreign.write_text(datadir.new_keyring())
    impostor = tmp_path / "impostor.keyring"  # the right key id, other key bytes
    impostor.write_text(KeyRing(active=needed, keys={needed: os.urandom(32)}).to_json())
    export = tmp_path / "export.json"
    source.ok("backup", "--key", "--output", str(export), ENTRAIDE_BACKUP_PASSPHRASE=PASSPHRASE)

    target.data_dir.mkdir(mode=0o700)
    (target.data_dir / "notes.txt").write_text("rien à écraser")
    before = tree(target.data_dir)

    refused = target.run("restore", str(archive), "--keyring", str(foreign), "--without-journal")
    assert refused.returncode != 0
    assert needed in refused.stderr and "nothing was restored" in refused.stderr

    refused = target.run("restore", str(archive), "--keyring", str(impostor), "--without-journal")
    assert refused.returncode != 0
    assert "do not unwrap" in refused.stderr and needed in refused.stderr

    refused = target.run(
        "restore",
        str(archive),
        "--keyring",
        str(export),
        "--without-journal",
        ENTRAIDE_BACKUP_PASSPHRASE="pas la bonne phrase",
    )
    assert refused.returncode != 0
    assert "passphrase is wrong" in refused.stderr

    assert tree(target.data_dir) == before
    if ON_POSTGRES:
        with pg_connect(target.database) as db:
            tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        assert tables == (0,)


# --- Erasure ---------------------------------------------------------------------------------


def test_people_erased_after_the_backup_stay_erased_after_a_restore(source, target):
    people = source.script(SEED)
    source.ok("backup")
    archive = source.only_backup()
    camille = people["Camille"]
    assert source.script(ERASE.format(person_id=camille)) == camille
    journal = source.data_dir / datadir.ERASURE_JOURNAL_FILE

    # Into a new data directory without the journal: refused, saying what it would mean.
    refused = target.run("restore", str(archive), "--keyring", str(source.keyring_file))
    assert refused.returncode != 0
    assert (
        "no erasure journal: the people erased after this backup was made would come back" in refused.stderr
    )
    assert "--journal" in refused.stderr and "--without-journal" in refused.stderr
    assert not (target.data_dir / "entraide.sqlite3").exists()
    refused = target.run("restore", str(archive), "--keyring", str(source.keyring_file), "--dry-run")
    assert refused.returncode != 0 and "no erasure journal" in refused.stderr

    # Into a new data directory, with the journal kept apart from the backups.
    out = target.ok("restore", str(archive), "--keyring", str(source.keyring_file), "--journal", str(journal))
    assert "1 account(s) erased again" in out
    restored = target.script(SNAPSHOT)
    assert [u[2] for u in restored["users"]] == ["Dominique"]
    assert camille not in {owner for _, owner, _, _ in restored["data_keys"]}
    assert restored["opened"][camille] is None  # crypto-shredded: her key is gone again
    assert restored["opened"][people["Dominique"]] == "secret de Dominique"
    assert camille in (target.data_dir / datadir.ERASURE_JOURNAL_FILE).read_text()

    # Over the instance itself (rolling back): refused without --force; its own journal applies.
    refused = source.run("restore", str(archive), "--keyring", str(source.keyring_file))
    assert refused.returncode != 0 and "--force" in refused.stderr
    out = source.ok("restore", str(archive), "--keyring", str(source.keyring_file), "--force")
    assert "1 account(s) erased again" in out
    assert [u[2] for u in source.script(SNAPSHOT)["users"]] == ["Dominique"]


# --- Consistency under writes ----------------------------------------------------------------


class Writer(threading.Thread):
    """Commits in a loop, in one transaction each: two new rows, and the commit's number into
    every slot row and the counter. A consistent copy holds twice as many rows as the counter
    says, and the counter's number in every slot."""

    def __init__(self, instance: Instance) -> None:
        super().__init__(daemon=True)
        self.instance = instance
        self.commits = 0
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc

    def _loop(self) -> None:
        if ON_POSTGRES:
            with psycopg.connect(pg_url(self.instance.database)) as db:
                while not self.stopping.is_set():
                    with db.transaction():
                        db.execute("INSERT INTO probe (n) VALUES (1), (2)")
                        db.execute("UPDATE probe_slot SET n = n + 1")
                        db.execute("UPDATE probe_counter SET n = n + 1")
                    self.commits += 1
            return
        db = sqlite3.connect(self.instance.data_dir / "entraide.sqlite3", timeout=20, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        # Checkpoint at every commit: the slots' pages, spread over the file, are rewritten
        # all through the backup, which is what tears a plain copy of the file.
        db.execute("PRAGMA wal_autocheckpoint=16")
        while not self.stopping.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO probe (n) VALUES (1), (2)")
            db.execute("UPDATE probe_slot SET n = n + 1")
            db.execute("UPDATE probe_counter SET n = n + 1")
            db.execute("COMMIT")
            self.commits += 1
        db.close()


SLOTS = 64
FILLER = 16  # rows of 8 KB between two slots: the slots' pages lie all over an 8 MB file

PROBE_TABLES = [
    "CREATE TABLE probe (id {serial} PRIMARY KEY, n integer)",
    "CREATE TABLE probe_slot (id integer PRIMARY KEY, n integer)",
    "CREATE TABLE probe_filler (id {serial} PRIMARY KEY, padding text)",
    "CREATE TABLE probe_counter (n integer)",
    "INSERT INTO probe_counter VALUES (0)",
]


def create_probe(instance: Instance) -> None:
    """The probe tables; each slot row inserted after filler rows, so its page is far from the others."""
    filler = [("x" * 8192,)] * FILLER
    if ON_POSTGRES:
        with pg_connect(instance.database) as db, db.transaction():
            for statement in PROBE_TABLES:
                db.execute(statement.format(serial="serial"))
            for slot in range(SLOTS):
                db.cursor().executemany("INSERT INTO probe_filler (padding) VALUES (%s)", filler)
                db.execute("INSERT INTO probe_slot VALUES (%s, 0)", (slot,))
        return
    db = sqlite3.connect(instance.data_dir / "entraide.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("BEGIN")
    for statement in PROBE_TABLES:
        db.execute(statement.format(serial="integer"))
    for slot in range(SLOTS):
        db.executemany("INSERT INTO probe_filler (padding) VALUES (?)", filler)
        db.execute("INSERT INTO probe_slot VALUES (?, 0)", (slot,))
    db.execute("COMMIT")
    db.close()


def probe_counts(instance: Instance) -> tuple[int, int, set[int]]:
    """(rows, counter, the numbers in the slots); SQLite's integrity is checked on the way."""
    queries = (
        "SELECT count(*) FROM probe",
        "SELECT n FROM probe_counter",
        "SELECT DISTINCT n FROM probe_slot",
    )
    if ON_POSTGRES:
        with pg_connect(instance.database) as db:
            rows, counter, slots = (db.execute(q).fetchall() for q in queries)
    else:
        db = sqlite3.connect(instance.data_dir / "entraide.sqlite3")
        try:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows, counter, slots = (db.execute(q).fetchall() for q in queries)
        finally:
            db.close()
    return rows[0][0], counter[0][0], {n for (n,) in slots}


def test_a_backup_taken_while_rows_are_written_restores_a_consistent_database(source, target):
    source.script(SEED)
    create_probe(source)
    writer = Writer(source)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while writer.commits < 20 and writer.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        started = writer.commits
        source.ok("backup")
        finished = writer.commits
    finally:
        writer.stopping.set()
        writer.join(timeout=20)
    assert writer.error is None, writer.error
    assert finished > started >= 20, "the writer must have been busy during the whole backup"

    target.ok(
        "restore", str(source.only_backup()), "--keyring", str(source.keyring_file), "--without-journal"
    )
    rows, counter, slots = probe_counts(target)
    assert (rows, slots) == (2 * counter, {counter}), "a torn copy: pages from different moments"
    assert started <= counter <= finished


# --- Units -----------------------------------------------------------------------------------


def test_keyring_export_round_trips_and_a_wrong_passphrase_fails_clearly():
    ring = KeyRing.from_json(datadir.new_keyring()).with_new_active_key()
    exported = backup.export_keyring(ring, PASSPHRASE)
    assert json.loads(exported)["kdf"] == {"name": "scrypt", "n": 2**15, "r": 8, "p": 1, "length": 32}
    assert not any(base64.b64encode(key).decode() in exported for key in ring.keys.values())
    assert backup.export_keyring(ring, PASSPHRASE) != exported  # a fresh salt and nonce each time

    again = backup.import_keyring(exported, PASSPHRASE)
    assert (again.active, again.keys) == (ring.active, ring.keys)

    with pytest.raises(backup.BackupError, match="passphrase is wrong"):
        backup.import_keyring(exported, PASSPHRASE + "!")
    with pytest.raises(backup.BackupError, match="at least 12 characters"):
        backup.export_keyring(ring, "trop court")
    tampered = json.loads(exported)
    tampered["kdf"]["n"] = 2**30
    with pytest.raises(backup.BackupError, match="unsupported key derivation"):
        backup.import_keyring(json.dumps(tampered), PASSPHRASE)


def test_keyring_file_may_be_plain_or_exported(tmp_path):
    ring = KeyRing.from_json(datadir.new_keyring())
    plain, exported = tmp_path / "instance.keyring", tmp_path / "export.json"
    plain.write_text(ring.to_json())
    exported.write_text(backup.export_keyring(ring, PASSPHRASE))

    def never() -> str:
        raise AssertionError("a plain key ring needs no passphrase")

    assert backup.read_keyring_file(plain, never).keys == ring.keys
    assert backup.read_keyring_file(exported, lambda: PASSPHRASE).keys == ring.keys


def test_pg_tool_older_than_the_server_is_refused_naming_both_versions():
    with pytest.raises(backup.BackupError) as refused:
        backup.check_pg_tool_version("pg_dump", "14.12", "15.20 (Debian 15.20-0+deb12u1)")
    message = str(refused.value)
    assert "14.12" in message and "15.20" in message and "postgresql-client-15" in message
    backup.check_pg_tool_version("pg_dump", "16.4", "15.20")  # newer tools read older servers


def test_damaged_archive_is_refused_before_anything_is_written(tmp_path):
    database = tmp_path / "entraide.sqlite3"
    sqlite3.connect(database).close()
    member = backup.DATABASE_MEMBERS["sqlite"]
    archive = tmp_path / "backup.tar.gz"
    manifest = {
        "format": backup.FORMAT,
        "version": backup.FORMAT_VERSION,
        "database": {"vendor": "sqlite", "member": member},
        "members": {},
    }
    backup.archive.write_archive(archive, [(member, database)], manifest)
    backup.unpack_archive(archive, tmp_path / "good")  # intact: accepted

    members = archive_members(archive)
    members[member] += b"\0"  # one byte more, the manifest unchanged
    archive.unlink()
    with tarfile.open(archive, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.unpack_archive(archive, tmp_path / "bad")


def test_copy_rows_reads_pg_restore_output():
    script = (
        "SET client_encoding = 'UTF8';\n"
        "COPY public.core_datakey (id, scope, key_id, wrapped, owner_id) FROM stdin;\n"
        "1\tinstance\tab12cd34\t\\\\x0102ff\t\\N\n"
        "2\tuser\tab\\tcd\t\\\\x00\t6f1c3a52-0000-4000-8000-000000000001\n"
        "\\.\n"
    )
    rows = backup.copy_rows(script)
    assert rows[0] == {
        "id": "1",
        "scope": "instance",
        "key_id": "ab12cd34",
        "wrapped": "\\x0102ff",
        "owner_id": None,
    }
    assert rows[1]["key_id"] == "ab\tcd"
    assert backup.databases._bytea(rows[0]["wrapped"]) == b"\x01\x02\xff"
