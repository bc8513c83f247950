"""The community in real Chromium against the real `entraide serve` (issue 21, "Tests and measures").

Alex posts with a content warning. Bea sees it folded, opens it, says "je te soutiens" and reports
being worried about Alex, with JavaScript off; Alex then sees where to find help, without being told
of the report. Morgane, a moderator with a second factor, finds the worry first in the queue, takes
it, sends Alex the team's caring message and hides the message with a reason; Alex reads both in the
notification centre, signed by the team, with the crisis numbers and without the message's text.
Bea writes words of the crisis watch: her reply is published and the crisis numbers show at once.
Noa, a new member, supports a message with JavaScript on (htmx) and replies: the reply waits for
approval, nobody else sees it, and the queue lists it beside the watched reply.

Pages with JavaScript on go through axe; the reader's and the reporter's with JavaScript off. Every
wait is on a condition (a page, an element), never on time.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import CRISIS_PATH, WatchedContext, check_page, path_of, submit
from tests.browser.test_account_journey import ADMIN_EMAIL, PASSWORD, AuthenticatorApp, set_up_instance
from tests.browser.test_circle_journey import go, log_in
from tests.processes import Server, run_entraide

pytestmark = [pytest.mark.browser, pytest.mark.serve]

OpenContext = Callable[..., WatchedContext]
AUTHOR, READER, MODERATOR, NEWCOMER = (
    "alex@example.org",
    "bea@example.org",
    "morgane@example.org",
    "noa@example.org",
)
MODERATOR_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
SPACE = "quotidien"
WARNING = "parle de sommeil difficile"
BODY = "Je ne dors plus depuis trois semaines et je tourne en rond la nuit."
HELD_BODY = "Bonjour, je suis nouvelle ici et je me reconnais dans ce message."
WATCHED_BODY = "Certains soirs j'ai envie de mourir, je ne sais plus quoi faire."
HIDE_REASON = "Message masqué le temps de prendre des nouvelles."

SEED = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from entraide.accounts import invitations
from entraide.accounts.models import Role, User
from entraide.accounts.services import record_signup_consents
from entraide.community import services
from entraide.community.models import MemberStanding

def person(email, pseudonym, published):
    user = User.objects.create_user(email, {PASSWORD!r}, pseudonym=pseudonym, time_zone="Europe/Paris")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    record_signup_consents(user, language="fr")
    MemberStanding.objects.create(member=user, published_posts=published)
    return user

admin = User.objects.get(email={ADMIN_EMAIL!r})
person({AUTHOR!r}, "Alex", 5)
person({READER!r}, "Bea", 5)
person({NEWCOMER!r}, "Noa", 0)
morgane = person({MODERATOR!r}, "Morgane", 5)
invitations.grant_person_role(morgane, role=Role.MODERATOR, by=admin)
TOTP.activate(morgane, {MODERATOR_SECRET!r})
RecoveryCodes.activate(morgane)
services.create_space(
    admin, slug={SPACE!r}, title="Organisation du quotidien", description="", charter="", visibility="members"
)
"""


def seed(served: Server) -> None:
    done = run_entraide(served.data_dir, "manage", "shell", "-c", SEED)
    assert done.returncode == 0, done.stderr


def start_topic(
    page: Page, watched: WatchedContext, base: str, *, title: str, body: str, warning: str = ""
) -> str:
    go(page, watched, f"{base}/communaute/{SPACE}/nouveau-sujet/", "new topic form")
    page.fill("#id_title", title)
    page.fill("#id_body", body)
    if warning:
        page.fill("#id_content_warning", warning)
    check_page(page, watched, submit(page, "main form button[type=submit]"), "topic posted", axe=watched.js)
    return page.url.split("#")[0].split("?")[0]


