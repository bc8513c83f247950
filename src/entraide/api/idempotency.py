"""``Idempotency-Key`` on API writes: a client that lost the answer (a dropped connection, a
timeout) sends the same request with the same key again, and nothing is written twice.

The first request with a key claims it (a row unique per token and key hash) in the same
transaction as the write, and records the status and the written object's id; nothing is kept
when the write fails, so a retry after an error runs again. The same key and the same request
within 24 hours answers the recorded status with the object *as it is now* (read through the
area's own GET operation; never a stored body). The same key with another request is a 422.
Two concurrent requests with one key wait on the unique row: one writes, the other replays.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.responses import Status

from entraide.api.models import IdempotentWrite
from entraide.api.services import IDEMPOTENCY_KEPT_FOR as KEEP_FOR

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as most clients send (UUIDs, random strings)
OPERATION = "_entraide_api_operation"  # the ninja operation, set by api.auth.area_router
REPLAYING = "_entraide_api_replaying"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class InvalidKeyError(Exception):
    """An ``Idempotency-Key`` that is empty, too long or not visible ASCII: 422."""


class KeyReusedError(Exception):
    """The same key with another request: 422."""


class AlreadyDoneError(Exception):
    """A replay of a write whose object no GET operation shows alone: 409 with its id."""

    def __init__(self, object_id: str) -> None:
        super().__init__(object_id)
        self.object_id = object_id


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def request_hash(request: HttpRequest) -> str:
    parts = [request.method or "", request.path, request.META.get("QUERY_STRING", "")]
    return _sha256("\0".join(parts).encode() + b"\0" + request.body)


def _split(operation: Any, result: Any) -> tuple[int, Any]:
    """(status, data) as ninja will answer them (ninja.operation._result_to_response)."""
    if isinstance(result, Status):
        return result.status_code, result.value
    if isinstance(result, tuple) and len(result) == 2:
        return int(result[0]), result[1]
    models = getattr(operation, "response_models", {}) or {}
    return (next(iter(models)) if len(models) == 1 else 200), result


def _id_of(data: Any) -> str:
    found = data.get("id") if isinstance(data, dict) else getattr(data, "id", None)
    return "" if found is None else str(found)[:64]


def _schema_of(operation: Any, status: int) -> Any:
    model = (getattr(operation, "response_models", {}) or {}).get(status)
    field = getattr(model, "model_fields", {}).get("response")
    return getattr(field, "annotation", None)


def _reader_for(schema: Any, known: set[str]) -> tuple[Any, list[str]] | None:
    """The GET operation that answers ``schema`` for one object, and its path parameters: all
    but at most one (the object's id) among ``known`` (the write's own path parameters)."""
    from entraide.api.v1 import api

    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            params = re.findall(r"{(?:\w+:)?(\w+)}", path)
            if len(set(params) - known) > 1:
                continue
            for operation in path_view.operations:
                if "GET" in operation.methods and _schema_of(operation, 200) is schema:
                    return operation, params
    return None


def _replay(request: HttpRequest, write: IdempotentWrite, path_values: dict[str, Any]) -> Status[Any]:
    operation = getattr(request, OPERATION, None)
    schema = _schema_of(operation, write.status)
    if schema is None:
        return Status(write.status, None)  # 204: nothing to show
    found = _reader_for(schema, set(path_values))
    if found is None:
        # No operation shows this object alone (a dose, a step…): say it was done, and its id.
        raise AlreadyDoneError(write.object_id)
    reader, params = found
    from entraide.api.v1 import api

    setattr(request, REPLAYING, True)
    values = {name: str(path_values.get(name, write.object_id)) for name in params}
    parsed = reader._get_values(request, values, api.create_temporal_response(request))
    return Status(write.status, _split(reader, reader.view_func(request, **parsed))[1])


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """The operation-mode decorator of every area router: runs after authentication and after the
    body is validated, so a refused or invalid request claims no key."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raw = request.headers.get(HEADER)
        if raw is None or request.method not in WRITE_METHODS or getattr(request, REPLAYING, False):
            return view(request, *args, **kwargs)
        if not _KEY.fullmatch(raw):
            raise InvalidKeyError
        token = request.auth  # type: ignore[attr-defined]  # set by ninja after TokenAuth
        key_hash, this_request = _sha256(raw.encode()), request_hash(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentWrite.objects.create(
                        token=token, key_hash=key_hash, request_hash=this_request, status=0
                    )
            except IntegrityError:
                first = IdempotentWrite.objects.get(token=token, key_hash=key_hash)
                if first.created_at > timezone.now() - KEEP_FOR:
                    if first.request_hash != this_request:
                        raise KeyReusedError from None
                    return _replay(request, first, kwargs)
                # Older than 24 hours (housekeeping had not pruned it yet): a new key.
                first.delete()
                claim = IdempotentWrite.objects.create(
                    token=token, key_hash=key_hash, request_hash=this_request, status=0
                )
            result = view(request, *args, **kwargs)
            claim.status, data = _split(getattr(request, OPERATION, None), result)
            claim.object_id = _id_of(data)
            claim.save(update_fields=["status", "object_id"])
        return result

    return wrapper
