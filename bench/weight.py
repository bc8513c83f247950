"""Page weight as a first visit costs it: every resource, compressed bytes over the wire, cold cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from playwright.sync_api import Browser, Request, sync_playwright

if TYPE_CHECKING:  # Playwright exports the type of add_cookies' argument from a private module only.
    from playwright._impl._api_structures import SetCookieParam

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 20_000


@dataclass
class PageWeight:
    url: str
    status: int | None = None
    final_path: str | None = None  # Where the browser ended: a logged-in page must not be the login.
    bytes: int = 0  # Response headers plus compressed bodies of every finished request.
    requests: int = 0
    other_hosts: list[str] = field(default_factory=list)  # Must stay empty: no third parties.
    failed: list[str] = field(default_factory=list)
    resources: dict[str, int] = field(default_factory=dict)  # Bytes per URL path, to see what weighs.


def weigh_pages(pages: list[tuple[str, dict[str, str]]]) -> list[PageWeight]:
    """Weigh each (url, request headers) page in turn, in one headless chromium."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            return [_weigh(browser, url, headers) for url, headers in pages]
        finally:
            browser.close()


def _weigh(browser: Browser, url: str, headers: dict[str, str]) -> PageWeight:
    # A new context per page: an empty cache, as on a first visit. The cookies (a logged-in
    # session) go into the browser's own jar, not into a header: a Cookie header would be sent
    # as is to every resource and ignore the cookies the page sets.
    extra = {name: value for name, value in headers.items() if name.lower() != "cookie"}
    context = browser.new_context(extra_http_headers=extra)
    cookies = [value for name, value in headers.items() if name.lower() == "cookie"]
    if cookies:
        context.add_cookies(_cookies(cookies[0], url))
    weight = PageWeight(url)
    host = urlparse(url).netloc
    try:
        page = context.new_page()
        page.on("request", lambda request: _check_host(weight, host, request))
        page.on("requestfinished", lambda request: _count(weight, request))
        page.on("requestfailed", lambda request: weight.failed.append(request.url))
        response = page.goto(url, wait_until="networkidle", timeout=PAGE_TIMEOUT_MS)
        # After redirects: the status and the address of the page the browser shows.
        weight.status = response.status if response else None
        weight.final_path = urlparse(page.url).path
    finally:
        context.close()
    return weight


def _cookies(header: str, url: str) -> list[SetCookieParam]:
    """ "a=1; b=2" as Playwright cookies for the whole site, as the server set them (path /).

    Not {"url": url}: Playwright would give them the page's directory as their path, and the
    requests the page makes elsewhere (htmx fetching /notifications/…) would go without them.
    """
    host = urlparse(url).hostname or ""
    found: list[SetCookieParam] = []
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name:
            found.append({"name": name, "value": value, "domain": host, "path": "/"})
    return found


def _is_network(request: Request) -> bool:
    return urlparse(request.url).scheme not in {"data", "blob", "about"}  # Those cost nothing.


def _check_host(weight: PageWeight, host: str, request: Request) -> None:
    # On "request", not "requestfinished": an attempt to reach a third party counts even if it fails.
    if _is_network(request) and urlparse(request.url).netloc != host:
        weight.other_hosts.append(request.url)


def _count(weight: PageWeight, request: Request) -> None:
    if _is_network(request):
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        weight.bytes += size
        weight.requests += 1
        path = urlparse(request.url).path
        weight.resources[path] = weight.resources.get(path, 0) + size