def test_members_support_each_other_and_moderators_look_after_them(
    served: Server, open_context: OpenContext
) -> None:
    base = served.base
    set_up_instance(served, open_context)
    seed(served)

    # Alex opens a topic with a content warning (JavaScript on).
    writer = open_context(js=True)
    alex = writer.new_page()
    log_in(alex, writer, base, AUTHOR)
    topic = start_topic(alex, writer, base, title="Les nuits sont longues", body=BODY, warning=WARNING)
    assert topic.startswith(f"{base}/communaute/{SPACE}/"), topic

    # Bea (JavaScript off) sees it folded under its warning, opens it, and supports Alex.
    reading = open_context(js=False)
    bea = reading.new_page()
    log_in(bea, reading, base, READER)
    go(bea, reading, topic, "topic, as Bea")
    folded = bea.locator("article.post details.content-warning").first
    assert WARNING in folded.locator("summary").inner_text()
    assert not folded.locator(".post__body").is_visible(), "the warned message is not folded"
    folded.locator("summary").click()
    assert BODY in folded.locator(".post__body").inner_text()
    check_page(
        bea,
        reading,
        submit(bea, "article.post .post__actions form button[aria-pressed]"),
        "supported",
        axe=False,
    )
    assert path_of(bea) == path_of_url(topic)
    assert bea.locator("article.post .post__actions button[aria-pressed=true]").count() == 1
    assert "1" in bea.locator("article.post .support-count").first.inner_text()

    # She reports being worried about Alex.
    check_page(bea, reading, submit(bea, 'article.post a[href$="/signaler/"]'), "report form", axe=False)
    bea.check('input[name="about"][value="post"]')
    bea.check('input[name="reason"][value="danger"]')
    check_page(bea, reading, submit(bea, "main form button[type=submit]"), "report sent", axe=False)
    assert path_of(bea) == path_of_url(topic)
    assert "112" in bea.locator("main").inner_text()  # the thanks say who to call right now

    # Alex, on the topic, sees where to find help (nobody says someone reported them).
    text = go(alex, writer, topic, "topic, as Alex with an open worry")
    assert "signal" not in text.lower()
    assert alex.locator(f'main a[href="{CRISIS_PATH}"]').count() >= 1

    # Morgane (second factor, JavaScript on) finds the worry first in the queue and takes it.
    team = open_context(js=True)
    morgane = team.new_page()
    log_in(morgane, team, base, MODERATOR, AuthenticatorApp(MODERATOR_SECRET))
    go(morgane, team, base + "/gestion/moderation/", "moderation queue")
    first = morgane.locator("main .card-list > li").first
    assert "card--danger" in (first.get_attribute("class") or "")
    check_page(morgane, team, submit(morgane, "main .card-list > li >> nth=0 >> h2 a"), "case", axe=True)
    check_page(
        morgane, team, submit(morgane, 'main form[action$="/prendre/"] button'), "case taken", axe=True
    )
    assert "Vous vous en occupez" in morgane.locator("main").inner_text()

    # She sends Alex the team's caring message, then hides the message with a reason.
    sent = submit(morgane, 'main form[action$="/message-bienveillant/"] button')
    check_page(morgane, team, sent, "caring message sent", axe=True)
    morgane.check('input[name="action"][value="hide"]')
    morgane.fill("#id_reason", HIDE_REASON)
    check_page(
        morgane, team, submit(morgane, "main form[novalidate] .form-actions button"), "hidden", axe=True
    )
    go(bea, reading, topic, "topic after hiding, as Bea")
    assert BODY not in bea.locator("main").inner_text()

    # Alex is told, signed by the team, without the moderator's name; the caring message carries
    # the crisis numbers and never the text of the message.
    told = go(alex, writer, base + "/notifications/", "Alex's notifications")
    assert "Un message de l'équipe de modération" in told and "Nous pensons à vous" in told
    assert "Morgane" not in told and BODY not in told
    assert "3114" in told, told

    # Bea writes words of the crisis watch: published, and the crisis numbers show at once.
    go(bea, reading, topic, "topic, before a hard reply")
    bea.fill("#id_body", WATCHED_BODY)
    check_page(bea, reading, submit(bea, ".reply-form button[type=submit]"), "hard reply posted", axe=False)
    care = bea.locator("main .notice", has_text="3114")
    expect(care).to_have_count(1)
    assert care.locator(f'a[href="{CRISIS_PATH}"]').count() == 1
    assert WATCHED_BODY in bea.locator("main").inner_text()  # published, nothing removed
    assert "3114" not in go(bea, reading, topic, "topic, read again")  # shown once

    # Noa, a new member, replies: it waits for approval and Bea does not see it.
    newcomer = open_context(js=True)
    noa = newcomer.new_page()
    log_in(noa, newcomer, base, NEWCOMER)
    other = start_topic(
        alex, writer, base, title="Une idée pour les matins", body="Je commence par un verre d'eau."
    )
    go(noa, newcomer, other, "topic, as Noa")
    # With JavaScript on, "je te soutiens" swaps its button in place (htmx): no new page.
    noa.locator("article.post .post__actions button[aria-pressed]").first.click()
    expect(noa.locator("article.post .post__actions button[aria-pressed=true]")).to_have_count(1)
    assert path_of(noa) == path_of_url(other)
    newcomer.watch.check("support through htmx")
    noa.fill("#id_body", HELD_BODY)
    check_page(noa, newcomer, submit(noa, ".reply-form button[type=submit]"), "reply held", axe=True)
    assert "modérat" in noa.locator("main").inner_text()
    assert HELD_BODY not in go(bea, reading, other, "topic with a held reply, as Bea")
    go(morgane, team, base + "/gestion/moderation/", "queue with a held reply")
    queue = morgane.locator("main .card-list").inner_text()
    assert "En attente" in queue and "Veille" in queue  # Bea's hard reply waits to be read too


def path_of_url(url: str) -> str:
    return urlparse(url).path
