"""Every page of the page walker (tests/project/pages.py) on a small phone, in real Chromium against the
real `entraide serve`: nothing scrolls sideways at 320 CSS px (WCAG 1.4.10), nor at 1280 px zoomed to
200 % (640 CSS px); a table wider than the screen scrolls inside its own region, which takes the
keyboard focus. On the forms a tired person fills in on a phone (check-in, questionnaire, safety plan),
every visible control and button is at least 44 x 44 px (a box or a round button counts with its
label) and typed fields use the page's font.

One server, seeded once with the rows the walker's sample URLs point to (tests/project/test_pages.py),
and one browser context per audience, reused for every page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.support import axe_report
from tests.processes import Server, kill_group, run_entraide, start_server

pytestmark = [pytest.mark.browser, pytest.mark.serve]

PHONE = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}  # a 1280 x 800 screen at 200 %
SMALLEST_TARGET = 44  # px: our own choice for phones, beyond WCAG 2.1 AA
PHONE_FORMS = {
    "check-in": "/journal/point/nouveau/",
    "questionnaire": "/questionnaires/phq9/repondre/",
    "safety plan": "/securite/modifier/",
}

# Run inside the server's data directory: the instance set up, its administrator (second factor and
# consents done), the rows the walker's sample URLs point to, and a logged-in session for the browser.
SEED = """
import json
from django.conf import settings
from django.test import Client
from conftest import PASSWORD, enrol_totp
from entraide.accounts.services import create_administrator, record_signup_consents
from entraide.core import instance, services
from tests.project.pages import fill, walk
from tests.project.test_pages import SKIP_NAMES, create_people_samples

services.complete_setup(instance.load_settings())
admin = create_administrator(email="admin@example.org", pseudonym="Alix", password=PASSWORD)
record_signup_consents(admin, language="fr")
enrol_totp(admin)
create_people_samples(admin)
services.publish_legal_document(
    kind="privacy", language="fr", body="## Texte\\n\\nPremière version.", change_summary="",
    base_version=0, by=admin,
)
client = Client()
client.force_login(admin)
print("SEED" + json.dumps({
    "cookie": {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value},
    "urls": [fill(route) for route in walk() if route.name not in SKIP_NAMES | {"setup"}],
}))
"""

# What scrolls sideways, and the innermost elements sticking out (to say what to fix).
WIDTH = """() => {
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right <= innerWidth + 0.5) continue;
    if ([...el.children].some((c) => c.getBoundingClientRect().right > innerWidth + 0.5)) continue;
    if (el.closest('.table-scroll')) continue;
    sticking.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(right)} px)`);
  }
  return {scroll: document.documentElement.scrollWidth, inner: innerWidth, sticking: sticking.slice(0, 4)};
}"""

# Regions that scroll sideways without being reachable by the keyboard (axe: scrollable-region-focusable).
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter((el) => {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
    && el.tabIndex < 0 && !el.querySelector('a[href], button, input, select, textarea, [tabindex]');
}).map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""

# Visible controls smaller than a finger, or in another font than the page's. A box or a round button
# counts with its label; a control hidden under its label (the check-in's scale) counts as its label.
SMALL_CONTROLS = """(smallest) => {
  const font = getComputedStyle(document.body).fontSize;
  const found = [];
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, a.button, summary');
  for (const el of controls) {
    if (!el.checkVisibility()) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) {
        const l = label.getBoundingClientRect();
        const left = Math.min(l.left, box.left), right = Math.max(l.right, box.right);
        const top = Math.min(l.top, box.top), bottom = Math.max(l.bottom, box.bottom);
        box = {width: right - left, height: bottom - top};
      }
    }
    const name = `${el.tagName.toLowerCase()}${el.type ? `[${el.type}]` : ''}${el.id ? '#' + el.id : ''}`;
    if (box.width < smallest - 0.5 || box.height < smallest - 0.5) {
      found.push(`${name}: ${Math.round(box.width)} x ${Math.round(box.height)} px`);
    }
    const typed = el.matches('select, textarea, input:not([type=checkbox]):not([type=radio])');
    if (typed && getComputedStyle(el).fontSize !== font) {
      found.push(`${name}: font ${getComputedStyle(el).fontSize}, the page's is ${font}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, Any]]]:
    data_dir: Path = tmp_path_factory.mktemp("narrow") / "data"
    server = start_server(data_dir)
    try:
        done = run_entraide(data_dir, "manage", "shell", "-c", SEED)
        assert done.returncode == 0, done.stderr
        yield server, json.loads(done.stdout.split("SEED", 1)[1])
    finally:
        server.stop()
        kill_group(server.proc)


