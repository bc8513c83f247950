"""The check-in on a small phone (360 x 640) in real Chromium against the real `entraide serve`.

The first check-in with JavaScript off, then with it on: mood and the save button are on screen
without scrolling, and mood plus one emotion take at most 4 interactions (counted). Then a check-in
typed while the session expires on the server: after logging in again, what was typed is back,
pre-filled and not saved until the person saves it. Every page: one <h1>, no CSP violation, console
error or foreign request; axe with JavaScript on.

On the smallest phone (320 x 640), and with its keyboard open (320 x 400), the save bar, the crisis
link and the buttons of every scale never cover one another: at load, with each scale scrolled to
the top or the bottom of the screen, and with each of its values focused.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.browser.support import WatchedContext, check_page, submit
from tests.processes import Server, run_entraide

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]
PHONE = {"width": 360, "height": 640}
SMALLEST_PHONES = ({"width": 320, "height": 640}, {"width": 320, "height": 400})
EMAIL = "lou@example.org"
PASSPHRASE = "une phrase de passe solide 42"
NEW = "/journal/point/nouveau/"
NOTE = "Une longue note écrite juste avant que la session expire."

MAKE_PERSON = f"""
from allauth.account.models import EmailAddress
from entraide.accounts.models import User
from entraide.accounts.services import record_signup_consents
user = User.objects.create_user({EMAIL!r}, {PASSPHRASE!r}, pseudonym="Lou", time_zone="Europe/Paris")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
record_signup_consents(user, language="fr")
"""
SCALE_INDICATOR = """
from entraide.journal.services import create_indicator
create_indicator(user, name="Douleur", kind="scale")
"""
END_SESSIONS = "from django.contrib.sessions.models import Session; Session.objects.all().delete()"
COUNT_CHECKINS = "from entraide.journal.models import Checkin; print('checkins', Checkin.objects.count())"


def manage(served: Server, code: str) -> str:
    done = run_entraide(served.data_dir, "manage", "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    return done.stdout


def log_in(page: Page, watched: WatchedContext, base: str, *, axe: bool) -> None:
    check_page(page, watched, page.goto(base + "/compte/login/"), "login form", axe=axe)
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    submit(page)


def on_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


class Counter:
    """Counts the person's interactions (clicks, key presses, fills)."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.locator(selector).click()


def first_checkin(served: Server, watched: WatchedContext, *, mood: str, emotion: str) -> None:
    page = watched.new_page()
    js = watched.js
    log_in(page, watched, served.base, axe=js)
    response = page.goto(served.base + NEW)
    check_page(page, watched, response, "check-in form", axe=js)
    assert on_screen(page, "fieldset:has(input[name=mood])"), "the mood must be visible without scrolling"
    assert on_screen(page, "main form button[type=submit]"), "a save button must be visible without scrolling"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form scrolls sideways ({width} px)"

    person = Counter(page)
    person.click(f"label.scale__option:has(input[name=mood][value='{mood}'])")
    person.click(f"label.chip:has(input[name=emotions][value='{emotion}'])")
    with page.expect_navigation() as navigation:
        person.click("main form button[type=submit]")
    assert person.count <= 4, f"{person.count} interactions for mood and one emotion"
    check_page(page, watched, navigation.value, "today after a check-in", axe=js)
    assert urlparse(page.url).path == "/journal/"
    assert page.locator(".message--success").is_visible()
    assert f"{mood}/10" in page.locator("main").inner_text()


def test_first_checkin_on_a_phone_without_then_with_javascript(
    served: Server, open_context: OpenContext
) -> None:
    manage(served, MAKE_PERSON)
    first_checkin(served, open_context(js=False, viewport=PHONE), mood="4", emotion="worry")
    first_checkin(served, open_context(js=True, viewport=PHONE), mood="7", emotion="calm")
    assert "checkins 2" in manage(served, COUNT_CHECKINS)


