"""What the harness measures: later issues add their pages to SCENARIOS.

A scenario's path is either fixed or computed against the running server (hashed static files,
objects created for the run…). Budgets live here too, next to the page they constrain.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import http.cookiejar
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from bench.server import migrate, registered, serve_env

if TYPE_CHECKING:
    from bench.postgres import Postgres

# Real browsers always send one; without it the locale middleware makes an extra query.
ACCEPT_LANGUAGE = "fr-FR,fr;q=0.9"
BASE_HEADERS = {"Accept-Language": ACCEPT_LANGUAGE}

KB = 1000  # Budgets are in SI units: 1 KB = 1000 bytes, 1 MB = 1000 KB.
MB = 1000 * KB
PAGE_WEIGHT_BUDGET = 60 * KB  # Every page, all resources, compressed, cold cache.
PSS_BUDGET = 200 * MB  # The whole `entraide serve` tree, idle after the load.

PathSpec = str | Callable[[str], str]  # A path, or a function of the base URL returning one.
# Headers computed against the running server (a logged-in session's cookie…), with its data dir.
# A header named "X-Bench-<Name>" is not sent: it fills "{<name>}" in the body (lower case).
HeadersSpec = Callable[[str, Path], dict[str, str]]
# Data a scenario needs, put in the server's data dir before any scenario logs in; returns a line
# for the report. Must be idempotent: scenarios sharing data all call it.
PrepareSpec = Callable[[Path], str]


@dataclass(frozen=True)
class Scenario:
    name: str
    path: PathSpec
    headers: dict[str, str] = field(default_factory=dict)
    p95_budget_ratio: float | None = None  # p95 must stay under this multiple of baseline p95.
    p50_budget_ratio: float | None = None  # p50 must stay under this multiple of baseline p50.
    weigh: bool = True  # Page weight applies to pages, not to a static file on its own.
    weight_budget: int | None = None  # A tighter budget than PAGE_WEIGHT_BUDGET, in bytes.
    dynamic_headers: HeadersSpec | None = None
    method: str = "GET"
    # For a POST: form-encoded; "{csrf}" is replaced by the session's CSRF token (see HeadersSpec),
    # and "{nonce}" by wrk with a value unique to each request (bench/wrk.lua).
    body: str = ""
    # When set, only these statuses count as success, e.g. (302,) for a POST: a 200 would be the
    # form shown again with errors, nothing done.
    ok_statuses: tuple[int, ...] = ()
    prepare: PrepareSpec | None = None
    rows: str | None = None  # A table that must gain one row per request (a POST that creates).
    # p95 must stay under ``relative_p95_ratio`` times the p95 of the scenario named ``relative_to``
    # (same run): a page compared with its closest sibling rather than with the baseline.
    relative_to: str | None = None
    relative_p95_ratio: float | None = None
    connections: int | None = None  # wrk's connections when not bench.load's default (2)

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
# A fixed id, so that the pages of what the bench person shares have a known path.
BENCH_PERSON_ID = "00000000-0000-4000-8000-0000000be9c1"


def _manage_shell(data_dir: Path, script: str, timeout: float = 120) -> str:
    """Run Python in the server's environment (its settings, its data dir, the repository on the
    path, so that the script may import `bench.seed`); returns its stdout."""
    entraide = Path(sys.executable).parent / "entraide"
    env = serve_env(data_dir)
    done = subprocess.run(
        [str(entraide), "manage", "shell", "--no-imports", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"entraide manage shell failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return done.stdout


def _ensure_bench_person(data_dir: Path) -> None:
    """A set-up instance (as in production: the settings row exists) and a plain person (no role:
    no second factor) with a verified address and current consents."""
    script = (
        "from entraide.core import instance, services as core_services\n"
        "row = instance.load_settings()\n"
        "if row.setup_completed_at is None:\n"
        "    core_services.complete_setup(row)\n"
        "from allauth.account.models import EmailAddress\n"
        "from entraide.accounts.models import User\n"
        "from entraide.accounts.services import record_signup_consents\n"
        f"if not User.objects.filter(email='{BENCH_EMAIL}').exists():\n"
        f"    u = User.objects.create_user('{BENCH_EMAIL}', '{BENCH_PASSWORD}', pseudonym='Banc',"
        f" id='{BENCH_PERSON_ID}')\n"
        "    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)\n"
        "    record_signup_consents(u, language='fr')\n"
    )
    _manage_shell(data_dir, script)


_seeded: dict[tuple[Path, str], str] = {}


def _seed(data_dir: Path, module: str, what: str) -> str:
    """Run ``bench.<module>.main`` for the bench person once per data directory; its report line."""
    if (data_dir, module) not in _seeded:
        _ensure_bench_person(data_dir)
        started = time.monotonic()
        output = _manage_shell(
            data_dir, f"from bench.{module} import main; main({BENCH_EMAIL!r})", timeout=600
        )
        lines = [line for line in output.splitlines() if line.startswith("seed: ")]
        took = time.monotonic() - started
        _seeded[data_dir, module] = (
            f"{what} {lines[-1] if lines else output.strip()[-200:]} ({took:.1f} s with the Django start-up)"
        )
    return _seeded[data_dir, module]


def seed_journal(data_dir: Path) -> str:
    """The bench person with three years of check-ins and twenty indicators (bench/seed.py)."""
    return _seed(data_dir, "seed", "journal")


def seed_questionnaires(data_dir: Path) -> str:
    """The bench person with three years of fortnightly questionnaires (bench/seed_assessments.py)."""
    return _seed(data_dir, "seed_assessments", "questionnaires")


def seed_circle(data_dir: Path) -> str:
    """The bench person's check-ins (bench/seed.py), shared with a supporter who uses TOTP
    (bench/seed_circle.py)."""
    journal = seed_journal(data_dir)
    return f"{journal}; circle {_seed(data_dir, 'seed_circle', '')}"


def seed_community(data_dir: Path) -> str:
    """2,000 members, 20 spaces, 20,000 topics, 200,000 posts (bench/seed_community.py)."""
    return _seed(data_dir, "seed_community", "community")


def seed_community_template(pg: Postgres) -> str:
    """The template database's content on PostgreSQL (bench/postgres.py): migrated, then the
    community alone (bench/seed_community.py), in a data directory of its own; the processes
    exit before the database becomes a template, closing their connections."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="entraide-bench-seed-") as directory:
        data_dir = Path(directory)
        with registered(data_dir, pg):
            migrate(data_dir)
            output = _manage_shell(
                data_dir, "from bench.seed_community import seed_template; seed_template()", timeout=900
            )
    lines = [line.removeprefix("seed: ") for line in output.splitlines() if line.startswith("seed: ")]
    done = lines[-1] if lines else output.strip()[-200:]
    return f"migrations, {done} ({time.monotonic() - started:.1f} s in all)"