def context_for(
    browser: Browser, walked: tuple[Server, dict[str, Any]], who: str, viewport: dict[str, int]
) -> BrowserContext:
    server, seed = walked
    context = browser.new_context(
        viewport=viewport, locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}
    )
    context.set_default_timeout(10_000)
    if who == "admin":
        context.add_cookies([{**seed["cookie"], "url": server.base}])
    return context


def pages_of(context: BrowserContext, walked: tuple[Server, dict[str, Any]]) -> Iterator[tuple[str, Any]]:
    """(url, page) for every walker URL this person can open (200; redirects and POST-only routes are
    left out, as in tests/project/test_pages.py)."""
    server, seed = walked
    page = context.new_page()
    for url in seed["urls"]:
        if context.request.get(server.base + url, max_redirects=0).status != 200:
            continue
        page.goto(server.base + url)
        yield url, page


@pytest.mark.parametrize(
    ("who", "viewport"),
    [("anonymous", PHONE), ("admin", PHONE), ("admin", ZOOMED)],
    ids=["anonymous-320", "admin-320", "admin-1280-at-200"],
)
def test_no_page_scrolls_sideways(
    browser: Browser, walked: tuple[Server, dict[str, Any]], who: str, viewport: dict[str, int]
) -> None:
    context = context_for(browser, walked, who, viewport)
    problems, seen = [], 0
    try:
        for url, page in pages_of(context, walked):
            seen += 1
            width = page.evaluate(WIDTH)
            if width["scroll"] > width["inner"]:
                problems.append(f"{url}: {width['scroll']} px wide: {', '.join(width['sticking'])}")
            unreachable = page.evaluate(UNREACHABLE_SCROLLERS)
            if unreachable:
                problems.append(f"{url}: scrolls without keyboard focus: {', '.join(unreachable)}")
    finally:
        context.close()
    assert seen >= (10 if who == "anonymous" else 80), f"only {seen} pages opened"
    assert not problems, f"at {viewport['width']} px, as {who}:\n  " + "\n  ".join(problems)


def test_a_wide_table_scrolls_in_a_focusable_region(
    browser: Browser, walked: tuple[Server, dict[str, Any]]
) -> None:
    """The thought records' summary: axe's scrollable-region-focusable, named in issue 19."""
    from axe_playwright_python.sync_playwright import Axe

    server, _ = walked
    context = context_for(browser, walked, "admin", PHONE)
    try:
        page = context.new_page()
        page.goto(server.base + "/pensees/bilan/")
        region = page.locator(".table-scroll").first
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the sample table should be wide"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert page.locator(f"#{region.get_attribute('aria-labelledby')}").count() == 1, (
            "the region has no name"
        )
        results = Axe().run(page, options={"runOnly": ["scrollable-region-focusable", "aria-allowed-role"]})
        violations = results.response["violations"]
        assert not violations, axe_report(violations)
    finally:
        context.close()


@pytest.mark.parametrize("form", list(PHONE_FORMS), ids=list(PHONE_FORMS))
def test_phone_form_controls_are_a_finger_wide(
    browser: Browser, walked: tuple[Server, dict[str, Any]], form: str
) -> None:
    server, _ = walked
    context = context_for(browser, walked, "admin", PHONE)
    try:
        page = context.new_page()
        page.goto(server.base + PHONE_FORMS[form])
        page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
        small = page.evaluate(SMALL_CONTROLS, SMALLEST_TARGET)
    finally:
        context.close()
    assert not small, f"{form} form at 320 px:\n  " + "\n  ".join(small)