def form_without_javascript(
    served: Server, open_context: OpenContext, *, mood: str
) -> tuple[WatchedContext, Page]:
    """A new person, logged in on a phone without JavaScript, on the check-in form with a mood chosen."""
    manage(served, MAKE_PERSON)
    watched = open_context(js=False, viewport=PHONE)
    page = watched.new_page()
    log_in(page, watched, served.base, axe=False)
    page.goto(served.base + NEW)
    page.locator(f"label.scale__option:has(input[name=mood][value='{mood}'])").click()
    return watched, page


def test_checkin_typed_as_the_session_expires_is_kept(served: Server, open_context: OpenContext) -> None:
    watched, page = form_without_javascript(served, open_context, mood="3")
    page.locator("details.fold:has(textarea[name=note]) summary").click()
    page.fill("textarea[name=note]", NOTE)
    manage(served, END_SESSIONS)  # the session ends on the server while the person types

    response = submit(page)
    check_page(page, watched, response, "login after an expired session", axe=False)
    assert urlparse(page.url).path == "/compte/login/"
    assert "30 minutes" in page.locator(".messages").inner_text()
    assert "checkins 0" in manage(served, COUNT_CHECKINS)

    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    response = submit(page)
    check_page(page, watched, response, "the kept check-in", axe=False)
    assert urlparse(page.url).path == NEW
    assert page.locator("textarea[name=note]").input_value() == NOTE
    assert page.locator("input[name=mood][value='3']").is_checked()
    assert "checkins 0" in manage(served, COUNT_CHECKINS), "a kept form is never submitted on its own"

    submit(page)
    assert urlparse(page.url).path == "/journal/"
    assert NOTE in page.locator("main").inner_text()
    assert "checkins 1" in manage(served, COUNT_CHECKINS)


def test_a_second_tap_without_javascript_saves_once(served: Server, open_context: OpenContext) -> None:
    _watched, page = form_without_javascript(served, open_context, mood="5")
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    # A second tap while the first answer is on its way: the browser sends the form again. Each
    # answer is held 300 ms on the way (Chromium's network emulation): a fast server must not
    # answer the first tap before the second.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 300, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    box = page.locator("main form button[type=submit]").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)  # raw taps: Playwright's click would wait for the first navigation
    page.wait_for_timeout(30)
    page.mouse.click(x, y)  # the browser drops the first navigation and sends the form again
    for attempt in range(2):
        try:
            page.wait_for_url(lambda url: urlparse(url).path == "/journal/")
            break
        except PlaywrightError as exc:  # the dropped first navigation may end the first wait
            if "ERR_ABORTED" not in str(exc) or attempt:
                raise
    page.wait_for_load_state("load")
    # Both POSTs reach the two workers at once: whichever claims the token first saves, the other
    # answers "already saved", and the browser shows the answer to the second tap, either one.
    shown = page.locator(".messages").inner_text()
    assert "Votre point est enregistré." in shown or "déjà enregistré" in shown, shown
    assert len(posts) == 2, f"{len(posts)} POST(s) sent: the test did not submit twice"
    assert "checkins 1" in manage(served, COUNT_CHECKINS), "two POSTs of one form saved two check-ins"


# The boxes on screen now: the save bar, the crisis link, and the values of the scale ``name`` with
# the words at its ends; the pairs that overlap (less than a pixel is a rounding, not a cover). Other
# fields may pass under the sticky bar as the page scrolls: the one scrolled to may not.
OVERLAPS = """(name) => {
  const box = (el, label) => ({label, r: el.getBoundingClientRect()});
  const onScreen = ({r}) => r.bottom > 0 && r.top < innerHeight && r.width > 0;
  const bar = box(document.querySelector('.checkin-form__save'), 'save bar');
  const crisis = box(document.querySelector('.crisis-link a'), 'crisis link');
  const field = document.querySelector(`fieldset:has(input[name="${name}"])`);
  const values = [...field.querySelectorAll('.scale__option span')].map(
    (el) => box(el, `${name}=${el.previousElementSibling.value}`));
  const scale = [...values, ...[...field.querySelectorAll('.scale__ends')].map((el) => box(el, 'its ends'))];
  const cut = (a, b) => Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top) > 1
    && Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left) > 1;
  const found = [];
  for (const [a, b] of [[bar, crisis], ...scale.flatMap((s) => [[bar, s], [crisis, s]])]) {
    if (onScreen(a) && onScreen(b) && cut(a, b)) found.push(`${a.label} covers ${b.label}`);
  }
  const small = values.filter((s) => s.r.width < 44 || s.r.height < 44)
    .map((s) => `${s.label}: ${Math.round(s.r.width)} x ${Math.round(s.r.height)} px`);
  return {found, small, shown: values.filter(onScreen).length};
}"""


