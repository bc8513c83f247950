"""Pages travel compressed to browsers that accept it; downloads are left as they are."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_are_compressed_for_browsers_that_accept_gzip():
    client = Client()
    plain = client.get("/aide/")
    packed = client.get("/aide/", headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_the_source_archive_is_not_compressed_twice():
    response = Client().get("/source.zip", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
