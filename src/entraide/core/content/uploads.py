"""Files people send: checked from their content, images re-encoded, stored under the data
directory's ``uploads/`` (which backups archive), served with headers that stop a browser from
reading them as anything else.

Generic on purpose: an app picks a folder and decides who may read a stored file; private files
(private messages, later) are encrypted by their app before ``store`` and decrypted after
``read``. Nothing here knows who owns what.

What callers must guarantee: ``clean_image`` gets the upload before anything is saved (a refusal
is a kind message for the form), and a stored name is only ever served after the app's own
visibility check.
"""

from __future__ import annotations

import io
import os
import secrets
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import pgettext
from PIL import Image, ImageOps, UnidentifiedImageError

UPLOADS_FOLDER = "uploads"
MAX_IMAGE_PIXELS = 40_000_000  # about 7,300 × 5,500: more than any phone photo, less than a bomb

# Pillow's own guard, raised to an error at our limit: an image that passes it still gets our
# kind message first, since we read the size before decoding anything.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# (magic bytes at offset 0, extra check) → type. Only what the content says counts: never the file
# name nor the type the browser claims.
JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGE_TYPES = (JPEG, PNG, WEBP)
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}


class UploadRefusedError(ValueError):
    """A file we will not keep; ``str(error)`` is a kind, translated message for the person."""


def max_bytes() -> int:
    return int(getattr(settings, "ENTRAIDE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file show, among the ones we accept; ``None`` otherwise."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def read_limited(file: IO[bytes]) -> bytes:
    """The whole upload, refused as soon as it is over the size limit (never read further)."""
    limit = max_bytes()
    data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadRefusedError(
            pgettext("upload", "This file is over %(size)s MB: please send a smaller one.")
            % {"size": limit // (1024 * 1024)}
        )
    return bytes(data)


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded by Pillow: no metadata (EXIF, GPS, comments) survives."""

    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def clean_image(file: IO[bytes]) -> CleanImage:
    """Check and re-encode an uploaded image (JPEG, PNG or WebP, sniffed from its content).

    Raises ``UploadRefusedError`` with a kind message for anything else: too big, not an image we take,
    too many pixels (checked from the header, before decoding), or damaged.
    """
    data = read_limited(file)
    kind = sniff(data[:16])
    if kind not in IMAGE_TYPES:
        raise UploadRefusedError(pgettext("upload", "Send a photo or a picture in JPEG, PNG or WebP format."))
    damaged = UploadRefusedError(pgettext("upload", "This image could not be read: it may be damaged."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]])
            # Image.open reads the header only: the size is known, nothing is decoded yet.
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise _too_large()
            opened.load()
            image = ImageOps.exif_transpose(opened)  # keep the photo upright once EXIF is gone
    except UploadRefusedError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise damaged from None
    return _encode(image, kind)


def _too_large() -> UploadRefusedError:
    return UploadRefusedError(
        pgettext(
            "upload",
            "This image is very large (over 40 megapixels): please send a smaller version of it.",
        )
    )


def _encode(image: Image.Image, kind: str) -> CleanImage:
    """A new file from the pixels alone: Pillow writes no EXIF, XMP or ICC data unless asked."""
    out = io.BytesIO()
    if kind == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    elif kind == PNG:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85)
    return CleanImage(out.getvalue(), kind, image.width, image.height)


def uploads_root() -> Path:
    """``DATA_DIR/uploads`` (settings.MEDIA_ROOT), created by ``core.datadir.prepare``."""
    return Path(settings.DATA_DIR) / UPLOADS_FOLDER


def _path_of(name: str) -> Path:
    root = uploads_root().resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError("a stored name stays inside the uploads folder")
    return path


def store(data: bytes, *, folder: str, extension: str) -> str:
    """Write ``data`` under ``uploads/<folder>/`` with a random name; return the stored name
    (relative to the uploads folder), which the app keeps in its row."""
    if not folder.isidentifier() or not extension.isalnum():
        raise ValueError("folder and extension are plain words")
    directory = uploads_root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{folder}/{uuid.uuid4().hex}.{extension}"
    path = _path_of(name)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return name


def read(name: str) -> bytes:
    return _path_of(name).read_bytes()


def remove(name: str) -> None:
    _path_of(name).unlink(missing_ok=True)


def file_response(data: bytes, *, content_type: str) -> HttpResponse:
    """A stored file as a response no browser will run or sniff: ``nosniff``, and a sandboxed
    policy that loads nothing, so that even a file opened on its own address is inert."""
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Content-Length"] = str(len(data))
    if content_type not in IMAGE_TYPES:
        response["Content-Disposition"] = "attachment"
    return response
