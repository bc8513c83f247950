"""The instance key ring: 256-bit instance keys by key id, one active, retired ones kept.

Retired keys are never used to wrap, only to unwrap, so that archives made before a rotation
still restore. The ring is a JSON file of mode 0600 in the data directory, or the content of
``ENTRAIDE_INSTANCE_KEYRING`` (or ``ENTRAIDE_INSTANCE_KEYRING_FILE``) when set.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from entraide.core import datadir

KEY_BYTES = 32


class KeyRingError(Exception):
    """The key ring is missing, malformed, or lacks a key some data needs."""


@dataclass(frozen=True)
class KeyRing:
    active: str
    keys: dict[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise KeyRingError("the active key is not in the key ring")
        if any(len(k) != KEY_BYTES for k in self.keys.values()):
            raise KeyRingError("every instance key must be 32 bytes")

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyRingError(
                f"the key ring has no key {key_id!r}: restore the key ring that was in use "
                "when this data was written (retired keys must be kept)"
            ) from None

    def with_new_active_key(self) -> KeyRing:
        key_id = secrets.token_hex(4)
        while key_id in self.keys:
            key_id = secrets.token_hex(4)
        return KeyRing(active=key_id, keys={**self.keys, key_id: secrets.token_bytes(KEY_BYTES)})

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "active": self.active,
                "keys": {kid: base64.b64encode(k).decode() for kid, k in self.keys.items()},
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            data = json.loads(text)
            keys = {kid: base64.b64decode(k, validate=True) for kid, k in data["keys"].items()}
            return cls(active=data["active"], keys=keys)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyRingError(f"the key ring cannot be read: {exc}") from None


def keyring_path() -> Path:
    return Path(settings.DATA_DIR) / datadir.KEYRING_FILE


_cache: dict[str, object] = {"key": None, "ring": None}


def load_keyring() -> KeyRing:
    """The ring, re-read only when its source changes (a rotation by another process)."""
    inline = os.environ.get("ENTRAIDE_INSTANCE_KEYRING")
    path = Path(os.environ.get("ENTRAIDE_INSTANCE_KEYRING_FILE") or keyring_path())
    if inline:
        cache_key: object = ("env", inline)
    else:
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise KeyRingError(
                f"no instance key ring at {path}: run `entraide migrate` to create one"
            ) from None
        cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
    if _cache["key"] != cache_key:
        ring = KeyRing.from_json(inline or path.read_text(encoding="utf-8"))
        _cache.update(key=cache_key, ring=ring)
    ring_cached = _cache["ring"]
    assert isinstance(ring_cached, KeyRing)  # noqa: S101 — set together with its key above
    return ring_cached


def save_keyring(ring: KeyRing) -> None:
    if os.environ.get("ENTRAIDE_INSTANCE_KEYRING"):
        raise KeyRingError("the key ring comes from the environment: update it there")
    datadir.write_private(
        Path(os.environ.get("ENTRAIDE_INSTANCE_KEYRING_FILE") or keyring_path()), ring.to_json()
    )
