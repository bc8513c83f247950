"""Account journeys in headless Chromium against the real `entraide serve`, its mail delivered to a real
SMTP server (tests/smtp.py).

With JavaScript on: a newcomer signs up, confirms the address from the email, adds an authenticator
app, logs out and back in with the second step, switches to English, logs in from a second browser
(which is emailed as a new sign-in) and logs that browser out from the first. With JavaScript off: the
same path up to the second step of the login. Every page goes through `check_page` (axe with
JavaScript on); every email is checked for discretion.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlparse

import pyotp
import pytest
from playwright.sync_api import Page

from conftest import totp_code
from tests.browser.support import WatchedContext, check_page, fill_setup_form, path_of, submit
from tests.processes import Server
from tests.smtp import SMTPRecorder

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]

INSTANCE = "Entraide des Tilleuls"
MINIMUM_AGE = 16
ADMIN_EMAIL = "alix@example.org"
ADMIN_PASSPHRASE = "une phrase de passe solide 42"
PASSWORD = "trois mots faciles 77"
SIGNUP_PATH = "/compte/signup/"
VERIFICATION_SENT_PATH = "/compte/confirm-email/"
LOGIN_PATH = "/compte/login/"
LOGOUT_PATH = "/compte/logout/"
REAUTHENTICATE_PATH = "/compte/reauthenticate/"
TOTP_ACTIVATE_PATH = "/compte/2fa/totp/activate/"
RECOVERY_CODES_PATH = "/compte/2fa/recovery-codes/"
MFA_AUTHENTICATE_PATH = "/compte/2fa/authenticate/"
SESSIONS_PATH = "/compte/sessions/"
MFA_SUBMIT = "main form button[type=submit]:not([form])"  # not the "cancel" button of the step
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class AuthenticatorApp:
    """The person's phone: a fresh code each time. allauth accepts only the current 30-second window's
    code and refuses a spent one: when the current code is spent, wait for the next window."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.totp = pyotp.TOTP(secret)
        self.used: list[str] = []

    def fresh_code(self) -> str:
        code = totp_code(self.secret, margin=8)  # never one about to expire while the form is sent
        if code in self.used:
            time.sleep(self.totp.interval - time.time() % self.totp.interval + 0.5)
            code = totp_code(self.secret, margin=8)
        assert code not in self.used
        self.used.append(code)
        return code


def set_up_instance(served: Server, open_context: OpenContext) -> None:
    """The first visit, briefly (test_smoke_journey checks its pages): sign-up open from 16."""
    assert served.setup_url, "the server did not print its first-visit link:\n" + "".join(served.output)
    page = open_context(js=False).new_page()
    page.goto(served.setup_url)
    fill_setup_form(
        page, name=INSTANCE, admin_email=ADMIN_EMAIL, passphrase=ADMIN_PASSPHRASE, minimum_age=MINIMUM_AGE
    )
    submit(page)
    assert path_of(page) == TOTP_ACTIVATE_PATH, "the set-up did not go through"


def sign_up(page: Page, watched: WatchedContext, base: str, smtp: SMTPRecorder, *, email: str) -> None:
    """Sign up, then confirm the address from the email: logged in at the end."""
    axe = watched.js
    check_page(page, watched, page.goto(base + SIGNUP_PATH), "sign-up form", axe=axe)
    # The password rules describe the password field: a list, so they must not sit in a <p>.
    assert page.locator("#id_password1_helptext li").count() >= 3, "the password rules are lost"
    age = page.locator('label[for="id_age_declaration"]')
    assert age.inner_text() == f"J'ai au moins {MINIMUM_AGE} ans."

    page.fill("#id_email", email)
    page.fill("#id_pseudonym", "Sacha")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_accept_terms")
    page.check("#id_health_consent")
    response = submit(page)
    check_page(page, watched, response, "sign-up form without the age declaration", axe=axe)
    assert path_of(page) == SIGNUP_PATH
    assert page.locator(".error-summary").is_visible()
    error = page.locator("#id_age_declaration_error")
    assert error.inner_text() == f"Ce site est ouvert à partir de {MINIMUM_AGE} ans."
    assert not page.is_checked("#id_age_declaration")
    assert smtp.sent_to(email) == [], "an email left before the form was valid"

    page.check("#id_age_declaration")
    page.fill("#id_password1", PASSWORD)  # never sent back to the browser
    page.fill("#id_password2", PASSWORD)
    response = submit(page)
    assert path_of(page) == VERIFICATION_SENT_PATH
    check_page(page, watched, response, "“check your email” page", axe=axe)

    mail = smtp.wait_for(to=email)
    assert mail.subject == f"[{INSTANCE}] Confirmez votre adresse e-mail"
    links = mail.links(base + VERIFICATION_SENT_PATH)
    assert len(links) == 1, f"expected one confirmation link in:\n{mail.text}"
    response = page.goto(links[0])
    check_page(page, watched, response, "address confirmation", axe=axe)
    # Opening the link changes nothing (mail scanners open links): a button confirms.
    assert path_of(page) == urlparse(links[0]).path
    assert page.locator(f'.site-header a[href="{LOGIN_PATH}"]').is_visible(), "logged in by a GET"
    response = submit(page)
    assert path_of(page) == "/"
    check_page(page, watched, response, "home after confirming the address", axe=axe)
    assert page.locator(f'.site-header form[action="{LOGOUT_PATH}"]').is_visible()


