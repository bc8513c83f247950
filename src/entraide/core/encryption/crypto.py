"""Envelope encryption: AES-256-GCM with per-user data keys wrapped by the instance key.

A ciphertext is ``version (1 byte) | nonce (12 bytes) | AES-GCM(ciphertext + tag)``. Its
associated data binds it to (format version, table, column, owner, row): copied to another
row or another owner, it does not decrypt. Data keys are unwrapped once per request (or job)
and kept in a per-context cache, cleared when the request ends.
"""

from __future__ import annotations

import contextvars
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, transaction
from django.utils import timezone

from entraide.core.encryption.keyring import KeyRing, KeyRingError, load_keyring

OwnerId = uuid.UUID | None  # None: the instance data key
FORMAT_VERSION = 1
NONCE_BYTES = 12
INSTANCE_SCOPE = "instance"


class DecryptionError(Exception):
    """A ciphertext did not decrypt: wrong key, data moved to another row or owner, or tampered."""


def associated_data(*parts: object) -> bytes:
    return "\x1f".join(["entraide", f"v{FORMAT_VERSION}", *map(str, parts)]).encode()


def encrypt(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return bytes([FORMAT_VERSION]) + nonce + AESGCM(key).encrypt(nonce, plaintext, ad)


def decrypt(key: bytes, blob: bytes, ad: bytes, *, what: str = "") -> bytes:
    """The plaintext; ``DecryptionError`` (its message starting with ``what``) if it does not
    decrypt."""
    prefix = f"{what}: " if what else ""
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != FORMAT_VERSION:
        raise DecryptionError(f"{prefix}not a ciphertext of format {FORMAT_VERSION}")
    try:
        return AESGCM(key).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], ad)
    except InvalidTag:
        raise DecryptionError(
            f"{prefix}does not decrypt (wrong key, data moved to another row or owner, or altered)"
        ) from None


# --- Data keys --------------------------------------------------------------------------------


def _scope_of(owner_id: OwnerId) -> tuple[str, str]:
    return ("user", str(owner_id)) if owner_id is not None else (INSTANCE_SCOPE, "-")


def wrap_data_key(data_key: bytes, owner_id: OwnerId) -> tuple[str, bytes]:
    """(instance key id, wrapped key) for storing a data key."""
    ring = load_keyring()
    return ring.active, encrypt(
        ring.key(ring.active), data_key, associated_data("data-key", *_scope_of(owner_id))
    )


def unwrap_with(ring: KeyRing, key_id: str, wrapped: bytes, owner_id: OwnerId) -> bytes:
    """Unwrap with a given ring (a restore checks an archive's keys before using the ring)."""
    return decrypt(
        ring.key(key_id), wrapped, associated_data("data-key", *_scope_of(owner_id)), what="data key"
    )


def unwrap_data_key(key_id: str, wrapped: bytes, owner_id: OwnerId) -> bytes:
    global unwrap_count  # noqa: PLW0603 — a plain counter the tests read
    unwrap_count += 1
    return unwrap_with(load_keyring(), key_id, wrapped, owner_id)


unwrap_count = 0
_key_cache: contextvars.ContextVar[dict[uuid.UUID | str, bytes] | None] = contextvars.ContextVar(
    "entraide_keys", default=None
)


def _cache() -> dict[uuid.UUID | str, bytes]:
    cache = _key_cache.get()
    if cache is None:
        cache = {}
        _key_cache.set(cache)
    return cache


def clear_key_cache(**kwargs: Any) -> None:
    """Forget every unwrapped key (at the start and end of each request, after each job)."""
    _key_cache.set(None)


request_started.connect(clear_key_cache, dispatch_uid="entraide_keys_start")
request_finished.connect(clear_key_cache, dispatch_uid="entraide_keys_end")


@contextmanager
def fresh_key_cache() -> Iterator[None]:
    """For jobs and commands: keys unwrapped inside are forgotten on exit."""
    token = _key_cache.set({})
    try:
        yield
    finally:
        _key_cache.reset(token)


def _cache_id(owner_id: OwnerId | str) -> uuid.UUID | str:
    """One entry per owner whether the id comes as a UUID or as text (a UUID hashes faster
    than it prints: a page looks its key up once per decrypted row)."""
    if owner_id is None:
        return INSTANCE_SCOPE
    return owner_id if isinstance(owner_id, uuid.UUID) else uuid.UUID(str(owner_id))


def data_key_for(owner_id: OwnerId, *, create: bool = False) -> bytes:
    """The owner's data key (the instance data key for ``None``), unwrapped once per context."""
    cache_id = _cache_id(owner_id)
    cache = _cache()
    if cache_id in cache:
        return cache[cache_id]
    row = _stored_key(owner_id)
    if row is None:
        if not create:
            raise DecryptionError(
                "no data key: it was erased with its owner (crypto-shredding), or never created"
            )
        created = _create_data_key(owner_id)
        row = (created.key_id, bytes(created.wrapped))
    key = unwrap_data_key(*row, owner_id)
    cache[cache_id] = key
    return key


def _stored_key(owner_id: OwnerId) -> tuple[str, bytes] | None:
    """(instance key id, wrapped key) of the owner's stored data key."""
    from entraide.core.models import DataKey

    scope = _scope_of(owner_id)[0]
    rows = DataKey.objects.filter(scope=scope)
    rows = rows.filter(owner__isnull=True) if owner_id is None else rows.filter(owner_id=owner_id)
    found = rows.values_list("key_id", "wrapped").first()
    return (str(found[0]), bytes(found[1])) if found else None


def _create_data_key(owner_id: OwnerId) -> Any:
    from entraide.core.models import DataKey

    key_id, wrapped = wrap_data_key(secrets.token_bytes(32), owner_id)
    scope = _scope_of(owner_id)[0]
    try:
        with transaction.atomic():
            return DataKey.objects.create(owner_id=owner_id, scope=scope, key_id=key_id, wrapped=wrapped)
    except IntegrityError:  # another request created it first: use theirs
        return DataKey.objects.get(owner_id=owner_id, scope=scope)


def forget_data_key(owner_id: OwnerId) -> None:
    _cache().pop(_cache_id(owner_id), None)


def rewrap_data_keys(*, limit: int | None = None) -> tuple[int, int]:
    """Rewrap data keys not wrapped by the active instance key; (done, left).

    Each key is rewrapped in its own small transaction, so an interrupted run loses nothing and a
    second run picks up where the first stopped.
    """
    from entraide.core.models import DataKey

    ring = load_keyring()
    done = 0
    pending = DataKey.objects.exclude(key_id=ring.active).order_by("pk")
    for row in pending.iterator(chunk_size=200):
        if limit is not None and done >= limit:
            break
        plain = unwrap_data_key(row.key_id, bytes(row.wrapped), row.owner_id)
        key_id, wrapped = wrap_data_key(plain, row.owner_id)
        updated = DataKey.objects.filter(pk=row.pk, key_id=row.key_id).update(
            key_id=key_id, wrapped=wrapped, rewrapped_at=timezone.now()
        )
        done += updated
    return done, DataKey.objects.exclude(key_id=ring.active).count()


__all__ = [
    "DecryptionError",
    "KeyRingError",
    "clear_key_cache",
    "data_key_for",
    "decrypt",
    "encrypt",
    "fresh_key_cache",
    "rewrap_data_keys",
]
