"""Moderation through its services: flags, the queue's cases and claims, held posts, actions and
what the member is told, trust levels, the off-hours rule, danger flags, public figures."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from conftest import enrol_totp, make_user
from entraide.accounts.models import Role
from entraide.accounts.services import grant_role
from entraide.community import figures, moderation, rules, services
from entraide.community.models import (
    ActionKind,
    CaseKind,
    CaseStatus,
    Flag,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Post,
    Space,
    Status,
    Topic,
)
from entraide.community.permissions import check_moderate_permission
from entraide.community.tests.factories import make_space, make_topic, set_rules
from entraide.core.errors import InvalidValuesError
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _in_english():
    """Messages and labels in English; notifications are in each member's language (French)."""
    with translation.override("en"):
        yield


def first_post(topic: Topic) -> Post:
    return topic.posts.get(number=1)


def flag_post(reporter, post, reason="spam", note=""):
    return moderation.flag(
        reporter, target_kind=services.POST_KIND, target_id=str(post.pk), reason=reason, note=note
    )


def make_moderator(name: str, admin):
    person = make_user(name)
    grant_role(person, role=Role.MODERATOR, by=admin)
    enrol_totp(person)
    return person


def make_trusted(name: str):
    """A member of 40 days with 20 published posts and no upheld flag."""
    person = make_user(name, date_joined=timezone.now() - timedelta(days=40))
    MemberStanding.objects.create(member=person, published_posts=20)
    return person


def told(person) -> list[dict]:
    rows = Notification.objects.filter(owner=person, kind="community.moderation").order_by("created_at")
    return [n.content for n in rows]


# --- Flags -------------------------------------------------------------------------------------------


def test_one_flag_per_member_and_post_which_they_may_change(owner, member):
    post = first_post(make_topic(owner, make_space()))
    flag_post(member, post, "spam")
    flag_post(member, post, "harassment")
    flag = Flag.objects.get()
    assert (flag.reason, flag.reporter, flag.weight) == ("harassment", member, 1)
    case = ModerationCase.objects.get()
    assert (case.status, case.kind, case.weight, case.member) == (CaseStatus.OPEN, CaseKind.FLAGS, 1, owner)


def test_nobody_flags_their_own_post_and_other_needs_words(owner, member):
    post = first_post(make_topic(owner, make_space()))
    with pytest.raises(InvalidValuesError):
        flag_post(owner, post, "spam")
    with pytest.raises(InvalidValuesError) as refused:
        flag_post(member, post, "other", note="  ")
    assert "note" in refused.value.errors
    assert not Flag.objects.exists() and not ModerationCase.objects.exists()


def test_a_trusted_members_flag_counts_double(owner, member):
    post = first_post(make_topic(owner, make_space()))
    flag_post(make_trusted("Confiance"), post, "spam")
    flag_post(member, post, "spam")
    assert ModerationCase.objects.get().weight == 3


def test_a_flag_after_a_closed_case_opens_a_new_one(owner, member, moderator):
    post = first_post(make_topic(owner, make_space()))
    flag_post(member, post)
    case = ModerationCase.objects.get()
    moderation.act(
        moderator, target_kind=case.target_kind, target_id=case.target_id, action="dismiss", case=case
    )
    flag_post(member, post, "harassment")
    assert ModerationCase.objects.filter(status=CaseStatus.OPEN).count() == 1
    assert Flag.objects.get().case.status == CaseStatus.OPEN


# --- Claims ------------------------------------------------------------------------------------------


def test_two_moderators_never_handle_the_same_case(owner, member, moderator, admin_user):
    other = make_moderator("Noa", admin_user)
    post = first_post(make_topic(owner, make_space()))
    flag_post(member, post)
    case = ModerationCase.objects.get()
    assert moderation.claim_case(case, moderator)
    assert not moderation.claim_case(ModerationCase.objects.get(), other)
    with pytest.raises(moderation.CaseTakenError):
        moderation.act(
            other,
            target_kind=case.target_kind,
            target_id=case.target_id,
            action="hide",
            reason="x",
            case=case,
        )
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and not ModerationAction.objects.exists()
    moderation.act(
        moderator,
        target_kind=case.target_kind,
        target_id=case.target_id,
        action="hide",
        reason="Propos blessants",
        case=case,
    )
    # Handled: neither can act again on it, not even the one who did.
    with pytest.raises(moderation.CaseTakenError):
        moderation.act(
            moderator,
            target_kind=case.target_kind,
            target_id=case.target_id,
            action="hide",
            reason="x",
            case=case,
        )
    assert ModerationAction.objects.count() == 1