COMMUNITY_SPACE_SLUG = "banc-{:02d}"


def community_topic_id(space: int, n: int) -> str:
    """The fixed id of topic ``n`` (0-based) of space ``space`` (0-based) in the community seed;
    topic 0 of each space holds 50 posts and is the first of its space's list."""
    return f"00000000-0000-4000-8000-{space:04d}{n:08d}"


COMMUNITY_SPACE = f"/communaute/{COMMUNITY_SPACE_SLUG.format(1)}/"
COMMUNITY_TOPIC = f"{COMMUNITY_SPACE}{community_topic_id(0, 0)}/"
COMMUNITY_REPLY_TOPIC = f"{COMMUNITY_SPACE}{community_topic_id(0, 1)}/"


def _login_page(base_url: str) -> tuple[http.cookiejar.CookieJar, urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(f"{base_url}/compte/login/", headers=BASE_HEADERS)
    page = opener.open(request, timeout=10).read().decode()
    return jar, opener, _hidden_input(page, "csrfmiddlewaretoken", "the login page")


def _hidden_input(page: str, name: str, where: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    if not match:
        raise RuntimeError(f"{where} has no {name}")
    return html.unescape(match.group(1))


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def totp_now(secret: str, at: float | None = None) -> str:
    """The current TOTP code (RFC 6238: SHA-1, 6 digits, 30 s), as an authenticator app shows it."""
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


TOTP_PERIOD = 30
SECOND_FACTOR_PAGE = "/compte/2fa/authenticate/"


def log_in(
    base_url: str, email: str, password: str, totp_secret: str | None = None
) -> tuple[http.cookiejar.CookieJar, urllib.request.OpenerDirector]:
    """A session logged in as ``email``, through the login form and, for an account with a second
    factor, the code page: the code is computed from ``totp_secret``. allauth takes a code once,
    so a second login within the same 30 s waits for the next code."""
    jar, opener, token = _login_page(base_url)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    with opener.open(
        urllib.request.Request(f"{base_url}/compte/login/", data=body.encode(), headers=BASE_HEADERS),
        timeout=30,
    ) as response:
        landed, page = urllib.parse.urlparse(response.url).path, response.read().decode()
    for _attempt in range(3):
        if landed != SECOND_FACTOR_PAGE:
            break
        if totp_secret is None:
            raise RuntimeError(f"{email} has a second factor: give its TOTP secret")
        code = totp_now(totp_secret)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": _hidden_input(page, "csrfmiddlewaretoken", "the code page"), "code": code}
        )
        with opener.open(
            urllib.request.Request(base_url + SECOND_FACTOR_PAGE, data=form.encode(), headers=BASE_HEADERS),
            timeout=30,
        ) as response:
            landed, page = urllib.parse.urlparse(response.url).path, response.read().decode()
        if landed == SECOND_FACTOR_PAGE:  # this code was taken by an earlier login: the next one
            time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
    if landed in (SECOND_FACTOR_PAGE, "/compte/login/") or not any(c.name == "sessionid" for c in jar):
        raise RuntimeError(f"could not log {email} in (ended on {landed})")
    return jar, opener


def _log_in(base_url: str, data_dir: Path) -> tuple[http.cookiejar.CookieJar, urllib.request.OpenerDirector]:
    _ensure_bench_person(data_dir)
    return log_in(base_url, BENCH_EMAIL, BENCH_PASSWORD)


def logged_in_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """The cookie of a session logged in as the bench person."""
    jar, _ = _log_in(base_url, data_dir)
    return {"Cookie": _cookie_header(jar)}


def supporter_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """The cookie of a session of the supporter the bench person shares with (TOTP answered)."""
    from bench.seed_circle import SUPPORTER_EMAIL, SUPPORTER_PASSWORD, TOTP_SECRET

    jar, _ = log_in(base_url, SUPPORTER_EMAIL, SUPPORTER_PASSWORD, TOTP_SECRET)
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


CHECKIN_FORM = "/journal/point/nouveau/"
QUESTIONNAIRE_FORM = "/questionnaires/phq9/repondre/"


def _form_headers(base_url: str, data_dir: Path, path: str) -> dict[str, str]:
    """A logged-in person who opened the form at ``path`` once: cookies, CSRF token, and the signed
    half of its form token (`<nonce>.<signed account id>`, core/forms/formtokens.py), which wrk
    completes with a fresh nonce on every request."""
    jar, opener = _log_in(base_url, data_dir)
    request = urllib.request.Request(base_url + path, headers=BASE_HEADERS)
    with opener.open(request, timeout=10) as response:
        if urllib.parse.urlparse(response.url).path != path:
            raise RuntimeError(f"the form {path} redirected to {response.url}")
        page = response.read().decode()
    form_token = _hidden_input(page, "form_token", f"the form {path}")
    return {
        "Cookie": _cookie_header(jar),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Bench-Csrf": _hidden_input(page, "csrfmiddlewaretoken", f"the form {path}"),
        "X-Bench-Signed": urllib.parse.quote(form_token.partition(".")[2], safe=""),
    }


def checkin_form_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    return _form_headers(base_url, data_dir, CHECKIN_FORM)


def questionnaire_form_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    return _form_headers(base_url, data_dir, QUESTIONNAIRE_FORM)


def community_reply_headers(base_url: str, data_dir: Path) -> dict[str, str]:
    """The reply form sits at the bottom of the topic page; it posts to .../repondre/."""
    return _form_headers(base_url, data_dir, COMMUNITY_REPLY_TOPIC)


BASELINE = "baseline"

# The baseline comes first: the other scenarios' p50 or p95 is compared with it.
# Guardrails, re-based (issue 17, item 7): each is the median of the scenario's ratio in three full
# runs on a quiet 2-core machine (2026-12-07, commit eeb9676) plus 30 %, rounded up. They catch a
# regression (an N+1, a loop in a template), not tenths of a millisecond; the runs are in
# docs/performance.md. Pages are judged on p95, writes on p50 (their p95 follows the disk).
SCENARIOS: list[Scenario] = [
    Scenario(BASELINE, "/bench/baseline/"),
    Scenario("home (logged out)", "/", p95_budget_ratio=2.0),
    Scenario("crisis help /aide/", "/aide/", p95_budget_ratio=1.6, weight_budget=15 * KB),
    Scenario("static css", stylesheet_path, p95_budget_ratio=0.4, weigh=False),
    # Not weighed: the page is the logged-out one plus a few lines.
    Scenario("home (logged in)", "/", p95_budget_ratio=3.2, dynamic_headers=logged_in_headers, weigh=False),
    Scenario(
        "login POST",
        "/compte/login/",
        p50_budget_ratio=450.0,
        dynamic_headers=login_form_headers,
        method="POST",
        body="csrfmiddlewaretoken={csrf}&login=bench%40example.org&password="
        + BENCH_PASSWORD.replace(" ", "+"),
        ok_statuses=(302,),
        weigh=False,
    ),
    # Issue #6: a person with three years of daily check-ins and twenty indicators (bench/seed.py).
    Scenario(
        "check-in form",
        CHECKIN_FORM,
        p95_budget_ratio=15.7,
        weight_budget=20 * KB,
        dynamic_headers=logged_in_headers,
        prepare=seed_journal,
    ),
    Scenario(
        "today (3 years)",
        "/journal/",
        p95_budget_ratio=7.1,
        dynamic_headers=logged_in_headers,
        prepare=seed_journal,
    ),
    # Issue #7: the person's own overview, the trends over 365 days and the self-analysis.
    Scenario(
        "overview (3 years)",
        "/journal/apercu/",
        p95_budget_ratio=11.3,
        dynamic_headers=logged_in_headers,
        prepare=seed_journal,
    ),
    Scenario(
        "trends 365 days",
        "/journal/tendances/?periode=365",
        p95_budget_ratio=16.5,
        dynamic_headers=logged_in_headers,
        prepare=seed_journal,
    ),
    # Issue #20: the same trend as a supporter reads it through the consent gate (the gate, the
    # projection without private check-ins, the access event), within 1.5x of the person's own.
    Scenario(
        "supporter trends 365 days",
        f"/cercle/avec-moi/{BENCH_PERSON_ID}/suivi/?periode=365",
        # The owner's own trends page's guardrail: the gate must add nothing to speak of, which
        # relative_p95_ratio judges in the same run.
        p95_budget_ratio=16.5,
        dynamic_headers=supporter_headers,
        prepare=seed_circle,
        relative_to="trends 365 days",
        relative_p95_ratio=1.5,
    ),
    Scenario(
        "self-analysis",
        "/journal/comparer/?x=sleep&y=mood&decalage=1&periode=365",
        p95_budget_ratio=12.5,
        dynamic_headers=logged_in_headers,
        prepare=seed_journal,
    ),
    # Issue #8: the history of one questionnaire, three years of fortnightly responses.
    Scenario(
        "questionnaire history",
        "/questionnaires/phq9/",
        p95_budget_ratio=9.7,
        dynamic_headers=logged_in_headers,
        prepare=seed_questionnaires,
    ),
    # It adds a PHQ-9 response per request (item 9 at 0: no crisis moment); after the history.
    Scenario(
        "questionnaire submit",
        QUESTIONNAIRE_FORM,
        dynamic_headers=questionnaire_form_headers,
        method="POST",
        # The same answers every time: "yes, save it a second time" is already given (issue 19,
        # item 9), or every request after the first would be the question page.
        body="csrfmiddlewaretoken={csrf}&form_token={nonce}.{signed}&confirm_duplicate=1"
        "&item_1=1&item_2=2&item_3=1&item_4=2&item_5=0&item_6=1&item_7=1&item_8=0&item_9=0&difficulty=1",
        ok_statuses=(302,),
        p50_budget_ratio=6.9,
        weigh=False,
        prepare=seed_questionnaires,
        rows="assessments_questionnaireresponse",
    ),
    # Issue #21: the community at scale (bench/seed_community.py). Goal: ≥ 100 requests/s at 16
    # connections on the list and topic pages, each page under 60 KB on a first visit.
    Scenario(
        "community topic list (16 connections)",
        COMMUNITY_SPACE,
        p95_budget_ratio=60.1,
        connections=16,
        dynamic_headers=logged_in_headers,
        prepare=seed_community,
    ),
    Scenario(
        "community topic page, 50 posts (16 connections)",
        COMMUNITY_TOPIC,
        p95_budget_ratio=85.3,
        connections=16,
        dynamic_headers=logged_in_headers,
        prepare=seed_community,
    ),
    # The bench person's "Non lus": 400 topics with new posts (bench/seed_community.py), 30 a page.
    Scenario(
        "community unread list (16 connections)",
        "/communaute/non-lus/",
        connections=16,
        dynamic_headers=logged_in_headers,
        prepare=seed_community,
    ),
    # A reply per request, to another topic than the one measured above.
    Scenario(
        "community reply POST",
        f"{COMMUNITY_REPLY_TOPIC}repondre/",
        dynamic_headers=community_reply_headers,
        method="POST",
        body="csrfmiddlewaretoken={csrf}&form_token={nonce}.{signed}&body=Merci+pour+ce+message%2C+courage.",
        ok_statuses=(302,),
        p50_budget_ratio=9.2,
        weigh=False,
        prepare=seed_community,
        rows="community_post",
    ),
    # Last: it adds a check-in per request. A past moment, so that the today page stays as seeded;
    # a fresh nonce per request, or the dedupe path would answer (the harness counts the rows);
    # the nonce in the note too, so that each differs from the last one (compared, issue 19 item 9).
    Scenario(
        "check-in POST",
        CHECKIN_FORM,
        dynamic_headers=checkin_form_headers,
        method="POST",
        body="csrfmiddlewaretoken={csrf}&form_token={nonce}.{signed}"
        "&moment=2026-01-15T10%3A00&mood=6&emotions=calm&note={nonce}",
        ok_statuses=(302,),
        p50_budget_ratio=19.5,
        weigh=False,
        prepare=seed_journal,
        rows="journal_checkin",
    ),
]
