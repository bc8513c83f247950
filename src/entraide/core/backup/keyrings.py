"""Key rings and backups: checking that a ring unwraps an archive's data keys, merging rings, and
the passphrase-encrypted key ring export kept apart from the backups."""

from __future__ import annotations

import base64
import getpass
import json
import os
import secrets
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

from entraide.core import datadir
from entraide.core.backup.archive import BackupError, WrappedKey, new_file_path
from entraide.core.encryption import crypto, keyring
from entraide.core.encryption.keyring import KeyRing, KeyRingError

KEYRING_EXPORT_FORMAT = "entraide-keyring-export"
KEYRING_EXPORT_VERSION = 1
PASSPHRASE_ENV = "ENTRAIDE_BACKUP_PASSPHRASE"  # noqa: S105 — the variable's name, not a secret
MIN_PASSPHRASE_LENGTH = 12
SCRYPT_PARAMS = {"name": "scrypt", "n": 2**15, "r": 8, "p": 1, "length": 32}
# Bounds on what an export file may ask for: a crafted file must not make us allocate gigabytes.
_SCRYPT_MAX_N, _SCRYPT_MAX_R, _SCRYPT_MAX_P = 2**20, 16, 4
_EXPORT_AD = b"entraide\x1fkeyring-export\x1fv1"


def _unwraps(ring: KeyRing, key: WrappedKey) -> bool:
    owner = uuid.UUID(key.owner_id) if key.scope == "user" and key.owner_id else None
    try:
        crypto.unwrap_with(ring, key.key_id, key.wrapped, owner)
    except crypto.DecryptionError:
        return False
    return True


def verify_keyring(ring: KeyRing, keys: list[WrappedKey]) -> None:
    """Refuse, naming the key ids, unless ``ring`` unwraps every one of ``keys``."""
    missing = sorted({k.key_id for k in keys if k.key_id not in ring.keys})
    if missing:
        needing = sum(k.key_id in missing for k in keys)
        raise BackupError(
            f"the key ring lacks the instance key(s) {', '.join(missing)} that {needing} data key(s) "
            "of this archive need; nothing was restored. Give the key ring that was in use when the "
            "backup was made (retired keys included)."
        )
    wrong = sorted({k.key_id for k in keys if not _unwraps(ring, k)})
    if wrong:
        raise BackupError(
            f"the key ring's key(s) {', '.join(wrong)} do not unwrap this archive's data keys (a key "
            "ring of another instance?); nothing was restored."
        )


def merge_keyrings(existing: KeyRing | None, restored: KeyRing) -> KeyRing:
    """``restored``'s keys added to ``existing``'s, which are all kept.

    The active key is the restored ring's: the restored database was written under it, so a
    later `entraide rotate-key` does not take the restore for a half-done rotation.
    """
    if existing is None:
        return restored
    clash = sorted(
        k for k in existing.keys.keys() & restored.keys.keys() if existing.keys[k] != restored.keys[k]
    )
    if clash:
        raise BackupError(
            f"the data directory's key ring and the given one hold different keys under the same "
            f"id(s) {', '.join(clash)}: sort them out by hand; nothing was restored"
        )
    return KeyRing(active=restored.active, keys={**existing.keys, **restored.keys})


def _existing_keyring() -> KeyRing | None:
    inline = bool(os.environ.get("ENTRAIDE_INSTANCE_KEYRING"))
    path = Path(os.environ.get("ENTRAIDE_INSTANCE_KEYRING_FILE") or keyring.keyring_path())
    if not inline and not path.exists():
        return None
    try:
        return keyring.load_keyring()
    except KeyRingError as exc:
        raise BackupError(
            f"the data directory's key ring cannot be read, so it is left alone: {exc}"
        ) from None


def keyring_to_install(restored: KeyRing) -> tuple[KeyRing | None, int]:
    """(the ring to save before the database is put in place, or None if it has every key
    already; the number of keys it adds)."""
    existing = _existing_keyring()
    merged = merge_keyrings(existing, restored)
    added = sorted(merged.keys.keys() - (existing.keys.keys() if existing else set()))
    if existing is not None and not added:
        return None, 0
    if os.environ.get("ENTRAIDE_INSTANCE_KEYRING"):
        raise BackupError(
            "this instance reads its key ring from ENTRAIDE_INSTANCE_KEYRING: add the key(s) "
            f"{', '.join(added)} to it, then restore again; nothing was restored"
        )
    return merged, len(added)


