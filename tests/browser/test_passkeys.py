"""Passkeys in real Chromium, with its virtual authenticator (the DevTools WebAuthn domain).

An administrator, who must have a second factor before anything else, adds a passkey instead of an
authenticator app, then logs out and back in with the passkey alone. Passkeys need JavaScript: without
it the login page offers no passkey button (and the password + TOTP path is there, see the journeys).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Response

from tests.browser.support import WatchedContext, check_page
from tests.processes import Server, run_entraide

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]
EMAIL = "sasha@example.org"
PASSPHRASE = "une phrase de passe solide 42"


def submit(page: Page, button: str) -> Response | None:
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    return navigation.value


def test_a_passkey_is_a_second_factor_and_logs_in_alone(served: Server, open_context: OpenContext) -> None:
    made = run_entraide(
        served.data_dir, "create-admin", "--email", EMAIL, "--pseudonym", "Sasha",
        ENTRAIDE_ADMIN_PASSWORD=PASSPHRASE,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # WebAuthn refuses IP addresses as a relying party: the browser speaks to "localhost".
    base = served.base.replace("127.0.0.1", "localhost")

    off = open_context(js=False)
    page = off.new_page()
    check_page(page, off, page.goto(base + "/compte/login/"), "login form", axe=False)
    assert not page.locator("#passkey_login").is_visible(), "a passkey button that cannot work"

    on = open_context(js=True)
    page = on.new_page()
    cdp = on.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    check_page(page, on, page.goto(base + "/compte/login/"), "login form", axe=True)
    assert page.locator("#passkey_login").is_visible()
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    submit(page, "main form button[type=submit]")
    assert urlparse(page.url).path == "/compte/2fa/totp/activate/", "an admin must enrol first"

    # Adding a passkey is enrolment too.
    response = page.goto(base + "/compte/2fa/webauthn/add/")
    check_page(page, on, response, "add a passkey", axe=True)
    page.fill("#id_name", "Ordinateur de l'association")
    page.check("#id_passwordless")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()  # the browser's WebAuthn ceremony, then the form
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    response = page.goto(base + "/compte/2fa/")
    assert urlparse(page.url).path in {"/compte/2fa/", "/compte/accord/"}
    if urlparse(page.url).path == "/compte/accord/":  # an administrator agrees to the terms like anyone
        page.check("#id_terms")
        page.check("#id_health_data")
        submit(page, "main form.narrow button[type=submit]")
        response = page.goto(base + "/compte/2fa/")
    check_page(page, on, response, "two-step login with a passkey", axe=True)
    assert (
        page.get_by_text("Ordinateur de l'association").count() >= 1
        or page.locator('a[href="/compte/2fa/webauthn/"]').count() == 1
    )

    submit(page, '.site-header form[action="/compte/logout/"] button[type=submit]')
    assert page.locator('.site-header a[href="/compte/login/"]').is_visible()

    # Back with the passkey alone: no password, no code.
    page.goto(base + "/compte/login/")
    with page.expect_navigation():
        page.locator("#passkey_login").click()
    response = page.goto(base + "/compte/2fa/")
    assert urlparse(page.url).path == "/compte/2fa/", "the passkey did not log in"
    check_page(page, on, response, "two-step login after a passkey login", axe=True)
    assert page.locator('.site-header form[action="/compte/logout/"]').count() == 1
