"""Failed logins are limited across both gunicorn workers (the counts live in the shared cache)."""

import http.cookiejar
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.processes import run_entraide, start_server

pytestmark = [pytest.mark.serve, pytest.mark.timeout(180)]


def test_failed_logins_are_limited_across_workers(tmp_path):
    data = tmp_path / "data"
    assert run_entraide(data, "migrate").returncode == 0
    created = run_entraide(
        data,
        "create-admin",
        "--email",
        "alix@example.org",
        "--pseudonym",
        "Alix",
        ENTRAIDE_ADMIN_PASSWORD="une phrase de passe solide 42",
    )
    assert created.returncode == 0, created.stderr
    server = start_server(data)
    try:
        statuses, warned = [], []
        for _ in range(8):
            # A fresh browser each time: new connection, new cookies, any of the two workers.
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(server.base + "/compte/login/").read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "login": "alix@example.org", "password": "pas le bon"}
            ).encode()
            request = urllib.request.Request(
                server.base + "/compte/login/",
                data=body,
                headers={"Accept-Language": "fr", "Referer": server.base + "/compte/login/"},
            )
            try:
                response = opener.open(request)
                statuses.append(response.status)
                last = response.read().decode()
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
                last = exc.read().decode()
            warned.append("Trop de tentatives" in last)
        # allauth answers each refusal with the form and its error; after 5 failures for the
        # account, even from new browsers on either worker, the error says to wait.
        assert statuses == [200] * 8
        assert "error-summary" in last
        assert warned == [False] * 5 + [True] * 3
        # The counts are in the database cache that both workers share, not in a worker's memory.
        with sqlite3.connect(data / "entraide.sqlite3") as db:
            assert db.execute("SELECT count(*) FROM entraide_cache").fetchone()[0] > 0
    finally:
        server.stop()
