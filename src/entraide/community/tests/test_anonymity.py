"""Anonymous posting and its lifting: the space's setting (pages and API), the author shown to
nobody through any channel (pages, API, notifications, the queue, a case, the log), actions on
the stored author, and the lifting (request, second person, the author told or not, expiry,
concurrency, export and erasure)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from conftest import client_for, make_user
from entraide.community import anonymity, moderation, services
from entraide.community.models import (
    ActionKind,
    AnonymityLift,
    LiftStatus,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Space,
)
from entraide.community.tests.factories import make_space, make_topic
from entraide.community.tests.test_personal_data import parts_of
from entraide.core import jobs, personal_data
from entraide.core.errors import InvalidValuesError
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
REASON = "Elle écrit qu'elle va passer à l'acte ce soir, il faut la joindre."


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def told_of_lifting(person) -> list[Notification]:
    with translation.override(person.preferred_language):
        words = pgettext(
            "moderation notice",
            "For your safety, the moderation team needed to know who wrote one of your anonymous "
            "messages. Only two people of the team know it; it is shown to nobody else, and your "
            "message stays anonymous for everyone.",
        )
    notes = Notification.objects.filter(owner=person, kind="community.moderation")
    return [n for n in notes if words in n.body]


def topic_url(topic):
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


@pytest.fixture
def second_moderator(admin_user):
    from conftest import enrol_totp
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    person = make_user("Noor")
    grant_role(person, role=Role.MODERATOR, by=admin_user)
    enrol_totp(person)
    return person


@pytest.fixture
def anonymous_case(owner, member):
    """An anonymous reply by ``owner`` ("Camille"), reported by ``member`` as a worry."""
    space = make_space(anonymous_allowed=True)
    topic = make_topic(member, space, title="Un soir difficile")
    post = services.add_reply(owner, topic, body="Je n'en peux plus.", anonymous=True)
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="danger")
    return ModerationCase.objects.get(target_id=str(post.pk))


# --- The space's setting --------------------------------------------------------------------------


def test_new_spaces_refuse_anonymous_posts_kindly_and_the_form_does_not_offer_it(owner):
    space = make_space()
    assert space.anonymous_allowed is False
    with pytest.raises(InvalidValuesError) as refused:
        make_topic(owner, space, anonymous=True)
    assert "anonymous" in refused.value.errors
    topic = make_topic(owner, space)
    with pytest.raises(InvalidValuesError):
        services.add_reply(owner, topic, body="Moi", anonymous=True)
    client = client_for(owner)
    page = client.get(reverse("community:topic-new", kwargs={"space_slug": space.slug})).content.decode()
    assert 'name="anonymous"' not in page
    assert 'name="anonymous"' not in client.get(topic_url(topic)).content.decode()
    Space.objects.filter(pk=space.pk).update(anonymous_allowed=True)
    assert 'name="anonymous"' in client.get(topic_url(topic)).content.decode()


def test_a_stale_form_asking_anonymity_is_refused_and_keeps_the_text(owner):
    """The page was loaded while the space allowed it: never published under the pseudonym."""
    space = make_space()
    topic = make_topic(owner, space)
    client = client_for(owner)
    page = client.get(topic_url(topic)).content.decode()
    url = reverse("community:reply", kwargs={"space_slug": space.slug, "topic_id": topic.pk})
    answer = client.post(url, {"form_token": form_token(page), "body": "Texte gardé", "anonymous": "on"})
    assert answer.status_code == 400
    assert "Texte gardé" in answer.content.decode()
    assert topic.posts.count() == 1


def test_the_space_form_manages_the_setting(admin_user):
    client = client_for(admin_user)
    space = make_space()
    url = reverse("community_manage:space", kwargs={"space_id": space.pk})
    page = client.get(url).content.decode()
    assert 'name="anonymous_allowed"' in page
    data = {
        "form_token": form_token(page),
        "title": space.title,
        "slug": space.slug,
        "description": "",
        "charter": "",
        "visibility": space.visibility,
        "position": 100,
        "mentions_enabled": "on",
        "anonymous_allowed": "on",
    }
    assert client.post(url, data).status_code == 302
    space.refresh_from_db()
    assert space.anonymous_allowed is True


# --- Shown to nobody ----------------------------------------------------------------------------


def test_the_author_is_shown_to_nobody_through_pages_and_notifications(owner, member, moderator):
    space = make_space(anonymous_allowed=True)
    topic = make_topic(owner, space, title="Sujet caché", anonymous=True)
    services.add_reply(member, topic, body="Je suis là @Camille")
    reply = services.add_reply(owner, topic, body="Merci @Morgane", anonymous=True)
    services.add_reply(member, topic, body="> Merci\n\nDe rien", quoted=reply)
    jobs.Worker("test").run_once(schedule=False)
    assert Notification.objects.filter(owner=member, kind="community.mention").exists()
    for person in (member, moderator):
        for url in (topic_url(topic), reverse("community:space", kwargs={"space_slug": space.slug})):
            page = client_for(person).get(url).content.decode()
            assert "Camille" not in page.replace("@Camille", "")
    for note in Notification.objects.filter(owner=member):
        assert "Camille" not in f"{note.title} {note.body}"


def test_moderators_see_anonymous_member_on_the_queue_the_case_and_the_log(anonymous_case, moderator):
    client = client_for(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    case_page = client.get(reverse("moderation:case", kwargs={"case_id": anonymous_case.pk})).content.decode()
    assert "Camille" not in queue
    assert "Camille" not in case_page and "Anonymous member" in case_page
    assert "Trust:" not in case_page  # the member's standing would tie the post to them
    # Warning and suspending still act on the stored author, without naming them.
    moderation.act(
        moderator,
        target_kind=anonymous_case.target_kind,
        target_id=anonymous_case.target_id,
        action=ActionKind.WARN,
        reason="Un avertissement.",
        case=anonymous_case,
    )
    owner = anonymous_case.member
    assert MemberStanding.objects.get(member_id=owner.pk).warnings == 1
    assert Notification.objects.filter(owner=owner, kind="community.moderation").exists()
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Camille" not in log and "Anonymous member" in log


def test_a_suspension_on_an_anonymous_post_reaches_its_author(anonymous_case, moderator):
    until = timezone.now() + timedelta(days=3)
    moderation.act(
        moderator,
        target_kind=anonymous_case.target_kind,
        target_id=anonymous_case.target_id,
        action=ActionKind.SUSPEND,
        reason="Une pause imposée.",
        case=anonymous_case,
        options=moderation.Options(until=until),
    )
    assert moderation.suspended_until(anonymous_case.member) == until


def test_another_case_about_the_author_does_not_list_their_anonymous_posts(anonymous_case, moderator, member):
    owner = anonymous_case.member
    moderation.act(
        moderator,
        target_kind=anonymous_case.target_kind,
        target_id=anonymous_case.target_id,
        action=ActionKind.HIDE,
        reason="Caché le temps de parler.",
        case=anonymous_case,
    )
    named = make_topic(owner, make_space(slug="autre"), title="Signé").posts.get()
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(named.pk), reason="spam")
    case = ModerationCase.objects.get(target_id=str(named.pk))
    page = client_for(moderator).get(reverse("moderation:case", kwargs={"case_id": case.pk})).content.decode()
    assert "Camille" in page  # a signed post: its author is named
    assert "Caché le temps de parler." not in page


def test_an_anonymous_topic_is_masked_on_its_case_too(owner, member, moderator):
    topic = make_topic(owner, make_space(anonymous_allowed=True), title="Titre", anonymous=True)
    moderation.flag(member, target_kind=services.TOPIC_KIND, target_id=str(topic.pk), reason="spam")
    case = ModerationCase.objects.get(target_id=str(topic.pk))
    page = client_for(moderator).get(reverse("moderation:case", kwargs={"case_id": case.pk})).content.decode()
    assert "Camille" not in page and "Anonymous member" in page


def test_the_flag_page_offers_no_report_of_an_anonymous_author(owner, member):
    space = make_space(anonymous_allowed=True)
    post = make_topic(owner, space, anonymous=True).posts.get()
    url = reverse(
        "community:flag", kwargs={"space_slug": space.slug, "topic_id": post.topic_id, "post_id": post.pk}
    )
    page = client_for(member).get(url).content.decode()
    assert 'value="member"' not in page and "Camille" not in page


# --- Lifting --------------------------------------------------------------------------------------


def request_through_the_page(client, case, reason=REASON):
    page = client.get(reverse("moderation:case", kwargs={"case_id": case.pk})).content.decode()
    url = reverse("moderation:lift-request", kwargs={"case_id": case.pk})
    assert url in page
    return client.post(url, {"form_token": form_token(page.split(url, 1)[1]), "reason": reason})


def decide_through_the_page(client, lift, **data):
    url = reverse("moderation:lift", kwargs={"lift_id": lift.pk})
    page = client.get(url).content.decode()
    return client.post(url, {"form_token": form_token(page), **data})


def test_a_lifting_needs_a_reason_and_a_second_person(
    anonymous_case, moderator, second_moderator, admin_user
):
    client = client_for(moderator)
    short = request_through_the_page(client, anonymous_case, reason="Trop court")
    assert short.status_code == 400 and "Trop court" in short.content.decode()
    assert not AnonymityLift.objects.exists()
    assert request_through_the_page(client, anonymous_case).status_code == 302
    lift = AnonymityLift.objects.get()
    assert lift.status == LiftStatus.PENDING and lift.author == anonymous_case.member
    # The requester never decides their own request.
    url = reverse("moderation:lift", kwargs={"lift_id": lift.pk})
    assert 'name="decision"' not in client.get(url).content.decode()
    assert client.post(url, {"form_token": "x", "decision": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        anonymity.approve_lift(moderator, lift)
    # The others see it waiting, on the queue and the list.
    other = client_for(second_moderator)
    assert "an anonymity lifting waits" in other.get(reverse("moderation:queue")).content.decode()
    assert REASON[:10] in other.get(reverse("moderation:lifts")).content.decode()
    assert "Camille" not in other.get(reverse("moderation:lifts")).content.decode()
    assert decide_through_the_page(other, lift, decision="approve").status_code == 302
    lift.refresh_from_db()
    assert lift.status == LiftStatus.APPROVED and lift.approved_by == second_moderator
    assert lift.told_at is not None
    # The requester and the approver see the pseudonym on the case; a third moderator does not.
    case_url = reverse("moderation:case", kwargs={"case_id": anonymous_case.pk})
    for person in (moderator, second_moderator):
        page = client_for(person).get(case_url).content.decode()
        assert "Camille" in page and "Anonymity lifting approved by Noor" in page
    third = make_user("Tiers")
    from conftest import enrol_totp
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    grant_role(third, role=Role.MODERATOR, by=admin_user)
    enrol_totp(third)
    assert "Camille" not in client_for(third).get(case_url).content.decode()
    assert "Camille" not in client_for(third).get(reverse("moderation:log")).content.decode()
    assert "Camille" in client_for(moderator).get(reverse("moderation:log")).content.decode()
    logged = list(
        ModerationAction.objects.filter(action__startswith="lift_").values_list("action", flat=True)
    )
    assert sorted(logged) == ["lift_approve", "lift_request"]


def test_the_author_is_told_with_a_notification_that_names_nothing(
    anonymous_case, moderator, second_moderator
):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    anonymity.approve_lift(second_moderator, lift)
    (note,) = told_of_lifting(anonymous_case.member)
    assert note.kind == "community.moderation"
    assert "Un soir difficile" not in note.title and "Maxime" not in note.body and "Noor" not in note.body
    assert note.link.endswith("#message-2")


def test_the_approver_may_keep_the_author_untold_with_a_recorded_reason(
    anonymous_case, moderator, second_moderator
):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    with pytest.raises(InvalidValuesError):
        anonymity.approve_lift(second_moderator, lift, tell_author=False)
    before = Notification.objects.filter(owner=anonymous_case.member).count()
    anonymity.approve_lift(
        second_moderator, lift, tell_author=False, not_told_reason="Un proche violent lit ses notifications."
    )
    lift.refresh_from_db()
    assert lift.told_at is None and lift.not_told_reason.startswith("Un proche")
    assert Notification.objects.filter(owner=anonymous_case.member).count() == before
    # The author's export holds told liftings only: this one would undo the decision.
    assert parts_of(anonymous_case.member)["community.anonymity_lifts"] == []
    assert all(
        not r["action"].startswith("lift_") for r in parts_of(anonymous_case.member)["community.moderation"]
    )


def test_a_told_lifting_is_in_the_authors_export(anonymous_case, moderator, second_moderator):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    anonymity.approve_lift(second_moderator, lift)
    records = parts_of(anonymous_case.member)["community.anonymity_lifts"]
    assert [r["target_id"] for r in records] == [anonymous_case.target_id]
    assert "Maxime" not in str(records) and "Noor" not in str(records)


def test_a_coordinator_decides_with_a_second_factor_and_a_member_cannot(
    anonymous_case, moderator, coordinator, member
):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    url = reverse("moderation:lifts")
    assert client_for(member).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(coordinator).get(url).status_code == 200
    assert (
        decide_through_the_page(
            client_for(coordinator), lift, decision="refuse", note="Pas assez."
        ).status_code
        == 302
    )
    lift.refresh_from_db()
    assert lift.status == LiftStatus.REFUSED and lift.refused_by == coordinator
    assert (
        "Camille"
        not in client_for(moderator)
        .get(reverse("moderation:case", kwargs={"case_id": anonymous_case.pk}))
        .content.decode()
    )


def test_a_coordinator_without_a_second_factor_cannot_decide(anonymous_case, moderator, admin_user):
    from entraide.accounts.models import Role
    from entraide.accounts.services import grant_role

    person = make_user("Sans")
    grant_role(person, role=Role.COORDINATOR, by=admin_user)
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    with pytest.raises(PermissionDenied):
        anonymity.approve_lift(person, lift)


def test_only_one_decision_counts_and_requests_expire(
    anonymous_case, moderator, second_moderator, coordinator
):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    stale = AnonymityLift.objects.get(pk=lift.pk)  # as a second tab holds it
    anonymity.approve_lift(second_moderator, lift)
    with pytest.raises(anonymity.LiftDecidedError):
        anonymity.refuse_lift(coordinator, stale)
    assert ModerationAction.objects.filter(action=ActionKind.LIFT_APPROVE).count() == 1
    assert len(told_of_lifting(anonymous_case.member)) == 1


def test_an_unanswered_request_expires_after_seven_days(anonymous_case, moderator, second_moderator):
    lift = anonymity.request_lift(
        moderator,
        target_kind=anonymous_case.target_kind,
        target_id=anonymous_case.target_id,
        reason=REASON,
        now=timezone.now() - timedelta(days=7, minutes=1),
    )
    assert anonymity.is_expired(lift)
    assert not anonymity.pending().exists()
    with pytest.raises(anonymity.LiftDecidedError):
        anonymity.approve_lift(second_moderator, lift)
    page = client_for(second_moderator).get(reverse("moderation:lift", kwargs={"lift_id": lift.pk}))
    assert "It expired" in page.content.decode() and 'name="decision"' not in page.content.decode()
    listed = client_for(second_moderator).get(reverse("moderation:lifts")).content.decode()
    assert "Expired without an answer" in listed


def test_a_double_submit_asks_once(anonymous_case, moderator):
    client = client_for(moderator)
    case_url = reverse("moderation:case", kwargs={"case_id": anonymous_case.pk})
    page = client.get(case_url).content.decode()
    url = reverse("moderation:lift-request", kwargs={"case_id": anonymous_case.pk})
    token = form_token(page.split(url, 1)[1])
    for _ in range(2):
        client.post(url, {"form_token": token, "reason": REASON})
    assert AnonymityLift.objects.count() == 1
    assert ModerationAction.objects.filter(action=ActionKind.LIFT_REQUEST).count() == 1


def test_erasing_a_moderator_or_the_author_keeps_the_lifting_without_them(
    anonymous_case, moderator, second_moderator
):
    lift = anonymity.request_lift(
        moderator, target_kind=anonymous_case.target_kind, target_id=anonymous_case.target_id, reason=REASON
    )
    anonymity.approve_lift(second_moderator, lift)
    personal_data.erase_person(moderator)
    personal_data.erase_person(anonymous_case.member)
    lift.refresh_from_db()
    assert lift.requested_by is None and lift.author is None
    assert lift.approved_by == second_moderator and lift.reason == REASON


def test_the_lifting_pages_make_a_fixed_number_of_queries(owner, member, moderator, second_moderator):
    space = make_space(anonymous_allowed=True)
    topic = make_topic(member, space)
    client = client_for(second_moderator)
    url = reverse("moderation:lifts")
    client.get(url)

    def ask():
        post = services.add_reply(owner, topic, body="Anonyme", anonymous=True)
        moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="danger")
        return anonymity.request_lift(
            moderator, target_kind=services.POST_KIND, target_id=str(post.pk), reason=REASON
        )

    def queries(address):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        return len(ctx.captured_queries)

    first = ask()
    few = queries(url)
    for _ in range(5):
        anonymity.approve_lift(second_moderator, ask())
    assert queries(url) == few
    detail = queries(reverse("moderation:lift", kwargs={"lift_id": first.pk}))
    assert detail < 20
