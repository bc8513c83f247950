"""The upload helper: types from the content, size and pixel limits, metadata removed, stored
under the data directory, served inert."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from entraide.core.content import uploads


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


def image_bytes(fmt: str, size: tuple[int, int] = (20, 10), **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # GPS IFD: a latitude
    return image_bytes("JPEG", exif=exif.tobytes())


@pytest.mark.parametrize(
    ("fmt", "kind"), [("JPEG", uploads.JPEG), ("PNG", uploads.PNG), ("WEBP", uploads.WEBP)]
)
def test_clean_image_accepts_jpeg_png_webp_by_their_content(fmt, kind):
    clean = uploads.clean_image(io.BytesIO(image_bytes(fmt)))
    assert clean.content_type == kind
    assert (clean.width, clean.height) == (20, 10)
    assert uploads.sniff(clean.data[:16]) == kind


def test_clean_image_drops_exif_and_gps():
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    clean = uploads.clean_image(io.BytesIO(original))
    assert b"PhoneMaker" not in clean.data
    assert b"Exif" not in clean.data
    assert not Image.open(io.BytesIO(clean.data)).getexif()


def test_clean_image_ignores_a_lying_name_and_refuses_what_is_not_an_image():
    with pytest.raises(uploads.UploadRefusedError, match="JPEG, PNG or WebP"):
        uploads.clean_image(io.BytesIO(b"<svg onload=alert(1)></svg>"))
    with pytest.raises(uploads.UploadRefusedError):
        uploads.clean_image(io.BytesIO(b"%PDF-1.7 not an image"))
    gif = image_bytes("GIF")
    with pytest.raises(uploads.UploadRefusedError):
        uploads.clean_image(io.BytesIO(gif))


def test_clean_image_refuses_a_damaged_file_kindly():
    with pytest.raises(uploads.UploadRefusedError, match="damaged"):
        uploads.clean_image(io.BytesIO(image_bytes("PNG")[:40]))


def test_clean_image_refuses_a_file_over_the_size_setting(settings):
    settings.ENTRAIDE_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(uploads.UploadRefusedError, match="over 1 MB"):
        uploads.clean_image(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024)))


def test_clean_image_refuses_too_many_pixels_before_decoding():
    """A PNG header announcing 10,000 × 10,000 pixels (100 MP) with no pixel data at all: refused
    from the header, with the kind message, never decoded."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(uploads.UploadRefusedError, match="40 megapixels"):
        uploads.clean_image(io.BytesIO(bomb))


def test_store_writes_under_the_data_dir_privately_and_reads_back(data_dir):
    name = uploads.store(b"abc", folder="community", extension="png")
    path = data_dir / "uploads" / name
    assert path.read_bytes() == b"abc"
    assert path.stat().st_mode & 0o077 == 0
    assert uploads.read(name) == b"abc"
    uploads.remove(name)
    assert not path.exists()


def test_stored_names_cannot_leave_the_uploads_folder():
    with pytest.raises(ValueError, match="inside"):
        uploads.read("../secret.key")
    with pytest.raises(ValueError, match="plain words"):
        uploads.store(b"x", folder="../x", extension="png")


def test_file_response_is_inert():
    response = uploads.file_response(b"x", content_type=uploads.PNG)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert uploads.file_response(b"%PDF-", content_type=uploads.PDF)["Content-Disposition"] == "attachment"


def test_prepare_creates_the_uploads_folder(data_dir):
    assert (data_dir / "uploads").is_dir()