def read_keyring_file(path: Path, passphrase: Callable[[], str]) -> KeyRing:
    """A plain key ring (``instance.keyring``) or a passphrase-protected export of one.

    ``passphrase`` is called only for an export.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read as a key ring ({exc})") from None
    if isinstance(data, dict) and data.get("format") == KEYRING_EXPORT_FORMAT:
        return import_keyring(text, passphrase())
    try:
        return KeyRing.from_json(text)
    except KeyRingError as exc:
        raise BackupError(f"{path}: {exc}") from None


def _derive_key(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    # NFC: the same passphrase typed on two systems may reach us composed or decomposed ("é").
    secret = unicodedata.normalize("NFC", passphrase).encode()
    return Scrypt(salt=salt, length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(secret)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters long")


def export_keyring(ring: KeyRing, passphrase: str) -> str:
    """The ring encrypted under a key derived from ``passphrase`` (scrypt, AES-256-GCM), as JSON."""
    check_passphrase(passphrase)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(crypto.NONCE_BYTES)
    key = _derive_key(passphrase, salt, SCRYPT_PARAMS)
    ciphertext = AESGCM(key).encrypt(nonce, ring.to_json().encode(), _EXPORT_AD)
    return json.dumps(
        {
            "format": KEYRING_EXPORT_FORMAT,
            "version": KEYRING_EXPORT_VERSION,
            "kdf": SCRYPT_PARAMS,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        },
        indent=1,
    )


def _export_fields(text: str) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    try:
        data = json.loads(text)
        kdf = data["kdf"]
        if data["format"] != KEYRING_EXPORT_FORMAT or data["version"] != KEYRING_EXPORT_VERSION:
            raise ValueError("unknown format or version")
        if kdf["name"] != "scrypt" or not (
            1 < kdf["n"] <= _SCRYPT_MAX_N and 0 < kdf["r"] <= _SCRYPT_MAX_R and 0 < kdf["p"] <= _SCRYPT_MAX_P
        ):
            raise ValueError("unsupported key derivation")
        fields = [base64.b64decode(data[k], validate=True) for k in ("salt", "nonce", "ciphertext")]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"this is not a readable key ring export ({exc})") from None
    return kdf, fields[0], fields[1], fields[2]


def import_keyring(text: str, passphrase: str) -> KeyRing:
    kdf, salt, nonce, ciphertext = _export_fields(text)
    key = _derive_key(passphrase, salt, kdf)
    try:
        plain = AESGCM(key).decrypt(nonce, ciphertext, _EXPORT_AD)
    except InvalidTag:
        raise BackupError("the passphrase is wrong (or the key ring export was altered)") from None
    try:
        return KeyRing.from_json(plain.decode())
    except KeyRingError as exc:
        raise BackupError(str(exc)) from None


def write_keyring_export(passphrase: str, *, output: Path | None = None) -> Path:
    """Export the instance's key ring, passphrase-protected, mode 0600; return its path.

    By default into the data directory, not its ``backups`` folder: it must travel apart from them.
    """
    try:
        ring = keyring.load_keyring()
    except KeyRingError as exc:
        raise BackupError(str(exc)) from None
    text = export_keyring(ring, passphrase)
    path = new_file_path(output, default_dir=Path(settings.DATA_DIR), stem="entraide-keyring", suffix=".json")
    datadir.write_private(path, text)
    return path


def ask_passphrase(*, confirm: bool) -> str:
    """From ENTRAIDE_BACKUP_PASSPHRASE (scripts), else asked on the terminal (twice to set one)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    try:
        first = getpass.getpass("Key ring passphrase: ")
        if confirm and first != getpass.getpass("Key ring passphrase (again): "):
            raise BackupError("the two passphrases are different")
    except EOFError:
        raise BackupError(f"no passphrase: run this in a terminal, or set {PASSPHRASE_ENV}") from None
    return first
