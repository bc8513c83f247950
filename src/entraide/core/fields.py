"""``EncryptedField``: one ciphertext per record for its sensitive fields.

The model keeps its sensitive fields together in one payload (JSON, or bytes for files), set and
read in clear through the attribute; only ciphertext reaches the database. The payload is
decrypted lazily, on first access, with the owner's data key.

Filtering on the payload is impossible by design (``filter(payload=…)`` fails loudly): load an
owner's rows and work in memory, which is fine at one person's scale.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Model

from entraide.core.encryption import crypto


class Ciphertext(bytes):
    """Bytes read from the database, as opposed to a plaintext ``bytes`` payload."""


class _Unset:
    pass


UNSET = _Unset()


class EncryptedField(models.BinaryField):  # type: ignore[type-arg]  # stubs' generic params
    """``kind="json"`` (any JSON value: dict, list, text…) or ``kind="bytes"`` (a file).

    ``scope="owner"`` uses the record owner's data key (the model needs ``owner``);
    ``scope="instance"`` uses the instance data key (secrets that belong to no person).
    """

    def __init__(self, *args: Any, kind: str = "json", scope: str = "owner", **kwargs: Any) -> None:
        if kind not in {"json", "bytes"} or scope not in {"owner", "instance"}:
            raise ImproperlyConfigured("EncryptedField(kind='json'|'bytes', scope='owner'|'instance')")
        self.kind, self.scope = kind, scope
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        kwargs.update(kind=self.kind, scope=self.scope)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, EncryptedDescriptor(self))

    def get_default(self) -> Any:
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Ciphertext:
        # SQL NULL comes back as an empty Ciphertext, so that it is told apart from a plaintext None.
        return Ciphertext(b"" if value is None else bytes(value))

    def value_from_object(self, obj: Model) -> Any:
        """What serialisers (dumpdata, fixtures) see: the stored ciphertext, never the plaintext."""
        blob = obj.__dict__.get(self.attname)
        return bytes(blob) if blob else None

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"{self.model.__name__}.{self.name} is encrypted: it cannot be filtered on")
        return super().get_lookup(lookup_name)

    # --- encryption ---------------------------------------------------------------------------
    def owner_id_of(self, instance: Model) -> crypto.OwnerId:
        if self.scope == "instance":
            return None
        owner_id: crypto.OwnerId = getattr(instance, "owner_id", None)
        if owner_id is None:
            raise ValueError(f"{type(instance).__name__} has no owner: its encrypted data has no key")
        return owner_id

    def ad(self, instance: Model) -> bytes:
        if instance.pk is None:
            raise ValueError(
                f"{type(instance).__name__} needs its primary key before saving encrypted data "
                "(use a UUID chosen in Python: core.models.PersonalModel)"
            )
        owner = self.owner_id_of(instance)
        return crypto.associated_data(
            self.model._meta.db_table, self.column, owner if owner is not None else "instance", instance.pk
        )

    def encrypt_value(self, instance: Model, value: Any) -> bytes:
        if self.kind == "json":
            plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        else:
            plain = bytes(value)
        key = crypto.data_key_for(self.owner_id_of(instance), create=True)
        return crypto.encrypt(key, plain, self.ad(instance))

    def decrypt_value(self, instance: Model, blob: bytes) -> Any:
        try:
            key = crypto.data_key_for(self.owner_id_of(instance))
            plain = crypto.decrypt(key, blob, self.ad(instance))
        except crypto.DecryptionError as exc:
            # Named only on failure: a page decrypts dozens of rows, and it cost a tenth of each.
            what = f"{self.model._meta.db_table}.{self.column} of row {instance.pk}"
            raise crypto.DecryptionError(f"{what}: {exc}") from None
        return json.loads(plain) if self.kind == "json" else plain

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        state = model_instance.__dict__
        plain = state.get(self._plain_name, UNSET)
        if plain is UNSET:
            return state.get(self.attname) or None  # never read nor set: the stored ciphertext stays
        if plain is None and (self.null or self.kind == "bytes"):
            return None  # SQL NULL; a non-null JSON field stores JSON null, encrypted like any value
        blob = Ciphertext(self.encrypt_value(model_instance, plain))
        state[self.attname] = blob
        return blob

    @property
    def _plain_name(self) -> str:
        return f"_{self.attname}_plain"


class EncryptedDescriptor:
    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: Model | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        state = instance.__dict__
        plain = state.get(self.field._plain_name, UNSET)
        if plain is UNSET:
            blob = state.get(self.field.attname)
            plain = self.field.decrypt_value(instance, blob) if blob else None
            state[self.field._plain_name] = plain
        return plain

    def __set__(self, instance: Model, value: Any) -> None:
        state = instance.__dict__
        if isinstance(value, Ciphertext):
            state[self.field.attname] = value  # loaded from the database
            state.pop(self.field._plain_name, None)
        else:
            state[self.field._plain_name] = value
