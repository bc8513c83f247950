"""Helpers for the browser journeys: watched contexts, page checks and axe-core.

Every context is watched: a console error (Chromium reports CSP violations there), an uncaught page error
or a request to another host than the server's fails the page being checked. Nothing is injected into the
pages, except axe-core when `axe_check` runs it — in JavaScript-on contexts only (with JavaScript off,
`axe.run` never settles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}  # localhost: WebAuthn refuses IP addresses
BLOCKING_IMPACTS = ("serious", "critical")
CRISIS_PATH = "/aide/"


def is_external(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname not in LOCAL_HOSTS


@dataclass
class Watch:
    """What went wrong in one browser context since the last `check`: (message, url) pairs."""

    problems: list[tuple[str, str]] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        text, url = message.text, message.location.get("url", "")
        if "Content Security Policy" in text:
            self.problems.append((f"CSP violation: {text}", url))
        elif message.type == "error":
            self.problems.append((f"console error: {text}", url))

    def on_page_error(self, error: Any) -> None:
        self.problems.append((f"uncaught page error: {error}", ""))

    def on_external(self, route: Route, request: Request) -> None:
        self.problems.append((f"request to another host: {request.method} {request.url}", request.url))
        route.abort()

    def check(self, where: str, *, document: Response | None = None) -> None:
        """Fail on anything seen since the last check. Chromium logs a document answered with an error
        status (a form sent back with its errors) as a console error: that one is expected."""
        problems, self.problems = self.problems, []
        if document is not None and document.status >= 400:
            expected = f"console error: Failed to load resource: the server responded with a status of {document.status} "
            problems = [p for p in problems if not (p[0].startswith(expected) and p[1] == document.url)]
        lines = [f"{text} ({url})" if url else text for text, url in problems]
        assert not lines, f"{where}:\n  " + "\n  ".join(lines)


@dataclass
class WatchedContext:
    context: BrowserContext
    watch: Watch
    js: bool

    @property
    def label(self) -> str:
        return "JavaScript on" if self.js else "JavaScript off"

    def new_page(self) -> Page:
        return self.context.new_page()


def axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def axe_check(page: Page, where: str) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found serious/critical violations on {where}:\n{axe_report(blocking)}"


def check_page(
    page: Page,
    watched: WatchedContext,
    response: Response | None,
    where: str,
    *,
    status: int = 200,
    axe: bool,
    lang: str = "fr",
) -> None:
    """What every page must offer: the expected status, one <h1>, the expected language (French unless
    told), the crisis link, no console error, CSP violation or foreign request — and, with JavaScript
    on, no serious axe violation."""
    where = f"{where} ({watched.label})"
    assert response is not None, f"{where}: no response"
    assert response.status == status, f"{where}: HTTP {response.status}, expected {status}"
    assert urlparse(response.url).hostname in LOCAL_HOSTS
    headings = page.locator("h1").count()
    assert headings == 1, f"{where}: {headings} <h1>, expected exactly one"
    page_lang = page.locator("html").get_attribute("lang")
    assert page_lang == lang, f"{where}: <html lang> is {page_lang}, expected {lang}"
    crisis = page.locator(f'a[href="{CRISIS_PATH}"]')
    assert crisis.count() >= 1 and crisis.first.is_visible(), f"{where}: no visible link to {CRISIS_PATH}"
    watched.watch.check(where, document=response)
    if axe:
        axe_check(page, where)
        watched.watch.check(f"{where}, after axe")


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def submit(page: Page, button: str = "main form button[type=submit]") -> Response | None:
    """Click a submit button and wait for the page it leads to (after redirects)."""
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    return navigation.value


def fill_setup_form(
    page: Page,
    *,
    name: str,
    admin_email: str,
    passphrase: str,
    signup_mode: str = "open",
    minimum_age: int = 16,
) -> None:
    """The first-visit form, filled in (not sent): the instance and its first administrator, Alix."""
    page.fill("#id_name", name)
    page.fill("#id_contact_email", "contact@example.org")
    page.select_option("#id_default_language", "fr")
    page.check(f'input[name="signup_mode"][value="{signup_mode}"]')
    page.fill("#id_minimum_age", str(minimum_age))
    page.fill("#id_admin_email", admin_email)
    page.fill("#id_admin_pseudonym", "Alix")
    page.fill("#id_password1", passphrase)
    page.fill("#id_password2", passphrase)
    page.check("#id_accept_terms")