def test_an_expired_claim_passes_to_another_moderator(owner, member, moderator, admin_user):
    other = make_moderator("Noa", admin_user)
    flag_post(member, first_post(make_topic(owner, make_space())))
    case = ModerationCase.objects.get()
    assert moderation.claim_case(case, moderator)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert moderation.claim_case(ModerationCase.objects.get(), other)
        with pytest.raises(moderation.CaseTakenError):
            moderation.act(
                moderator, target_kind=case.target_kind, target_id=case.target_id, action="dismiss", case=case
            )
    assert ModerationCase.objects.get().claimed_by == other


def test_only_moderators_with_a_second_factor_moderate(member, moderator, admin_user):
    check_moderate_permission(moderator)
    check_moderate_permission(admin_user)
    with pytest.raises(PermissionDenied):
        check_moderate_permission(member)
    unprotected = make_user("Sansdeux")
    grant_role(unprotected, role=Role.MODERATOR, by=admin_user)
    with pytest.raises(PermissionDenied):
        check_moderate_permission(unprotected)


# --- Held posts and trust ------------------------------------------------------------------------------


def test_a_new_members_posts_wait_until_three_are_approved(owner, moderator):
    set_rules(approvals=3)
    space = make_space()
    newcomer = make_user("Nouvelle")
    topic = make_topic(newcomer, space, title="Bonjour à tous")
    topic.refresh_from_db()
    space.refresh_from_db()
    assert topic.status == Status.HELD and (space.topic_count, space.post_count) == (0, 0)
    case = ModerationCase.objects.get()
    assert case.kind == CaseKind.APPROVAL
    moderation.act(
        moderator, target_kind=case.target_kind, target_id=case.target_id, action="approve", case=case
    )
    topic.refresh_from_db()
    space.refresh_from_db()
    assert topic.status == Status.PUBLISHED and (space.topic_count, space.post_count) == (1, 1)
    assert len(told(newcomer)) == 1
    # Two replies held, approved in turn, take their place at the end of the topic.
    services.add_reply(moderator, topic, body="Bienvenue")
    for n in range(2):
        reply = services.add_reply(newcomer, topic, body=f"Merci {n}")
        assert (reply.status, reply.number) == (Status.HELD, 0)
        case = ModerationCase.objects.get(status=CaseStatus.OPEN)
        moderation.act(
            moderator, target_kind=case.target_kind, target_id=case.target_id, action="approve", case=case
        )
        reply.refresh_from_db()
        assert (reply.status, reply.number) == (Status.PUBLISHED, 3 + n)
    assert MemberStanding.objects.get(member=newcomer).published_posts == 3
    fourth = services.add_reply(newcomer, topic, body="Et maintenant ?")
    assert fourth.status == Status.PUBLISHED and fourth.number == 5


def test_a_refused_post_stays_unpublished_and_its_author_is_told_why(moderator):
    set_rules(approvals=3)
    newcomer = make_user("Nouvelle")
    topic = make_topic(newcomer, make_space())
    case = ModerationCase.objects.get()
    moderation.act(
        moderator,
        target_kind=case.target_kind,
        target_id=case.target_id,
        action="refuse",
        reason="Merci de ne pas partager de numéro de téléphone.",
        case=case,
    )
    topic.refresh_from_db()
    assert topic.status == Status.HIDDEN
    body = told(newcomer)[0]["body"]
    assert "téléphone" in body and moderator.pseudonym not in body


def test_moderators_and_administrators_are_never_held(moderator, admin_user):
    set_rules(approvals=3)
    space = make_space()
    for person in (moderator, admin_user):
        assert make_topic(person, space).status == Status.PUBLISHED


