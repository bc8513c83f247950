"""The circle in real Chromium against the real `entraide serve`, its mail through real SMTP (issue 20,
"Tests and measures").

Camille invites someone close by email: Sacha signs up from the email, adds an authenticator app and
accepts. A peer helper created beforehand (Pascale, her role given by the administrator, a second
factor set up) accepts a second link with a code handed over in person. Camille shares check-ins
and the safety plan with Pascale for 90 days, previews what Pascale sees, and keeps one check-in
private; Pascale sees the trend without it, and the safety plan. Camille finds Pascale's looks in
"qui a vu quoi", pauses (Pascale sees the pause), resumes, then stops sharing: Pascale gets a 404.

The sharing form and the supporter's pages are used with JavaScript off; the other pages with
JavaScript on, through axe. Every wait is on a condition (a page, a mail), never on time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.support import WatchedContext, check_page, path_of, submit
from tests.browser.test_account_journey import (
    ADMIN_EMAIL,
    MFA_SUBMIT,
    PASSWORD,
    AuthenticatorApp,
    enrol_authenticator,
    set_up_instance,
)
from tests.processes import Server, run_entraide
from tests.smtp import SMTPRecorder

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]
OWNER = "camille@example.org"
RELATIVE = "sacha@example.org"
HELPER = "pascale@example.org"
HELPER_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PLAN_ITEM = "Je ne réponds plus aux messages"
SHARED_MINUTES, PRIVATE_MINUTES = "613", "787"  # a day's activity: the shared one, the private one

SEED = f"""
import datetime
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from entraide.accounts import invitations
from entraide.accounts.models import Role, User
from entraide.accounts.services import record_signup_consents
from entraide.journal.services import record_checkin
from entraide.safety.services import save_safety_plan

def person(email, pseudonym):
    user = User.objects.create_user(email, {PASSWORD!r}, pseudonym=pseudonym, time_zone="Europe/Paris")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    record_signup_consents(user, language="fr")
    return user

camille = person({OWNER!r}, "Camille")
pascale = person({HELPER!r}, "Pascale")
admin = User.objects.get(email={ADMIN_EMAIL!r})
invitations.grant_person_role(pascale, role=Role.PEER_HELPER, by=admin, adult_checked=True)
TOTP.activate(pascale, {HELPER_SECRET!r})
RecoveryCodes.activate(pascale)
now = timezone.now()
record_checkin(camille, moment=now - datetime.timedelta(days=1), values={{"mood": 6, "activity_minutes": {SHARED_MINUTES}}})
kept = record_checkin(camille, moment=now - datetime.timedelta(days=2), values={{"mood": 3, "activity_minutes": {PRIVATE_MINUTES}}})
save_safety_plan(camille, steps={{"warning_signs": [{PLAN_ITEM!r}]}})
print("camille", camille.pk)
print("kept", kept.pk)
"""


def seed(served: Server) -> dict[str, str]:
    done = run_entraide(served.data_dir, "manage", "shell", "-c", SEED)
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.split("\n") if line.count(" ") == 1)


def log_in(
    page: Page, watched: WatchedContext, base: str, email: str, app: AuthenticatorApp | None = None
) -> None:
    page.goto(base + "/compte/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    if app is not None:
        assert path_of(page) == "/compte/2fa/authenticate/"
        page.fill("#id_code", app.fresh_code())
        submit(page, MFA_SUBMIT)
    assert not path_of(page).startswith("/compte/"), f"the login of {email} failed: {page.url}"
    watched.watch.check(f"login of {email}")


def go(page: Page, watched: WatchedContext, url: str, where: str, *, status: int = 200) -> str:
    """Open a page, check it (axe with JavaScript on), and return its text."""
    check_page(page, watched, page.goto(url), where, status=status, axe=watched.js)
    return page.locator("main").inner_text()


def data_table(page: Page) -> str:
    """The chart's figures (in a closed <details>: read from the document, not the screen)."""
    return page.locator(".chart__data table").text_content() or ""


