"""Headless Debian Chromium for the browser journeys, through Playwright's sync API (no pytest-playwright).

One browser per session; each test opens its own watched contexts with `open_context` (see support.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.support import CHROMIUM_ARGS, Watch, WatchedContext, is_external


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_context(browser: Browser) -> Iterator[Callable[..., WatchedContext]]:
    """`open_context(js=True, **new_context_options)`: a French-speaking, watched browser context,
    closed at the end of the test."""
    opened: list[BrowserContext] = []

    def factory(*, js: bool = True, **options: Any) -> WatchedContext:
        context = browser.new_context(
            java_script_enabled=js,
            locale="fr-FR",
            extra_http_headers={"Accept-Language": "fr"},
            **options,
        )
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        opened.append(context)
        watch = Watch()
        context.on("console", watch.on_console)
        context.on("weberror", lambda web_error: watch.on_page_error(web_error.error))
        # Recorded, then aborted: a journey never reaches the outside world.
        context.route(is_external, watch.on_external)
        return WatchedContext(context, watch, js)

    yield factory
    for context in opened:
        context.close()
