"""A PHQ-9 in real Chromium against the real `entraide serve`, JavaScript off then on.

On a 320 px wide screen, the person answers a PHQ-9 without JavaScript (a missing answer first: the form comes back with an
error summary and every answer kept), sees the result with its meaning and that a questionnaire is
not a diagnosis. Then a PHQ-9 with item 9 above 0 lands on the crisis screen, which shows their
safety plan; a crisis moment is recorded. Every page: one <h1>, no CSP violation, console error or
foreign request; axe with JavaScript on.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.support import WatchedContext, check_page, path_of, submit
from tests.processes import Server, run_entraide

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]
NARROW = {"width": 320, "height": 640}
EMAIL = "noa@example.org"
PASSPHRASE = "une phrase de passe solide 42"
RESPOND = "/questionnaires/phq9/repondre/"
CRISIS = "/securite/crise/"
ITEM9 = "Penser qu'il vaudrait mieux mourir ou envisager de vous faire du mal d'une manière ou d'une autre"

MAKE_PERSON = f"""
from allauth.account.models import EmailAddress
from entraide.accounts.models import User
from entraide.accounts.services import record_signup_consents
from entraide.safety.tests.factories import make_plan
user = User.objects.create_user({EMAIL!r}, {PASSPHRASE!r}, pseudonym="Noa", time_zone="Europe/Paris")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
record_signup_consents(user, language="fr")
make_plan(user)
"""
COUNTS = (
    "from entraide.assessments.models import QuestionnaireResponse as R; "
    "from entraide.safety.models import CrisisMoment as M; "
    "print('responses', R.objects.count(), 'crisis', sum(r.crisis for r in R.objects.all()), "
    "'moments', M.objects.count())"
)


def manage(served: Server, code: str) -> str:
    done = run_entraide(served.data_dir, "manage", "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    return done.stdout


def log_in(page: Page, watched: WatchedContext, base: str) -> None:
    page.goto(base + "/compte/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    submit(page)
    assert path_of(page) != "/compte/login/", "the login failed"
    watched.watch.check("login")


def answer(page: Page, values: list[int | None], difficulty: int | None) -> None:
    for n, value in enumerate(values, start=1):
        if value is not None:
            page.locator(f"input[name=item_{n}][value='{value}']").check()
    if difficulty is not None:
        page.locator(f"input[name=difficulty][value='{difficulty}']").check()


def phq9(served: Server, watched: WatchedContext) -> None:
    page = watched.new_page()
    axe = watched.js
    log_in(page, watched, served.base)
    check_page(page, watched, page.goto(served.base + RESPOND), "PHQ-9 form", axe=axe)
    assert page.locator("legend", has_text=ITEM9).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "scrolls sideways"

    # One answer missing: the form comes back, nothing lost.
    answer(page, [1, 2, 0, None, 1, 0, 1, 0, 0], 1)
    response = submit(page)
    check_page(page, watched, response, "PHQ-9 form with an answer missing", axe=axe)
    assert path_of(page) == RESPOND
    assert page.locator(".error-summary a[href='#id_item_4_0']").is_visible()
    assert page.locator("input[name=item_2][value='2']").is_checked()
    assert page.locator("input[name=difficulty][value='1']").is_checked()

    page.locator("input[name=item_4][value='3']").check()
    response = submit(page)
    check_page(page, watched, response, "PHQ-9 result", axe=axe)
    assert path_of(page).startswith("/questionnaires/reponse/")
    main = page.locator("main").inner_text()
    assert "8" in page.locator(".result__score").inner_text() and "27" in main
    assert page.locator(".notice").first.is_visible()  # a questionnaire is not a diagnosis
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "scrolls sideways"

    # Item 9 above 0: the crisis screen, with the person's safety plan.
    page.goto(served.base + RESPOND)
    answer(page, [1, 1, 1, 1, 0, 1, 0, 0, 1], 2)
    response = submit(page)
    check_page(page, watched, response, "crisis screen after a PHQ-9", axe=axe)
    assert path_of(page) == CRISIS
    assert page.locator(".plan-steps").is_visible()
    assert page.get_by_text("Prendre une douche chaude, longtemps").is_visible()


def test_phq9_without_then_with_javascript_and_item_9_leads_to_the_crisis_screen(
    served: Server, open_context: OpenContext
) -> None:
    manage(served, MAKE_PERSON)
    phq9(served, open_context(js=False, viewport=NARROW))
    phq9(served, open_context(js=True, viewport=NARROW))
    counts = manage(served, COUNTS)
    assert "responses 4 crisis 2 moments 2" in counts, counts