@pytest.mark.parametrize("viewport", SMALLEST_PHONES, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_save_bar_covers_no_scale_on_the_smallest_phone(
    served: Server, open_context: OpenContext, viewport: dict[str, int]
) -> None:
    manage(served, MAKE_PERSON + SCALE_INDICATOR)
    watched = open_context(js=True, viewport=viewport)
    page = watched.new_page()
    log_in(page, watched, served.base, axe=False)
    check_page(page, watched, page.goto(served.base + NEW), "check-in form", axe=False)

    def check(where: str, name: str, *, scale_shown: bool = True) -> None:
        seen = page.evaluate(OVERLAPS, name)
        assert not seen["found"], f"{viewport}, {where}: {seen['found']}"
        assert not seen["small"], f"{viewport}, {where}: scale values smaller than a thumb: {seen['small']}"
        assert seen["shown"] or not scale_shown, (
            f"{viewport}, {where}: no scale on screen, the test checked nothing"
        )

    check("at load", "mood", scale_shown=False)  # at 320 x 400 the mood is just below
    for summary in page.locator("form details.fold summary").all():
        summary.click()  # every section open: anxiety, energy and sleep quality are scales too
    scales = page.locator("fieldset:has(.scale)")
    assert scales.count() == 5, "mood, anxiety, energy, sleep quality and the scale indicator"
    for index in range(scales.count()):
        scale = scales.nth(index)
        name = str(scale.locator("input").first.get_attribute("name"))
        for block in ("start", "end"):
            scale.evaluate(f"(el) => el.scrollIntoView({{block: '{block}'}})")
            check(f"{name} scrolled to the {block} of the screen", name)
        for radio in scale.locator("input").all():
            page.evaluate("window.scrollTo(0, 0)")
            radio.focus()  # as with the Tab key: the browser scrolls the value into view
            check(f"{name}={radio.get_attribute('value')} focused", name)
    watched.watch.check("check-in form, scrolled")


def test_back_and_save_again_asks_before_a_second_copy(served: Server, open_context: OpenContext) -> None:
    """Issue 19, item 9: the browser fills the form in again after Back (with a fresh token); saving
    it asks first, and "no" leads to the check-in already saved."""
    manage(served, MAKE_PERSON)
    watched = open_context(js=True, viewport=PHONE)
    page = watched.new_page()
    log_in(page, watched, served.base, axe=False)
    page.goto(served.base + NEW)
    page.locator("label.scale__option:has(input[name=mood][value='6'])").click()
    page.locator("details.fold:has(textarea[name=note]) summary").click()
    page.fill("textarea[name=note]", NOTE)
    submit(page)
    assert urlparse(page.url).path == "/journal/"

    page.go_back()
    page.wait_for_load_state("load")
    assert urlparse(page.url).path == NEW
    if not page.locator("input[name=mood][value='6']").is_checked():  # not every browser restores it
        page.locator("label.scale__option:has(input[name=mood][value='6'])").click()
        page.locator("details.fold:has(textarea[name=note]) summary").click()
        page.fill("textarea[name=note]", NOTE)
    response = submit(page)
    check_page(page, watched, response, "save it a second time?", axe=True)
    assert "il y a moins d'une minute" in page.locator("h1").inner_text()
    assert "checkins 1" in manage(served, COUNT_CHECKINS)

    response = submit(page, "main form button[name=confirm_duplicate][value='0']")
    check_page(page, watched, response, "today, after saying no", axe=False)
    assert urlparse(page.url).path == "/journal/"
    assert "Rien n'a été enregistré une deuxième fois." in page.locator(".messages").inner_text()
    assert "checkins 1" in manage(served, COUNT_CHECKINS)
