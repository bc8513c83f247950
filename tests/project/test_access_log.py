"""The access log writes one line per request, whatever the request carries."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from entraide import server
from tests.processes import start_server

FORGED = "/x%0aPOST%20/compte/supprimer/%20200%20FORGED"


def test_escape_controls_keeps_a_line_on_one_line():
    assert server.escape_controls("/journal/") == "/journal/"
    assert server.escape_controls("/é café/") == "/é café/"
    assert server.escape_controls("/x\nPOST /y 200") == "/x\\x0aPOST /y 200"
    assert server.escape_controls("\r\t\x1b[2J\u2028\u202e") == "\\x0d\\x09\\x1b[2J\\u2028\\u202e"
    # A literal backslash cannot pass for an escape.
    assert server.escape_controls("/a\\x0ab") == "/a\\\\x0ab"


def test_access_logger_escapes_what_comes_from_the_request(caplog):
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", "%(m)s %(U)s %(s)s %({user-agent}i)s")
    logger = server.access_logger_class()(cfg)
    logger.access_log.propagate = True  # for caplog
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": FORGED,
        "PATH_INFO": "/x\nPOST /compte/supprimer/ 200 FORGED",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    request = SimpleNamespace(headers=[("USER-AGENT", "ua\r\nGET / 200")])
    response = SimpleNamespace(status="404 Not Found", headers=[], sent=0)
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(response, request, environ, timedelta(milliseconds=3))
    (line,) = [r.getMessage() for r in caplog.records if r.name == "gunicorn.access"]
    assert "\n" not in line and "\r" not in line
    assert line == "GET /x\\x0aPOST /compte/supprimer/ 200 FORGED 404 ua\\x0d\\x0aGET / 200"


@pytest.mark.serve
@pytest.mark.timeout(180)
def test_serve_writes_no_forged_line_in_the_access_log(tmp_path):
    served = start_server(tmp_path / "data", ENTRAIDE_ACCESS_LOG="1")
    try:
        status, _, _ = served.get(FORGED)
        assert status == 404
        served.get("/healthz")  # a later line: the forged request's line was written before it
    finally:
        served.stop(signal.SIGINT)
    lines = "".join(served.output).splitlines()
    assert any(line.startswith("GET /x\\x0aPOST /compte/supprimer/ 200 FORGED 404 ") for line in lines), lines
    assert not any(line.startswith("POST /compte/supprimer/") for line in lines), lines