def enrol_authenticator(page: Page, watched: WatchedContext, base: str) -> tuple[AuthenticatorApp, list[str]]:
    """Add an authenticator app; returns it and the recovery codes shown."""
    axe = watched.js
    response = page.goto(base + TOTP_ACTIVATE_PATH)
    # The email link proved the address, not the password: allauth asks for it before a second factor.
    assert path_of(page) == REAUTHENTICATE_PATH
    check_page(page, watched, response, "password confirmation", axe=axe)
    page.fill("#id_password", PASSWORD)
    response = submit(page)
    assert path_of(page) == TOTP_ACTIVATE_PATH
    check_page(page, watched, response, "authenticator app enrolment", axe=axe)
    qr_width = page.locator("img.qr-code").evaluate("img => img.complete ? img.naturalWidth : 0")
    assert qr_width > 0, "the QR code image does not load"
    app = AuthenticatorApp(page.input_value("#authenticator_secret"))
    page.fill("#id_code", totp_code(app.secret, margin=8))  # enrolment does not spend the code
    response = submit(page)
    assert path_of(page) == RECOVERY_CODES_PATH
    check_page(page, watched, response, "recovery codes", axe=axe)
    recovery_codes = page.input_value("#recovery_codes").split()
    assert len(recovery_codes) == 10
    return app, recovery_codes


def log_out(page: Page, watched: WatchedContext) -> None:
    response = submit(page, f'.site-header form[action="{LOGOUT_PATH}"] button[type=submit]')
    assert path_of(page) == "/"
    check_page(page, watched, response, "home after logging out", axe=watched.js)
    assert page.locator(f'.site-header a[href="{LOGIN_PATH}"]').is_visible()


def log_in(page: Page, watched: WatchedContext, base: str, *, email: str) -> None:
    """The first step of the login: on to the second."""
    check_page(page, watched, page.goto(base + LOGIN_PATH), "login form", axe=watched.js)
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    response = submit(page)
    assert path_of(page) == MFA_AUTHENTICATE_PATH
    check_page(page, watched, response, "second step of the login", axe=watched.js)


def assert_discreet(smtp: SMTPRecorder, base: str, *, to: str, secrets: list[str]) -> None:
    """Mail to one person: the instance named in the subject, links to this site only, no other
    address, no secret."""
    for mail in smtp.sent_to(to):
        where = f"email “{mail.subject}”"
        assert mail.to == (to,), f"{where}: sent to {mail.to}"
        assert mail.subject.startswith(f"[{INSTANCE}] "), f"{where}: the subject does not name the instance"
        urls = re.findall(r"https?://\S+", mail.text)
        assert all(url.startswith(base + "/") for url in urls), f"{where}: a link elsewhere: {urls}"
        others = set(EMAIL_ADDRESS.findall(mail.text)) - {to}
        assert not others, f"{where}: other addresses in the body: {others}"
        for secret in secrets:
            assert secret not in mail.text and secret not in mail.subject, f"{where}: a secret leaked"


