"""Smoke journeys in headless Chromium against the real `entraide serve`.

Every page visited: the expected status, exactly one <h1>, <html lang="fr">, a visible link to /aide/, no
console error, CSP violation, uncaught error or request to another host; with JavaScript on, axe-core
finds nothing serious or critical. The public pages are visited with JavaScript on and off, in a dark
colour scheme and at 320 px; the first visit (set-up, settings, help page, log out, log in) is made with
JavaScript off, and its pages are checked with axe with JavaScript on.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import totp_code
from tests.browser.support import WatchedContext, check_page, fill_setup_form, path_of, submit
from tests.processes import Server

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]

PUBLIC_PAGES = [
    "/",
    "/aide/",
    "/transparence/",
    "/accessibilite/",
    "/documents/confidentialite/",
    "/documents/conditions/",
    "/documents/mentions-legales/",
    "/documents/charte/",
]
SETTINGS_PATH = "/gestion/parametres/"
LOGIN_PATH = "/compte/login/"
LOGOUT_PATH = "/compte/logout/"
TOTP_ACTIVATE_PATH = "/compte/2fa/totp/activate/"
RECOVERY_CODES_PATH = "/compte/2fa/recovery-codes/"
MFA_AUTHENTICATE_PATH = "/compte/2fa/authenticate/"
CONSENT_PATH = "/compte/accord/"
ADMIN_EMAIL = "alix@example.org"
PASSPHRASE = "une phrase de passe solide 42"
NEW_NUMBER = "01 40 50 60 70"


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_public_pages(served: Server, open_context: OpenContext, js: bool) -> None:
    watched = open_context(js=js)
    page = watched.new_page()
    for path in PUBLIC_PAGES:
        response = page.goto(served.base + path)
        check_page(page, watched, response, path, axe=js)


def test_dark_scheme_and_narrow_screen(served: Server, open_context: OpenContext) -> None:
    dark = open_context(color_scheme="dark")
    page = dark.new_page()
    for path in ("/", "/aide/", LOGIN_PATH):
        response = page.goto(served.base + path)
        check_page(page, dark, response, f"{path} in a dark colour scheme", axe=True)

    narrow = open_context(viewport={"width": 320, "height": 640})
    page = narrow.new_page()
    for path in [*PUBLIC_PAGES, LOGIN_PATH]:
        response = page.goto(served.base + path)
        where = f"{path} at 320 px"
        check_page(page, narrow, response, where, axe=path in ("/", "/aide/"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{where}: the page scrolls sideways ({width} px wide)"


def test_first_visit_journey(served: Server, open_context: OpenContext) -> None:
    setup_url = served.setup_url
    assert setup_url, "the server did not print its first-visit link:\n" + "".join(served.output)
    base = served.base

    # With JavaScript on, before anything exists: the set-up form, blank then with its errors.
    on = open_context(js=True)
    page = on.new_page()
    check_page(page, on, page.goto(setup_url), "set-up form", axe=True)
    response = submit(page)
    check_page(page, on, response, "set-up form with errors", status=400, axe=True)
    assert page.locator(".error-summary").is_visible()
    described_by = page.locator("#id_contact_email").get_attribute("aria-describedby") or ""
    assert "id_contact_email_error" in described_by.split(), "the error is not tied to its field"

    # The whole first visit with JavaScript off.
    off = open_context(js=False)
    page = off.new_page()
    check_page(page, off, page.goto(setup_url), "set-up form", axe=False)
    fill_setup_form(page, name="Entraide des Tilleuls", admin_email=ADMIN_EMAIL, passphrase=PASSPHRASE)
    response = submit(page)
    # An administrator protects the account with a second factor before anything else.
    assert path_of(page) == TOTP_ACTIVATE_PATH
    check_page(page, off, response, "second-factor enrolment after set-up", axe=False)
    assert page.locator("img.qr-code").count() == 1
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp_code(secret, margin=8))
    response = submit(page)
    assert path_of(page) == RECOVERY_CODES_PATH
    check_page(page, off, response, "recovery codes", axe=False)
    recovery_codes = page.input_value("#recovery_codes").split()
    assert len(recovery_codes) == 10

    # The terms were accepted on the set-up form; the health-data consent waits for the
    # administrator's own space, and is never asked on administration pages.
    response = page.goto(base + SETTINGS_PATH)
    assert path_of(page) == SETTINGS_PATH
    check_page(page, off, response, "instance settings after set-up", axe=False)
    assert page.locator(".site-name").inner_text() == "Entraide des Tilleuls"

    page.fill("#id_crisis-0-label", "Écoute des Tilleuls")
    page.fill("#id_crisis-0-number", NEW_NUMBER)
    response = submit(page, "#section-crisis form button[type=submit]")
    assert path_of(page) == SETTINGS_PATH
    check_page(page, off, response, "instance settings after saving the crisis numbers", axe=False)
    assert page.locator(".messages").is_visible()

    check_page(page, off, page.goto(base + "/aide/"), "help page with the new number", axe=False)
    numbers = page.locator(".crisis-numbers")
    assert numbers.get_by_text(NEW_NUMBER).is_visible()
    assert numbers.get_by_text("Écoute des Tilleuls").is_visible()
    assert numbers.locator('a[href="tel:0140506070"]').count() == 1

    # Their own space keeps health information: the health-data consent is asked there, the first time.
    response = page.goto(base + "/journal/")
    assert path_of(page) == CONSENT_PATH
    check_page(page, off, response, "health-data consent", axe=False)
    assert page.locator("h1").inner_text() == "Avant d'ouvrir votre espace personnel"
    assert page.locator("#id_terms").count() == 0
    page.check("#id_health_data")
    response = submit(page, "main form.narrow button[type=submit]")
    assert path_of(page) == "/journal/"
    check_page(page, off, response, "personal space after the consent", axe=False)

    # The help page is deliberately minimal (no menu: it is also served from a cached copy).
    check_page(page, off, page.goto(base + "/"), "home, logged in", axe=False)
    response = submit(page, f'.site-header form[action="{LOGOUT_PATH}"] button[type=submit]')
    assert path_of(page) == "/"
    check_page(page, off, response, "home after logging out", axe=False)
    assert page.locator(f'.site-header a[href="{LOGIN_PATH}"]').is_visible()
    response = page.goto(base + SETTINGS_PATH)
    assert path_of(page) == LOGIN_PATH, "the settings stayed reachable after logging out"

    check_page(page, off, response, "login form", axe=False)
    assert not page.is_checked("#id_remember"), "“Remember me” must be off by default"
    page.fill("#id_login", ADMIN_EMAIL)
    page.fill("#id_password", PASSPHRASE)
    response = submit(page)
    assert path_of(page) == MFA_AUTHENTICATE_PATH
    check_page(page, off, response, "second step of the login", axe=False)
    page.fill("#id_code", recovery_codes[0])
    response = submit(page, "main form button[type=submit]:not([form])")
    assert path_of(page) == SETTINGS_PATH
    check_page(page, off, response, "instance settings after logging in again", axe=False)

    # The same pages with JavaScript on, through axe: login, home and settings, then a settings error.
    page = on.new_page()
    check_page(page, on, page.goto(base + LOGIN_PATH), "login form", axe=True)
    page.fill("#id_login", ADMIN_EMAIL)
    page.fill("#id_password", PASSPHRASE + " oops")
    response = submit(page)
    # allauth answers a failed login with 200 (our own forms answer 400).
    check_page(page, on, response, "login form with an error", axe=True)
    assert page.locator(".error-summary").is_visible()
    page.fill("#id_password", PASSPHRASE)
    response = submit(page)
    assert path_of(page) == MFA_AUTHENTICATE_PATH
    check_page(page, on, response, "second step of the login", axe=True)
    page.fill("#id_code", recovery_codes[1])
    response = submit(page, "main form button[type=submit]:not([form])")
    assert path_of(page) == "/"
    check_page(page, on, response, "home, logged in", axe=True)
    check_page(page, on, page.goto(base + SETTINGS_PATH), "instance settings", axe=True)
    page.fill("#id_crisis-1-number", "not a number")
    response = submit(page, "#section-crisis form button[type=submit]")
    check_page(page, on, response, "instance settings with an error", status=400, axe=True)
    assert page.locator("#section-crisis .error-summary").is_visible()
