"""The crisis-language watch: folding and matching, what posting does when it matches (published
or held, first in the queue, one open case), the block its author sees once after posting, the
moderators' page that edits the lists, and the caring message (only a moderator holding a case
of worry, once a day per person, never the post's text)."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import client_for, enrol_totp, make_user
from entraide.accounts.models import Role
from entraide.accounts.services import grant_role
from entraide.community import moderation, rules, services, watch
from entraide.community.models import (
    ActionKind,
    CaseKind,
    CaseStatus,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Status,
)
from entraide.community.tests.factories import make_space, make_topic, set_rules
from entraide.core import instance
from entraide.core.errors import InvalidValuesError
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
CRY = "Je n'en peux plus, je veux en finir."
SENTINEL = "SENTINELLE-veille-41"


def case_of(post) -> ModerationCase:
    return ModerationCase.objects.get(target_kind=services.POST_KIND, target_id=str(post.pk))


def form_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


# --- Folding and matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ME   TÛER!!", "me tuer"),
        ("mе tuеr", "me tuer"),  # Cyrillic е
        ("ΜΕ ΤUΕR", "me tuer"),  # Greek capitals
        ("mе τuеr", "me tuer"),  # Cyrillic е, Greek τ
        ("m3 tu3r", "me tuer"),
        ("su!c!de", "suicide"),
        ("$ca®ifier", "scarifier"),
        ("ＭＥ　ＴＵＥＲ", "me tuer"),  # fullwidth
        ("Je veux en fiiiiinir…", "je veux en finir"),
        ("J'ai PLUS envie de vivre", "j ai plus envie de vivre"),
        ("", ""),
    ],
)
def test_folding_ignores_case_accents_lookalikes_and_punctuation(text, folded):
    assert watch.fold(text) == folded


def test_phrases_match_whole_words_only():
    found = watch.compile_phrases(["me tuer", "tuer", "en finir"])
    assert found.matches("Parfois j'ai envie de ME   TÛER!!")
    assert found.matches("mе tuеr")  # Cyrillic е
    assert found.matches("Titre", "", "avertissement : en finir")  # any of the texts
    # Not across two texts: a title ending in "me", a body starting with "tuer".
    assert not watch.compile_phrases(["me tuer"]).matches("Un titre qui finit par me", "tuer le temps")
    assert not found.matches("C'est intuerable, un vrai tueur de temps.")
    assert not found.matches("On en finira demain")  # "finira" is another word
    assert not found.matches("")


def test_an_empty_list_matches_nothing():
    assert watch.compile_phrases([]).matches("je veux me tuer") is False
    assert watch.compile_phrases(["  ", "!!!"]).phrases == ()


def test_the_default_lists_catch_their_own_phrases_written_otherwise():
    found = watch.compile_phrases([*watch.DEFAULT_FR, *watch.DEFAULT_EN])
    for phrase in (*watch.DEFAULT_FR, *watch.DEFAULT_EN):
        assert found.matches(phrase.upper() + " !"), phrase
    assert found.matches("je pense à METTRE FIN A MES JOURS")
    assert found.matches("I just want to kill myself tonight")
    assert not found.matches("Bonne journée à tous, merci pour vos messages de soutien.")


def test_a_long_post_is_matched_quickly():
    phrases = [*watch.DEFAULT_FR, *watch.DEFAULT_EN]
    extra = [f"phrase de test {a}{b}o" for a in "bcdfg" for b in "klmnprstvz"]
    phrases += extra[: max(0, 80 - len(phrases))]
    found = watch.compile_phrases(phrases)
    assert len(found.phrases) >= 80
    text = ("Une longue journée, pas facile, mais on avance, merci à vous. " * 400)[:20000]
    found.matches(text)  # warm up
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        assert found.matches(text) is False
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05


def test_the_watch_is_compiled_again_only_when_the_settings_change(moderator):
    watch.forget_compiled()
    first = watch.current()
    assert watch.current() is first
    watch.save_watch(moderator, french="ma phrase a moi", english="", concern_template="")
    second = watch.current()
    assert second is not first and watch.matches("Voici MA PHRASE à moi")
    assert not watch.matches("je veux me tuer")  # the list replaced the defaults


# --- Posting --------------------------------------------------------------------------------------


def test_a_matching_topic_is_published_and_goes_first_in_the_queue(owner, member):
    space = make_space()
    flagged = make_topic(member, space, title="Spam").posts.get()
    moderation.flag(owner, target_kind=services.POST_KIND, target_id=str(flagged.pk), reason="spam")
    topic = make_topic(owner, space, title="Une soirée", body=CRY)
    post = topic.posts.get()
    assert topic.crisis_watch and post.status == Status.PUBLISHED and topic.status == Status.PUBLISHED
    case = case_of(post)
    assert case.watched and case.kind == CaseKind.FLAGS and case.member == owner and case.weight == 0
    queue = list(
        ModerationCase.objects.filter(status=CaseStatus.OPEN).order_by("-danger", "-watched", "-weight")
    )
    assert queue[0] == case


def test_a_quiet_post_opens_no_case(owner):
    topic = make_topic(owner, make_space(), title="Bonjour", body="Une bonne journée.")
    assert not topic.crisis_watch
    assert not ModerationCase.objects.exists()


def test_the_title_and_the_warning_are_watched_too(owner):
    space = make_space()
    assert make_topic(owner, space, title="Envie de mourir", body="…").crisis_watch
    topic = make_topic(owner, space, title="Bonjour", body="Texte")
    reply = services.add_reply(owner, topic, body="Texte", content_warning="me scarifier")
    assert reply.crisis_watch and case_of(reply).watched


def test_a_held_post_that_matches_is_held_and_goes_first(owner, member):
    set_rules(approvals=3)
    topic = make_topic(member, make_space(), title="Bonjour", body="Texte")  # held too
    reply = services.add_reply(owner, topic, body=CRY)
    assert reply.status == Status.HELD and reply.crisis_watch
    case = case_of(reply)
    assert case.kind == CaseKind.APPROVAL and case.watched
    assert ModerationCase.objects.filter(target_id=str(reply.pk)).count() == 1
    first = ModerationCase.objects.filter(status=CaseStatus.OPEN).order_by("-danger", "-watched", "-weight")[
        0
    ]
    assert first == case


def test_a_reported_post_keeps_one_open_case(owner, member):
    post = make_topic(owner, make_space(), body=CRY).posts.get()
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="danger")
    case = case_of(post)
    assert case.watched and case.danger and case.weight == 1
    moderation.watch_post(services.POST_KIND, str(post.pk), author=owner)
    assert ModerationCase.objects.filter(target_id=str(post.pk), status=CaseStatus.OPEN).count() == 1


def test_handling_a_watch_case_does_not_count_against_trust(owner, moderator):
    post = make_topic(owner, make_space(), body=CRY).posts.get()
    moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(post.pk),
        action=ActionKind.HIDE,
        reason="Pour vous protéger",
        case=case_of(post),
    )
    assert MemberStanding.objects.get(member=owner).last_upheld_flag_at is None


def test_a_watch_case_offers_nothing_to_do(owner, moderator):
    post = make_topic(owner, make_space(), body=CRY).posts.get()
    case = case_of(post)
    kind = moderation.reportable(services.POST_KIND)
    assert ActionKind.DISMISS in moderation.actions_for(kind, case=case, has_member=True)
    moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(post.pk),
        action=ActionKind.DISMISS,
        case=case,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and case.upheld is False


# --- What the author sees -----------------------------------------------------------------------------


def post_reply(client, topic, body):
    url = reverse("community:reply", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})
    return client.post(url, {"form_token": form_token(client, url), "body": body}, follow=True)


def test_the_author_sees_the_crisis_numbers_once_after_posting(owner, member):
    topic = make_topic(member, make_space(), title="Bonjour", body="Texte")
    client = client_for(owner)
    page = post_reply(client, topic, CRY).content.decode()
    assert "3114" in page and reverse("core:crisis-help") in page
    assert 'id="after-post-care-title"' in page
    assert "watch" not in page.lower().split("after-post-care-title")[1][:2000]  # says nothing of a watch
    again = client.get(reverse("community:topic", kwargs={"space_slug": "entraide", "topic_id": topic.pk}))
    assert 'id="after-post-care-title"' not in again.content.decode()
    # A quiet reply shows nothing.
    quiet = post_reply(client, topic, "Merci à tous").content.decode()
    assert 'id="after-post-care-title"' not in quiet


def test_a_new_topic_that_matches_shows_the_block_on_its_page(owner):
    space = make_space()
    client = client_for(owner)
    url = reverse("community:topic-new", kwargs={"space_slug": space.slug})
    page = client.post(
        url,
        {"form_token": form_token(client, url), "title": "Ce soir", "body": "Plus envie de vivre."},
        follow=True,
    ).content.decode()
    assert 'id="after-post-care-title"' in page and "3114" in page


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 3, 4, 11, 0, tzinfo=PARIS), "in the next few hours"),  # a Wednesday, on duty
        (datetime(2026, 3, 4, 23, 30, tzinfo=PARIS), "from tomorrow at 09:00"),
        (datetime(2026, 3, 5, 6, 0, tzinfo=PARIS), "from today at 09:00"),
    ],
)
def test_a_held_post_tells_when_a_moderator_reads_it(owner, member, moment, said, settings):
    settings.TIME_ZONE = "Europe/Paris"
    topic = make_topic(member, make_space(), title="Bonjour", body="Texte")
    set_rules(approvals=3)
    client = client_for(owner)
    with time_machine.travel(moment, tick=False):
        page = post_reply(client, topic, CRY).content.decode()
    assert "A moderator will read your message soon, " + said in page
    assert "3114" in page


def test_when_read_names_the_day_after_a_weekend_off(settings):
    settings.TIME_ZONE = "Europe/Paris"
    weekdays = rules.Rules(hours_days=(0, 1, 2, 3, 4))
    friday_night = datetime(2026, 3, 6, 22, 0, tzinfo=PARIS)
    assert rules.next_opening(weekdays, friday_night) == datetime(2026, 3, 9, 9, 0, tzinfo=PARIS)
    from entraide.community.views_watch import when_read

    with translation.override("en"):
        assert when_read(weekdays, friday_night) == "from Monday at 09:00"
    assert rules.next_opening(rules.Rules(hours_days=()), friday_night) is None


def test_nothing_is_written_into_the_authors_private_space(owner):
    from entraide.core.signals import crisis_signalled

    signalled = []

    def heard(**kwargs):
        signalled.append(kwargs)

    crisis_signalled.connect(heard)
    try:
        assert make_topic(owner, make_space(), title="Bonjour", body=CRY).crisis_watch
    finally:
        crisis_signalled.disconnect(heard)
    assert signalled == []  # no crisis moment in their safety plan
    assert not Notification.objects.filter(owner=owner).exists()


# --- The moderators' page -------------------------------------------------------------------------------


def test_moderators_edit_the_lists_and_restore_the_defaults(moderator, owner):
    client = client_for(moderator)
    url = reverse("moderation:watch")
    page = client.get(url)
    assert page.status_code == 200 and "me suicider" in page.content.decode()
    saved = client.post(
        url,
        {
            "form_token": form_token(client, url),
            "french": "mots de test\n\nmots de test\n  autre phrase  ",
            "english": "test words",
            "concern_template": "Bonjour, nous pensons à vous.",
        },
    )
    assert saved.status_code == 302
    fr, en = watch.lists_of(instance.load_settings())
    assert fr == ["mots de test", "autre phrase"] and en == ["test words"]
    assert make_topic(owner, make_space(), title="x", body="TEST WORDS").crisis_watch
    restored = client.post(url, {"restore": "1"})
    assert restored.status_code == 302
    assert watch.lists_of(instance.load_settings()) == (list(watch.DEFAULT_FR), list(watch.DEFAULT_EN))
    assert watch.concern_template_of(instance.load_settings()) == "Bonjour, nous pensons à vous."


def test_a_refused_list_keeps_what_was_typed(moderator):
    client = client_for(moderator)
    url = reverse("moderation:watch")
    typed = "bonne phrase\n" + "x" * 150
    page = client.post(
        url, {"form_token": form_token(client, url), "french": typed, "english": "", "concern_template": ""}
    )
    assert page.status_code == 400
    assert "x" * 150 in page.content.decode()
    assert watch.lists_of(instance.load_settings())[0] == list(watch.DEFAULT_FR)


def test_members_may_not_see_the_watch_page(owner):
    url = reverse("moderation:watch")
    assert client_for(owner).get(url).status_code == 403
    assert client_for(owner).post(url, {"restore": "1"}).status_code == 403
    assert client_for().get(url).status_code == 302  # to log in


def test_the_queue_and_the_case_say_it_was_the_watch(owner, moderator):
    post = make_topic(owner, make_space(), title="Ce soir", body=CRY).posts.get()
    client = client_for(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Watch: crisis language" in queue
    page = client.get(reverse("moderation:case", kwargs={"case_id": case_of(post).pk})).content.decode()
    assert "Watch: crisis language." in page


def test_the_queue_stays_at_fixed_queries_with_watch_cases(owner, member, moderator):
    space = make_space()
    client = client_for(moderator)
    url = reverse("moderation:queue")
    make_topic(owner, space, title="Un", body=CRY)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        make_topic(member if n % 2 else owner, space, title=f"Sujet {n}", body=CRY)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


# --- The caring message -----------------------------------------------------------------------------------


def second_moderator(admin_user):
    person = make_user("Noa")
    grant_role(person, role=Role.MODERATOR, by=admin_user)
    enrol_totp(person)
    return person


def concern_notes(person):
    return list(Notification.objects.filter(owner=person, kind=moderation.CONCERN_KIND))


def test_a_moderator_holding_a_worry_case_sends_a_caring_message(owner, moderator):
    topic = make_topic(owner, make_space(), title=f"Titre {SENTINEL}", body=f"{CRY} {SENTINEL}")
    case = case_of(topic.posts.get())
    with pytest.raises(InvalidValuesError):  # not taken yet
        moderation.send_concern(moderator, case)
    assert moderation.claim_case(case, moderator)
    logged = moderation.send_concern(moderator, case)
    assert logged.action == ActionKind.CONCERN and logged.moderator == moderator and logged.member == owner
    notes = concern_notes(owner)
    assert len(notes) == 1
    content = str(notes[0].content)
    assert "3114" in content and SENTINEL not in content and "en finir" not in content
    assert SENTINEL not in str(notes[0].content.get("title", ""))
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # still to handle
    assert MemberStanding.objects.get(member=owner).last_concern_at is not None


def test_only_on_a_case_of_worry(owner, member, moderator):
    post = make_topic(owner, make_space(), body="Du spam").posts.get()
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="spam")
    case = case_of(post)
    moderation.claim_case(case, moderator)
    with pytest.raises(InvalidValuesError):
        moderation.send_concern(moderator, case)
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="danger")
    moderation.send_concern(moderator, case)
    assert len(concern_notes(owner)) == 1


def test_members_cannot_send_it(owner, member):
    case = case_of(make_topic(owner, make_space(), body=CRY).posts.get())
    response = client_for(member).post(reverse("moderation:case-concern", kwargs={"case_id": case.pk}))
    assert response.status_code == 403
    assert not concern_notes(owner)


def test_once_a_day_per_person(owner, moderator, admin_user):
    space = make_space()
    first = case_of(make_topic(owner, space, title="Un", body=CRY).posts.get())
    second = case_of(make_topic(owner, space, title="Deux", body=CRY).posts.get())
    other = second_moderator(admin_user)
    moderation.claim_case(first, moderator)
    moderation.claim_case(second, other)
    moderation.send_concern(moderator, first)
    with pytest.raises(InvalidValuesError) as refused:
        moderation.send_concern(other, second)
    assert "less than a day ago" in str(refused.value.errors["concern"])
    assert len(concern_notes(owner)) == 1
    later = timezone.now() + timedelta(days=1, minutes=1)
    moderation.claim_case(second, other, now=later)
    moderation.send_concern(other, second, now=later)
    assert len(concern_notes(owner)) == 2
    assert ModerationAction.objects.filter(action=ActionKind.CONCERN).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_once_send_one_message(owner, moderator, admin_user):
    space = make_space()
    cases = [case_of(make_topic(owner, space, title=t, body=CRY).posts.get()) for t in ("Un", "Deux")]
    people = [moderator, second_moderator(admin_user)]
    for case, person in zip(cases, people, strict=True):
        moderation.claim_case(case, person)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def send(person, case):
        try:
            barrier.wait()
            moderation.send_concern(person, case)
            results.append("sent")
        except InvalidValuesError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in zip(people, cases, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "sent"]
    assert len(concern_notes(owner)) == 1


def test_the_button_sends_it_and_says_so_kindly_the_second_time(owner, moderator):
    case = case_of(make_topic(owner, make_space(), body=CRY).posts.get())
    client = client_for(moderator)
    client.post(reverse("moderation:case-claim", kwargs={"case_id": case.pk}))
    page = client.get(reverse("moderation:case", kwargs={"case_id": case.pk})).content.decode()
    assert reverse("moderation:case-concern", kwargs={"case_id": case.pk}) in page
    url = reverse("moderation:case-concern", kwargs={"case_id": case.pk})
    sent = client.post(url, follow=True).content.decode()
    assert "The caring message is sent" in sent
    again = client.post(url, follow=True).content.decode()
    assert "less than a day ago" in again
    assert len(concern_notes(owner)) == 1
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Caring message sent" in log


def test_an_anonymous_authors_name_stays_out_of_the_log(owner, moderator):
    topic = make_topic(owner, make_space(anonymous_allowed=True), title="Bonjour", body="Texte")
    reply = services.add_reply(owner, topic, body=CRY, anonymous=True)
    case = case_of(reply)
    moderation.claim_case(case, moderator)
    logged = moderation.send_concern(moderator, case)
    assert logged.member is None
    assert len(concern_notes(owner)) == 1  # the stored author is told all the same


def test_the_message_uses_the_instances_text(owner, moderator):
    watch.save_watch(
        moderator,
        french="\n".join(watch.DEFAULT_FR),
        english="",
        concern_template="Un mot de l'équipe, rien que pour vous.",
    )
    case = case_of(make_topic(owner, make_space(), body=CRY).posts.get())
    moderation.claim_case(case, moderator)
    moderation.send_concern(moderator, case)
    body = str(concern_notes(owner)[0].content)
    assert "Un mot de l'équipe" in body and "3114" in body


def test_the_export_holds_the_last_caring_message(owner, moderator):
    from entraide.community.personal_data import export_moderation

    case = case_of(make_topic(owner, make_space(), body=CRY).posts.get())
    moderation.claim_case(case, moderator)
    moderation.send_concern(moderator, case)
    records = export_moderation(owner).records
    assert any("last caring message: 2" in str(r.get("reason", "")) for r in records)
    assert any(r.get("action") == ActionKind.CONCERN for r in records)