def test_account_journey_with_javascript(
    served_with_mail: tuple[Server, SMTPRecorder], open_context: OpenContext
) -> None:
    served, smtp = served_with_mail
    base, email = served.base, "sacha@example.org"
    set_up_instance(served, open_context)

    first = open_context(js=True)
    page = first.new_page()
    sign_up(page, first, base, smtp, email=email)
    app, recovery_codes = enrol_authenticator(page, first, base)
    activated = smtp.wait_for(to=email, count=2)
    assert activated.subject == f"[{INSTANCE}] Application d'authentification activée"

    log_out(page, first)
    log_in(page, first, base, email=email)
    page.fill("#id_code", app.fresh_code())
    response = submit(page, MFA_SUBMIT)
    spent_at = time.monotonic()
    assert path_of(page) == "/"
    check_page(page, first, response, "home, logged in again", axe=True)
    # This browser is known: mail is sent synchronously, so a "new sign-in" email would be here already.
    assert len(smtp.sent_to(email)) == 2, [m.subject for m in smtp.sent_to(email)]

    response = submit(page, ".site-header button[name=language]")
    assert path_of(page) == "/"
    check_page(page, first, response, "home in English", axe=True, lang="en")
    assert page.locator(".site-header").get_by_role("button", name="Log out").is_visible()
    assert page.locator("#crisis-link").inner_text() == "Need help now?"

    # A second browser: the second step again, and a code already spent is refused (allauth remembers
    # it for its whole 30-second window): try it well within that window; then a recovery code.
    second = open_context(js=True)
    other = second.new_page()
    log_in(other, second, base, email=email)
    other.fill("#id_code", app.used[-1])
    response = submit(other, MFA_SUBMIT)
    elapsed = time.monotonic() - spent_at
    assert path_of(other) == MFA_AUTHENTICATE_PATH, f"a code spent {elapsed:.0f} s earlier logged in"
    check_page(other, second, response, "second step with a spent code", axe=True)
    assert other.locator(".error-summary").is_visible()
    other.fill("#id_code", recovery_codes[0])
    response = submit(other, MFA_SUBMIT)
    assert path_of(other) == "/"
    # The person chose English: it follows them to a new browser.
    check_page(other, second, response, "home in a second browser", axe=True, lang="en")
    signin = smtp.wait_for(to=email, count=3)  # in English, the language the person chose
    assert signin.subject == f"[{INSTANCE}] A new sign-in to your account"
    assert signin.links(base) == [base + "/compte/password/change/", base + SESSIONS_PATH]

    response = page.goto(base + SESSIONS_PATH)
    check_page(page, first, response, "sessions", axe=True, lang="en")
    sessions = page.locator("main table tbody tr")
    assert sessions.count() == 2
    response = submit(page)  # "Sign out other sessions"
    assert path_of(page) == SESSIONS_PATH
    check_page(page, first, response, "sessions after logging out the others", axe=True, lang="en")
    assert sessions.count() == 1

    response = other.goto(base + SESSIONS_PATH)
    assert path_of(other) == LOGIN_PATH, "the other browser is still logged in"
    check_page(other, second, response, "login form in the browser logged out from afar", axe=True)
    response = page.reload()
    assert path_of(page) == SESSIONS_PATH, "the first browser was logged out too"
    check_page(page, first, response, "sessions, still logged in", axe=True, lang="en")

    assert len(smtp.sent_to(email)) == 3, [m.subject for m in smtp.sent_to(email)]
    assert_discreet(smtp, base, to=email, secrets=[PASSWORD, app.secret, *recovery_codes])


def test_account_journey_without_javascript(
    served_with_mail: tuple[Server, SMTPRecorder], open_context: OpenContext
) -> None:
    served, smtp = served_with_mail
    base, email = served.base, "sasha@example.org"
    set_up_instance(served, open_context)

    off = open_context(js=False)
    page = off.new_page()
    sign_up(page, off, base, smtp, email=email)
    app, recovery_codes = enrol_authenticator(page, off, base)
    log_out(page, off)
    log_in(page, off, base, email=email)
    page.fill("#id_code", app.fresh_code())
    response = submit(page, MFA_SUBMIT)
    assert path_of(page) == "/"
    check_page(page, off, response, "home, logged in with the second step", axe=False)
    assert page.locator(f'.site-header form[action="{LOGOUT_PATH}"]').is_visible()

    assert len(smtp.sent_to(email)) == 2, [m.subject for m in smtp.sent_to(email)]
    assert_discreet(smtp, base, to=email, secrets=[PASSWORD, app.secret, *recovery_codes])