def test_a_person_brings_two_people_into_their_circle_and_stays_in_control(
    served_with_mail: tuple[Server, SMTPRecorder], open_context: OpenContext
) -> None:
    served, smtp = served_with_mail
    base = served.base
    set_up_instance(served, open_context)
    ids = seed(served)

    # Camille invites someone close by email (JavaScript on).
    owner = open_context(js=True)
    camille = owner.new_page()
    log_in(camille, owner, base, OWNER)
    assert camille.locator('.site-header a[href="/cercle/"]').is_visible(), "no “Mon cercle” in the menu"
    go(camille, owner, base + "/cercle/", "my circle")
    go(camille, owner, base + "/cercle/inviter/", "invite form")
    camille.check('input[name="kind"][value="relative"]')
    camille.check('input[name="how"][value="email"]')
    camille.fill("#id_email", RELATIVE)
    check_page(camille, owner, submit(camille), "invitation sent", axe=True)

    # Sacha signs up from the email, adds a second factor and accepts.
    mail = smtp.wait_for(to=RELATIVE)
    assert "Camille" in mail.text and "santé" not in mail.text.lower()
    (link,) = mail.links(base + "/cercle/invitation/")
    close = open_context(js=True)
    sacha = close.new_page()
    check_page(sacha, close, sacha.goto(link), "invitation, logged out", axe=True)
    assert path_of(sacha) == "/cercle/invitation/"
    check_page(sacha, close, submit(sacha, 'main a[href^="/compte/signup/"]'), "sign-up", axe=True)
    sacha.fill("#id_email", RELATIVE)
    sacha.fill("#id_pseudonym", "Sacha")
    sacha.fill("#id_password1", PASSWORD)
    sacha.fill("#id_password2", PASSWORD)
    for box in ("#id_accept_terms", "#id_health_consent", "#id_age_declaration"):
        if sacha.locator(box).count():
            sacha.check(box)
    submit(sacha)
    assert path_of(sacha) == "/compte/confirm-email/", f"the sign-up failed: {sacha.url}"
    confirm = smtp.wait_for(to=RELATIVE, count=2)
    (confirm_link,) = confirm.links(base + "/compte/confirm-email/")
    sacha.goto(confirm_link)
    submit(sacha)
    check_page(sacha, close, sacha.goto(link), "invitation, logged in", axe=True)  # the link works until used
    assert path_of(sacha) == "/cercle/invitation/"
    submit(sacha, 'main button[name="answer"][value="accept"]')
    assert path_of(sacha) in {"/compte/2fa/totp/activate/", "/compte/reauthenticate/"}
    enrol_authenticator(sacha, close, base)
    text = go(sacha, close, base + "/cercle/avec-moi/", "people who share with Sacha")
    assert "Camille" in text

    # Pascale, a peer helper with a second factor, accepts a second link by code (JavaScript off).
    go(camille, owner, base + "/cercle/inviter/", "invite form, again")
    camille.check('input[name="kind"][value="peer_helper"]')
    camille.check('input[name="how"][value="code"]')
    submit(camille)
    code = camille.locator(".invitation-code strong").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    helper = open_context(js=False)
    pascale = helper.new_page()
    log_in(pascale, helper, base, HELPER, AuthenticatorApp(HELPER_SECRET))
    go(pascale, helper, base + "/cercle/code/", "code form")
    pascale.fill("#id_code", code.lower().replace("-", " "))  # typed loosely
    check_page(pascale, helper, submit(pascale), "invitation by code", axe=False)
    submit(pascale, 'main button[name="answer"][value="accept"]')
    assert path_of(pascale) == "/cercle/avec-moi/"
    assert "Camille" in pascale.locator("main").inner_text()

    # Camille shares check-ins and the safety plan for 90 days, with JavaScript off.
    sharing = open_context(js=False)
    camille_off = sharing.new_page()
    log_in(camille_off, sharing, base, OWNER)
    go(camille_off, sharing, base + "/cercle/", "my circle (JavaScript off)")
    submit(camille_off, 'main a:has-text("Pascale")')
    link_url = camille_off.url
    check_page(camille_off, sharing, camille_off.goto(link_url), "link page", axe=False)
    form = 'main form:has(input[name="scope_checkins"])'
    for box in camille_off.locator(f'{form} input[name^="scope_"]').all():
        box.uncheck()
    camille_off.check("#id_scope_checkins")
    camille_off.check("#id_scope_safety_plan")
    assert camille_off.is_checked('input[name="until_choice"][value="days"]')  # 90 days, proposed
    check_page(camille_off, sharing, submit(camille_off, f"{form} button[type=submit]"), "shared", axe=False)
    assert camille_off.is_checked("#id_scope_checkins") and camille_off.is_checked("#id_scope_safety_plan")

    # She previews what Pascale sees (JavaScript on, axe), then keeps one check-in private.
    go(camille, owner, link_url, "link page (JavaScript on)")
    check_page(camille, owner, submit(camille, 'main a[href$="/apercu/"]'), "preview", axe=True)
    check_page(
        camille, owner, submit(camille, 'main a[href$="/apercu/suivi/"]'), "preview of the trend", axe=True
    )
    go(camille_off, sharing, f"{base}/journal/point/{ids['kept']}/", "the check-in to keep private")
    submit(camille_off, "main form.private-toggle button[type=submit]")
    sharing.watch.check("keeping it private")

    # Pascale sees the trend without the private check-in, and the safety plan (JavaScript off).
    person = f"{base}/cercle/avec-moi/{ids['camille']}"
    go(pascale, helper, f"{person}/suivi/?mesure=activity&periode=7", "Camille's trend")
    figures = data_table(pascale)
    assert SHARED_MINUTES in figures and PRIVATE_MINUTES not in figures, figures
    assert PLAN_ITEM in go(pascale, helper, f"{person}/plan-de-securite/", "Camille's safety plan")

    # Camille sees those looks in "qui a vu quoi".
    looks = go(camille, owner, base + "/cercle/qui-a-vu/", "who saw what")
    assert "Pascale" in looks

    # She pauses: Pascale sees the pause and nothing else; then she resumes.
    go(camille, owner, link_url, "link page, before the pause")
    submit(camille, 'main form[action$="/pause/"] button[type=submit]')
    assert "partage en pause" in go(pascale, helper, base + "/cercle/avec-moi/", "paused, as Pascale")
    go(pascale, helper, f"{person}/suivi/", "trend while paused", status=404)
    submit(camille, 'main form[action$="/pause/"] button[type=submit]')
    go(pascale, helper, f"{person}/suivi/", "trend after resuming")

    # She stops sharing (JavaScript off): Pascale's next request is a 404.
    check_page(camille_off, sharing, camille_off.goto(link_url), "link page, to stop sharing", axe=False)
    for box in camille_off.locator(f'{form} input[name^="scope_"]').all():
        box.uncheck()
    submit(camille_off, f"{form} button[type=submit]")
    go(pascale, helper, f"{person}/suivi/", "trend after revoking", status=404)
    go(pascale, helper, f"{person}/plan-de-securite/", "safety plan after revoking", status=404)
