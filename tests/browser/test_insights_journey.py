"""Seeing one's evolution in real Chromium against the real `entraide serve`: a demo person with
three years of data opens the trends (365 days), compares two measures and writes a thought
record from start to finish, with JavaScript off and on. Every page: one <h1>, no CSP violation
or foreign request; axe with JavaScript on."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.browser.support import WatchedContext, check_page, submit
from tests.processes import Server, run_entraide

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]


def demo_person(served: Server) -> tuple[str, str]:
    made = run_entraide(served.data_dir, "demo", "--people", "1", "--seed", "5")
    assert made.returncode == 0, made.stderr
    email, password = re.search(r"(\S+@demo\.invalid) / (\S+)", made.stdout).groups()
    return email, password


def log_in(page: Page, watched: WatchedContext, base: str, email: str, password: str) -> None:
    page.goto(base + "/compte/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    submit(page)


def trends_and_comparison(served: Server, watched: WatchedContext, email: str, password: str) -> None:
    page = watched.new_page()
    js = watched.js
    log_in(page, watched, served.base, email, password)

    check_page(page, watched, page.goto(served.base + "/journal/tendances/"), "trends", axe=js)
    page.check("input[name=periode][value='365']")
    page.select_option("#mesure", "sleep")
    response = submit(page, "main form.insight-form button[type=submit]")
    check_page(page, watched, response, "trends of sleep over 365 days", axe=js)
    summary = page.locator(".chart__summary").inner_text()
    assert "sommeil" in summary and "en moyenne" in summary, summary
    assert page.locator("svg.chart__svg path.chart__trend").count() == 1
    page.locator(".chart__data summary").click()
    assert page.locator(".chart__data tbody tr").count() >= 52  # weekly rows

    check_page(page, watched, page.goto(served.base + "/journal/comparer/"), "self-analysis", axe=js)
    page.select_option("#x", "sleep")
    page.select_option("#y", "mood")
    page.check("input[name=decalage][value='1']")
    response = submit(page, "main form.insight-form button[type=submit]")
    check_page(page, watched, response, "sleep and next-day mood", axe=js)
    result = page.locator("section.card").inner_text()
    assert "Le lendemain d'un jour avec sommeil au-dessus de" in result
    assert "Corrélation de rang de Spearman" in result and "pas pourquoi" in result
    assert urlparse(page.url).query.count("decalage=1") == 1


def thought_record(served: Server, watched: WatchedContext, email: str, password: str) -> None:
    """From the situation to the balanced thought, then a follow-up, then the insights."""
    page = watched.new_page()
    js = watched.js
    log_in(page, watched, served.base, email, password)
    check_page(page, watched, page.goto(served.base + "/pensees/nouvelle/"), "new thought record", axe=js)
    page.fill("textarea[name=situation]", "Réunion d'équipe, ma cheffe ne m'a pas dit bonjour.")
    page.fill("textarea[name=thought]", "Elle m'en veut, je vais perdre mon travail.")
    page.select_option("select[name=emotion_0]", "worry")
    page.fill("input[name=before_0]", "80")
    page.check("input[name=distortions][value=jumping_to_conclusions]")
    page.check("input[name=distortions][value=magnification]")
    page.fill("textarea[name=evidence_for]", "Elle est passée vite.")
    page.fill(
        "textarea[name=evidence_against]", "Elle m'a félicitée la semaine dernière ; elle était pressée."
    )
    page.fill(
        "textarea[name=balanced_thought]", "Elle était sans doute pressée ; rien ne dit qu'elle m'en veut."
    )
    page.fill("input[name=after_0]", "40")
    response = submit(page, "main form button[type=submit]")
    check_page(page, watched, response, "the thought record", axe=js)
    record_path = urlparse(page.url).path
    assert re.fullmatch(r"/pensees/[0-9a-f-]{36}/", record_path), record_path
    text = page.locator("main").inner_text()
    assert "80" in text and "40" in text and "Conclusions hâtives" in text

    check_page(page, watched, page.goto(served.base + record_path + "et-maintenant/"), "follow-up", axe=js)
    page.fill("textarea[name=note]", "On en a reparlé : tout va bien.")
    page.fill("input[name=intensity]", "10")
    submit(page, "main form button[type=submit]")
    assert "tout va bien" in page.locator("main").inner_text()

    check_page(page, watched, page.goto(served.base + "/pensees/bilan/"), "thought insights", axe=js)
    assert "Conclusions hâtives" in page.locator("main").inner_text()


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
def test_trends_self_analysis_and_a_thought_record(
    served: Server, open_context: OpenContext, js: bool
) -> None:
    email, password = demo_person(served)
    trends_and_comparison(served, open_context(js=js), email, password)
    thought_record(served, open_context(js=js), email, password)