def test_trust_levels_follow_the_counters_and_the_clock(owner, member, moderator):
    start = datetime(2026, 3, 2, 12, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(start, tick=False):
        person = make_user("Lou")
        set_rules(approvals=3)
        assert moderation.level_of(person) == rules.NEW
        MemberStanding.objects.create(member=person, published_posts=3)
        assert moderation.level_of(person) == rules.NEW  # 3 posts, but not 7 days yet
    with time_machine.travel(start + timedelta(days=7), tick=False):
        assert moderation.level_of(person) == rules.MEMBER
        MemberStanding.objects.filter(member=person).update(published_posts=20)
        assert moderation.level_of(person) == rules.MEMBER  # 20 posts, not 30 days yet
    with time_machine.travel(start + timedelta(days=30), tick=False):
        assert moderation.level_of(person) == rules.TRUSTED
        # An upheld flag against them: trusted again only 90 days later.
        post = first_post(make_topic(person, make_space()))
        flag_post(member, post)
        case = ModerationCase.objects.get()
        moderation.act(
            moderator,
            target_kind=case.target_kind,
            target_id=case.target_id,
            action="warn",
            reason="Doucement",
            case=case,
        )
        assert moderation.level_of(person) == rules.MEMBER
    with time_machine.travel(start + timedelta(days=30 + 91), tick=False):
        assert moderation.level_of(person) == rules.TRUSTED


def test_trust_needs_no_scan_of_posts(owner, django_assert_num_queries):
    person = make_trusted("Confiance")
    with django_assert_num_queries(2):  # the standing row and the instance settings
        assert moderation.level_of(person) == rules.TRUSTED


# --- Actions -------------------------------------------------------------------------------------------


def act_on(moderator, post, action, reason="Une raison", **options):
    return moderation.act(
        moderator,
        target_kind=services.POST_KIND,
        target_id=str(post.pk),
        action=action,
        reason=reason,
        options=moderation.Options(**options),
    )


def test_hide_and_restore_keep_the_counts_and_tell_the_author(owner, member, moderator):
    space = make_space(title="Espace Caché")
    topic = make_topic(owner, space, title="Titre Secret")
    reply = services.add_reply(member, topic, body="Quelque chose de blessant")
    act_on(moderator, reply, "hide", reason="Ce message blesse.")
    topic.refresh_from_db()
    space.refresh_from_db()
    assert (topic.post_count, space.post_count) == (1, 1)
    act_on(moderator, reply, "restore", reason="")
    topic.refresh_from_db()
    assert topic.post_count == 2
    hidden, restored = told(member)
    assert "Ce message blesse." in hidden["body"] and moderator.pseudonym not in hidden["body"]
    for note in (hidden, restored):
        assert "Titre Secret" not in note["title"] and "Espace Caché" not in note["title"]
    log = ModerationAction.objects.order_by("at").first()
    assert (log.moderator, log.action, log.member, log.reason) == (
        moderator,
        "hide",
        member,
        "Ce message blesse.",
    )


def test_every_action_but_restoring_needs_a_reason(owner, moderator):
    post = first_post(make_topic(owner, make_space()))
    with pytest.raises(InvalidValuesError) as refused:
        act_on(moderator, post, "hide", reason=" ")
    assert "reason" in refused.value.errors
    with pytest.raises(PermissionDenied):
        act_on(owner, post, "hide")


def test_edit_with_a_visible_reason(owner, moderator):
    post = first_post(make_topic(owner, make_space(), body="Appelez le 06 12 34 56 78"))
    act_on(moderator, post, "edit", reason="Numéro de téléphone retiré.", body="Appelez-moi")
    post.refresh_from_db()
    assert post.body == "Appelez-moi" and "06 12" not in post.body_html
    assert post.moderation_note == "Numéro de téléphone retiré."


def test_lock_then_slow_mode_then_suspension_stop_replies_kindly(owner, member, moderator):
    space = make_space()
    topic = make_topic(owner, space)
    act_on(moderator, first_post(topic), "lock")
    topic.refresh_from_db()
    with pytest.raises(InvalidValuesError) as refused:
        services.add_reply(member, topic, body="Encore")
    assert "closed" in str(refused.value.errors["body"])
    act_on(moderator, first_post(topic), "unlock", reason="")
    act_on(moderator, first_post(topic), "slow_topic", reason="", seconds=300)
    topic.refresh_from_db()
    services.add_reply(member, topic, body="Une")
    with pytest.raises(InvalidValuesError) as refused:
        services.add_reply(member, topic, body="Deux")
    assert "Slow mode" in str(refused.value.errors["body"])
    services.add_reply(moderator, topic, body="Les modérateurs ne sont pas ralentis")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        services.add_reply(member, topic, body="Deux")
    until = timezone.now() + timedelta(days=3)
    reply = topic.posts.filter(author=member).first()
    act_on(moderator, reply, "suspend", reason="Une pause, s'il vous plaît.", until=until)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)), pytest.raises(InvalidValuesError):
        make_topic(member, space)
    with time_machine.travel(until + timedelta(minutes=1)):
        make_topic(member, space, title="De retour")
    assert "restent ouverts" in told(member)[-1]["body"]  # their own space, /aide/, their circle


def test_move_and_delete_keep_counts_right(owner, member, moderator):
    here, there = make_space(slug="ici"), make_space(slug="la-bas")
    topic = make_topic(owner, here)
    reply = services.add_reply(member, topic, body="Réponse")
    act_on(moderator, first_post(topic), "move", reason="Mieux là-bas.", space_id=there.pk)
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.topic_count, here.post_count, there.topic_count, there.post_count) == (0, 0, 1, 2)
    act_on(moderator, reply, "delete", reason="Hors sujet.")
    there.refresh_from_db()
    topic.refresh_from_db()
    assert (there.post_count, topic.post_count) == (1, 1)
    act_on(moderator, first_post(topic), "delete", reason="Doublon.")
    there.refresh_from_db()
    assert not Topic.objects.exists() and (there.topic_count, there.post_count) == (0, 0)
    assert ModerationAction.objects.count() == 3


