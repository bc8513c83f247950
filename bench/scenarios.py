"""What the harness measures: later issues add their pages to SCENARIOS.

A scenario's path is either fixed or computed against the running server (hashed static files,
objects created for the run…). Budgets live here too, next to the page they constrain.
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.server import serve_env

# Real browsers always send one; without it the locale middleware makes an extra query.
ACCEPT_LANGUAGE = "fr-FR,fr;q=0.9"
BASE_HEADERS = {"Accept-Language": ACCEPT_LANGUAGE}

KB = 1000  # Budgets are in SI units: 1 KB = 1000 bytes, 1 MB = 1000 KB.
MB = 1000 * KB
PAGE_WEIGHT_BUDGET = 60 * KB  # Every page, all resources, compressed, cold cache.
PSS_BUDGET = 200 * MB  # The whole `entraide serve` tree, idle after the load.

PathSpec = str | Callable[[str], str]  # A path, or a function of the base URL returning one.
# Headers computed against the running server (a logged-in session's cookie…), with its data dir.
HeadersSpec = Callable[[str, Path], dict[str, str]]


@dataclass(frozen=True)
class Scenario:
    name: str
    path: PathSpec
    headers: dict[str, str] = field(default_factory=dict)
    p95_budget_ratio: float | None = None  # p95 must stay under this multiple of baseline p95.
    weigh: bool = True  # Page weight applies to pages, not to a static file on its own.
    weight_budget: int | None = None  # A tighter budget than PAGE_WEIGHT_BUDGET, in bytes.
    dynamic_headers: HeadersSpec | None = None
    method: str = "GET"
    body: str = ""  # for a POST: form-encoded; "{csrf}" is replaced by the session's CSRF token
    ok_statuses: tuple[int, ...] = ()  # besides 2xx (a login answers with a redirect)

    def resolve(self, base_url: str) -> str:
        return self.path if isinstance(self.path, str) else self.path(base_url)

    def request_headers(self, base_url: str = "", data_dir: Path | None = None) -> dict[str, str]:
        extra = self.dynamic_headers(base_url, data_dir) if self.dynamic_headers and data_dir else {}
        return {**BASE_HEADERS, **self.headers, **extra}


def fetch_text(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> str:
    request = urllib.request.Request(url, headers={**BASE_HEADERS, **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


class _StylesheetFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.hrefs.append(str(values["href"]))


def stylesheet_path(base_url: str) -> str:
    """The hashed stylesheet URL, as the crisis help page links it (its hash changes with the CSS)."""
    finder = _StylesheetFinder()
    finder.feed(fetch_text(f"{base_url}/aide/"))
    if not finder.hrefs:
        raise RuntimeError("/aide/ links no stylesheet: cannot find the static file to measure")
    return finder.hrefs[0]


BENCH_EMAIL = "bench@example.org"
BENCH_PASSWORD = "une phrase de passe pour mesurer"  # noqa: S105 — a throwaway account in a temp dir


def _ensure_bench_person(data_dir: Path) -> None:
    """A plain person (no role: no second factor) with a verified address and current consents."""
    script = (
        "from allauth.account.models import EmailAddress\n"
        "from entraide.accounts.models import User\n"
        "from entraide.accounts.services import record_signup_consents\n"
        f"if not User.objects.filter(email='{BENCH_EMAIL}').exists():\n"
        f"    u = User.objects.create_user('{BENCH_EMAIL}', '{BENCH_PASSWORD}', pseudonym='Banc')\n"
        "    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)\n"
        "    record_signup_consents(u, language='fr')\n"
    )
    entraide = Path(sys.executable).parent / "entraide"
    subprocess.run(
        [str(entraide), "manage", "shell", "--no-imports", "-c", script],
        env=serve_env(data_dir),
        check=True,
        capture_output=True,
        timeout=120,
    )


def _login_page(base_url: str) -> tuple[http.cookiejar.CookieJar, urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(f"{base_url}/compte/login/", headers=BASE_HEADERS)
    page = opener.open(request, timeout=10).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("the login page has no CSRF token")
    return jar, opener, match.group(1)


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def logged_in_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """The cookie of a session logged in as the bench person."""
    _ensure_bench_person(data_dir)
    jar, opener, token = _login_page(base_url)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": BENCH_EMAIL, "password": BENCH_PASSWORD}
    )
    opener.open(
        urllib.request.Request(f"{base_url}/compte/login/", data=body.encode(), headers=BASE_HEADERS),
        timeout=30,
    )
    if not any(c.name == "sessionid" for c in jar):
        raise RuntimeError("could not log the bench person in")
    return {"Cookie": _cookie_header(jar)}


def login_form_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """A browser that opened the login page: its CSRF cookie, and the token for the body."""
    _ensure_bench_person(data_dir)
    jar, _, token = _login_page(base_url)
    return {
        "Cookie": _cookie_header(jar),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Bench-Csrf": token,
    }


BASELINE = "baseline"

# The baseline comes first: the other scenarios' p95 is compared with it.
SCENARIOS: list[Scenario] = [
    Scenario(BASELINE, "/bench/baseline/"),
    Scenario("home (logged out)", "/", p95_budget_ratio=2.0),
    Scenario("crisis help /aide/", "/aide/", p95_budget_ratio=2.0, weight_budget=15 * KB),
    Scenario("static css", stylesheet_path, weigh=False),
    # Not weighed: Chromium would need the session in its own cookie jar; the page is the
    # logged-out one plus a few lines.
    Scenario("home (logged in)", "/", p95_budget_ratio=3.0, dynamic_headers=logged_in_headers, weigh=False),
    Scenario(
        "login POST",
        "/compte/login/",
        dynamic_headers=login_form_headers,
        method="POST",
        body="csrfmiddlewaretoken={csrf}&login=bench%40example.org&password="
        + BENCH_PASSWORD.replace(" ", "+"),
        ok_statuses=(302,),
        weigh=False,
    ),
]
