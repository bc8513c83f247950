"""The data directory: database, secret key, instance key ring, uploads, mail files, backups.

Secrets are files of mode 0600, created once. They must never sit in a backup of the database:
a backup kept with its key defeats the encryption.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret.key"  # noqa: S105 — a file name, not a secret
KEYRING_FILE = "instance.keyring"
ERASURE_JOURNAL_FILE = "erasure-journal.log"
SETUP_TOKEN_FILE = "setup.token"  # noqa: S105 — a file name, not a secret
CRISIS_SNAPSHOT_FILE = "crisis.json"


def data_dir_from_env() -> Path:
    return Path(os.environ.get("ENTRAIDE_DATA_DIR") or "var").resolve()


def write_private(path: Path, content: str) -> None:
    """Write ``content`` atomically to a file only its owner can read."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_secret_key(data_dir: Path) -> str:
    path = data_dir / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def new_keyring() -> str:
    """A key ring holding one random 256-bit instance key, by key id (see ``core.keyring``)."""
    key_id = secrets.token_hex(4)
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return json.dumps({"version": 1, "active": key_id, "keys": {key_id: key}}, indent=1)


def prepare(data_dir: Path) -> list[str]:
    """Create the data directory and any missing secret; return what was created."""
    created = []
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    for sub in ("mail", "backups", "uploads"):
        (data_dir / sub).mkdir(exist_ok=True)
    if not (data_dir / SECRET_KEY_FILE).exists():
        write_private(data_dir / SECRET_KEY_FILE, secrets.token_urlsafe(50))
        created.append(SECRET_KEY_FILE)
    if not (data_dir / KEYRING_FILE).exists() and not os.environ.get("ENTRAIDE_INSTANCE_KEYRING"):
        write_private(data_dir / KEYRING_FILE, new_keyring())
        created.append(KEYRING_FILE)
    return created