# --- The off-hours rule and danger flags ----------------------------------------------------------------


def at_paris(hour: int) -> datetime:
    return datetime(2026, 3, 4, hour, 0, tzinfo=PARIS)  # a Wednesday


def test_three_trusted_harassment_flags_hide_a_post_outside_hours(owner):
    set_rules(hours_start="09:00", hours_end="21:00", off_hours_flags=3)
    topic = make_topic(owner, make_space(), title="Sujet Nommé")
    post = first_post(topic)
    with time_machine.travel(at_paris(23), tick=False):
        reporters = [make_trusted(f"Confiance{n}") for n in range(3)]
        flag_post(reporters[0], post, "harassment")
        flag_post(make_user("Nouveau"), post, "harassment")  # a new member's flag does not count here
        flag_post(reporters[1], post, "harassment")
        post.refresh_from_db()
        assert post.status == Status.PUBLISHED
        flag_post(reporters[2], post, "harassment")
    post.refresh_from_db()
    case = ModerationCase.objects.get()
    assert post.status == Status.HIDDEN and case.hidden_off_hours and case.status == CaseStatus.OPEN
    auto = ModerationAction.objects.get()
    assert (auto.action, auto.moderator) == (ActionKind.AUTO_HIDE, None)
    (note,) = told(owner)
    assert "pas une sanction" in note["body"]
    assert "Sujet Nommé" not in note["title"]


def test_the_same_flags_during_hours_hide_nothing(owner):
    set_rules(hours_start="09:00", hours_end="21:00", off_hours_flags=3)
    post = first_post(make_topic(owner, make_space()))
    with time_machine.travel(at_paris(11), tick=False):
        for n in range(4):
            flag_post(make_trusted(f"Confiance{n}"), post, "harassment")
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and ModerationCase.objects.get().weight == 8


def test_danger_flags_never_hide_and_go_first(owner, member):
    space = make_space()
    older = first_post(make_topic(owner, space, title="Ancien"))
    flag_post(member, older, "spam")
    cry = first_post(make_topic(member, space, title="Je n'en peux plus"))
    with time_machine.travel(at_paris(3), tick=False):
        for n in range(4):
            flag_post(make_trusted(f"Confiance{n}"), cry, "danger")
    cry.refresh_from_db()
    assert cry.status == Status.PUBLISHED
    queue = list(
        ModerationCase.objects.filter(status=CaseStatus.OPEN).order_by("-danger", "-weight", "opened_at")
    )
    assert queue[0].target_id == str(cry.pk) and queue[0].danger
    assert not told(member)  # nobody is told "someone is worried about you"


# --- Figures -------------------------------------------------------------------------------------------


def test_figures_show_small_numbers_as_under_five(owner, moderator):
    post = first_post(make_topic(owner, make_space()))
    for n in range(6):
        flag_post(make_user(f"Membre{n}"), post, "spam")
    flag_post(make_user("Autre"), post, "harassment")
    current = figures.quarters()[0]
    reasons = {str(label): n for label, n in current.reasons}
    assert reasons["Spam or advertising"] == "6"
    assert reasons["Harassment or hostility"] == "< 5"
    assert reasons["I am worried about this person"] == "< 5"  # none: small numbers are never exact
    assert len(figures.quarters()) == 4


def test_a_moderator_moving_a_topic_to_a_missing_space_is_refused(owner, moderator):
    post = first_post(make_topic(owner, make_space()))
    with pytest.raises(InvalidValuesError):
        act_on(moderator, post, "move", reason="x")
    assert Space.objects.count() == 1 and Topic.objects.get().space.slug == "entraide"


@pytest.mark.django_db(transaction=True)
def test_two_moderators_claiming_at_the_same_instant_one_gets_it(admin_user):
    """Real concurrency: two threads, two database connections, one conditional update each."""
    import threading

    set_rules(approvals=0)
    first, second = make_moderator("Ari", admin_user), make_moderator("Noa", admin_user)
    author, reporter = make_user("Auteur"), make_user("Temoin")
    post = first_post(make_topic(author, make_space()))
    flag_post(reporter, post)
    case = ModerationCase.objects.get()
    barrier = threading.Barrier(2)
    results: dict[str, bool] = {}

    def claim(person) -> None:
        try:
            barrier.wait(timeout=10)
            results[person.pseudonym] = moderation.claim_case(ModerationCase.objects.get(pk=case.pk), person)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=claim, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == [False, True], results
    holder = ModerationCase.objects.get().claimed_by
    assert results[holder.pseudonym] is True
