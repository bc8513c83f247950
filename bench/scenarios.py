"""What the harness measures: later issues add their pages to SCENARIOS.

A scenario's path is either fixed or computed against the running server (hashed static files,
objects created for the run…). Budgets live here too, next to the page they constrain.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Real browsers always send one; without it the locale middleware makes an extra query.
ACCEPT_LANGUAGE = "fr-FR,fr;q=0.9"
BASE_HEADERS = {"Accept-Language": ACCEPT_LANGUAGE}

KB = 1000  # Budgets are in SI units: 1 KB = 1000 bytes, 1 MB = 1000 KB.
MB = 1000 * KB
PAGE_WEIGHT_BUDGET = 60 * KB  # Every page, all resources, compressed, cold cache.
PSS_BUDGET = 200 * MB  # The whole `entraide serve` tree, idle after the load.

PathSpec = str | Callable[[str], str]  # A path, or a function of the base URL returning one.


@dataclass(frozen=True)
class Scenario:
    name: str
    path: PathSpec
    headers: dict[str, str] = field(default_factory=dict)
    p95_budget_ratio: float | None = None  # p95 must stay under this multiple of baseline p95.
    weigh: bool = True  # Page weight applies to pages, not to a static file on its own.
    weight_budget: int | None = None  # A tighter budget than PAGE_WEIGHT_BUDGET, in bytes.

    def resolve(self, base_url: str) -> str:
        return self.path if isinstance(self.path, str) else self.path(base_url)

    def request_headers(self) -> dict[str, str]:
        return {**BASE_HEADERS, **self.headers}


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


BASELINE = "baseline"

# The baseline comes first: the other scenarios' p95 is compared with it.
SCENARIOS: list[Scenario] = [
    Scenario(BASELINE, "/bench/baseline/"),
    Scenario("home (logged out)", "/", p95_budget_ratio=2.0),
    Scenario("crisis help /aide/", "/aide/", p95_budget_ratio=2.0, weight_budget=15 * KB),
    Scenario("static css", stylesheet_path, weigh=False),
]
