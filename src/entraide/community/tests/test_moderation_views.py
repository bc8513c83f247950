"""Moderation through the pages: reporting a post (member, author, someone outside a closed
group, logged out), the queue and a case (moderator, member, administrator, logged out), what
an author sees, the public figures, prepared replies, export and erasure."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, make_user
from entraide.community import moderation, rules, services, views
from entraide.community.models import CannedReply, Flag, ModerationCase, Space, Status, Visibility
from entraide.community.tests.factories import make_space, make_topic, set_rules
from entraide.community.tests.test_personal_data import parts_of
from entraide.core import personal_data
from entraide.core.web import ratelimits
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db
SENTINEL = "SENTINELLE-9d2c"


def form_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def flag_url(post):
    topic = post.topic
    return reverse(
        "community:flag", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk, "post_id": post.pk}
    )


def topic_url(topic):
    return reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})


def report(client, post, reason="spam", note="", about="post"):
    url = flag_url(post)
    return client.post(
        url, {"form_token": form_token(client, url), "about": about, "reason": reason, "note": note}
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_a_member_reports_a_post_kindly_and_may_change_it(owner, member):
    post = make_topic(owner, make_space()).posts.get()
    client = client_for(member)
    page = client.get(topic_url(post.topic)).content.decode()
    assert flag_url(post) in page  # the link under each post of others
    assert client.get(flag_url(post)).status_code == 200
    response = report(client, post, "spam")
    assert response.status_code == 302 and response["Location"].endswith("#message-1")
    assert "Nobody is told who reported it" in client.get(response["Location"]).content.decode()
    assert "You already reported" in client.get(flag_url(post)).content.decode()
    report(client, post, "other", note="Publicité déguisée")
    flag = Flag.objects.get()
    assert (flag.reason, flag.note, flag.reporter) == ("other", "Publicité déguisée", member)


def test_the_author_cannot_report_their_own_post(owner):
    post = make_topic(owner, make_space()).posts.get()
    client = client_for(owner)
    assert flag_url(post) not in client.get(topic_url(post.topic)).content.decode()
    assert client.get(flag_url(post)).status_code == 302
    assert not Flag.objects.exists()


def test_outside_a_closed_group_reporting_is_a_404_and_logged_out_a_login(owner, member):
    space = make_space(slug="groupe", visibility=Visibility.RESTRICTED, members=[owner])
    post = make_topic(owner, space, body=SENTINEL).posts.get()
    response = client_for(member).post(flag_url(post), {"reason": "spam", "about": "post"})
    assert response.status_code == 404 and SENTINEL not in response.content.decode()
    anonymous = client_for(None).get(flag_url(post))
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]
    assert not Flag.objects.exists()


def test_reports_are_rate_limited(owner, member, monkeypatch):
    monkeypatch.setattr(views, "FLAG_LIMIT", ratelimits.Limit("community-flag-test", limit=2, per=3600))
    space = make_space()
    posts = [make_topic(owner, space, title=f"Sujet {n}").posts.get() for n in range(3)]
    client = client_for(member)
    assert [report(client, p).status_code for p in posts] == [302, 302, 429]
    assert Flag.objects.count() == 2


def test_the_queue_is_for_moderators_only(owner, member, moderator, admin_user):
    make_topic(owner, make_space())
    url = reverse("moderation:queue")
    assert client_for(member).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(moderator).get(url).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200


def test_the_queue_lists_danger_first_in_fixed_queries(owner, member, moderator):
    space = make_space()
    client = client_for(moderator)
    url = reverse("moderation:queue")
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    moderation.flag(
        member,
        target_kind=services.POST_KIND,
        target_id=str(make_topic(owner, space, title="Vieux spam").posts.get().pk),
        reason="spam",
    )
    few = queries()
    for n in range(8):
        post = make_topic(owner, space, title=f"Sujet {n}").posts.get()
        moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="harassment")
    cry = make_topic(owner, space, title="Au secours").posts.get()
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(cry.pk), reason="danger")
    heavy = make_topic(owner, space, title="Lourd").posts.get()
    for name in ("Un", "Deux"):
        moderation.flag(
            make_user(name), target_kind=services.POST_KIND, target_id=str(heavy.pk), reason="spam"
        )
    assert queries() == few
    page = client.get(url).content.decode()
    # Danger, then the heaviest, then the oldest.
    order = [page.index(title) for title in ("Au secours", "Lourd", "Vieux spam", "Sujet 0", "Sujet 7")]
    assert order == sorted(order)


def test_moderators_see_a_closed_groups_reported_post_others_never(owner, member, moderator):
    space = make_space(
        slug="groupe", title=f"Groupe {SENTINEL}", visibility=Visibility.RESTRICTED, members=[owner]
    )
    topic = make_topic(owner, space, title="Titre", body=f"Texte {SENTINEL}")
    inside = make_user("Dedans")
    services.add_space_member(space, member=inside)
    moderation.flag(
        inside, target_kind=services.POST_KIND, target_id=str(topic.posts.get().pk), reason="harassment"
    )
    case = ModerationCase.objects.get()
    for url in (reverse("moderation:queue"), reverse("moderation:case", kwargs={"case_id": case.pk})):
        assert SENTINEL in client_for(moderator).get(url).content.decode()
        outsider = client_for(member).get(url)
        assert outsider.status_code == 403 and SENTINEL not in outsider.content.decode()
    for client in (client_for(member), client_for(None)):
        assert SENTINEL not in client.get(reverse("community:moderation-figures")).content.decode()


def test_a_topic_moves_only_to_spaces_the_moderator_reads(owner, member, moderator):
    """The "move to" list names no closed group the moderator is not on: moderating one space's
    reports tells nothing of the others' groups."""
    make_space(slug="groupe", title=f"Groupe {SENTINEL}", visibility=Visibility.RESTRICTED, members=[owner])
    make_space(slug="ailleurs", title="Ailleurs")
    post = make_topic(owner, make_space()).posts.get()
    url = reverse("moderation:post", kwargs={"post_id": post.pk})
    page = client_for(moderator).get(url).content.decode()
    assert "Ailleurs" in page and SENTINEL not in page
    services.add_space_member(Space.objects.get(slug="groupe"), member=moderator)
    assert SENTINEL in client_for(moderator).get(url).content.decode()


def test_a_moderator_claims_then_hides_with_a_prepared_reply(owner, member, moderator):
    reply = CannedReply.objects.create(title="Bienveillance", body="Merci de rester bienveillant·e.")
    topic = make_topic(owner, make_space())
    post = services.add_reply(member, topic, body="Tais-toi")
    moderation.flag(owner, target_kind=services.POST_KIND, target_id=str(post.pk), reason="harassment")
    case = ModerationCase.objects.get()
    client = client_for(moderator)
    case_url = reverse("moderation:case", kwargs={"case_id": case.pk})
    assert client.post(reverse("moderation:case-claim", kwargs={"case_id": case.pk})).status_code == 302
    case.refresh_from_db()
    assert case.claimed_by == moderator
    response = client.post(
        case_url,
        {
            "form_token": form_token(client, case_url),
            "action": "hide",
            "canned": reply.pk,
            "reason": "Premier rappel.",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    (note,) = [n.content for n in Notification.objects.filter(owner=member, kind="community.moderation")]
    assert "Merci de rester bienveillant·e." in note["body"] and "Premier rappel." in note["body"]
    assert moderator.pseudonym not in note["body"] + note["title"]
    log = client.get(reverse("moderation:log")).content.decode()
    assert moderator.pseudonym in log and "Premier rappel." in log


def test_a_case_taken_by_another_moderator_offers_no_action(owner, member, moderator, admin_user):
    post = make_topic(owner, make_space()).posts.get()
    moderation.flag(member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="spam")
    case = ModerationCase.objects.get()
    assert moderation.claim_case(case, admin_user)
    client = client_for(moderator)
    case_url = reverse("moderation:case", kwargs={"case_id": case.pk})
    page = client.get(case_url).content.decode()
    assert "Alix is handling this" in page and 'name="action"' not in page
    claim = client.post(reverse("moderation:case-claim", kwargs={"case_id": case.pk}), follow=True)
    assert "Another moderator has taken it" in claim.content.decode()


def test_the_author_of_a_post_someone_worries_about_sees_the_crisis_numbers(owner, member):
    topic = make_topic(member, make_space(), body="Je n'en peux plus")
    moderation.flag(
        owner, target_kind=services.POST_KIND, target_id=str(topic.posts.get().pk), reason="danger"
    )
    assert "3114" in client_for(member).get(topic_url(topic)).content.decode()
    assert "3114" not in client_for(owner).get(topic_url(topic)).content.decode()
    assert topic.posts.get().status == Status.PUBLISHED  # never hidden
    assert Notification.objects.filter(owner=member).count() == 0


def test_a_locked_topic_shows_no_reply_form_and_an_edit_shows_its_reason(owner, member, moderator):
    topic = make_topic(owner, make_space(), body="Mon 06 12 34 56 78")
    post = topic.posts.get()
    for action, reason in (("edit", "Numéro retiré."), ("lock", "Le sujet tourne en rond.")):
        moderation.act(
            moderator,
            target_kind=services.POST_KIND,
            target_id=str(post.pk),
            action=action,
            reason=reason,
            options=moderation.Options(body="Mon numéro"),
        )
    page = client_for(member).get(topic_url(topic)).content.decode()
    assert "Edited by the moderation team: Numéro retiré." in page
    assert "This topic is closed to replies." in page and 'id="repondre"' not in page


def test_a_new_members_topic_waits_and_they_are_told_when(member):
    set_rules(approvals=3)
    space = make_space()
    client = client_for(member)
    url = reverse("community:topic-new", kwargs={"space_slug": space.slug})
    response = client.post(
        url, {"form_token": form_token(client, url), "title": "Bonjour", "body": "Premier"}, follow=True
    )
    html = response.content.decode()
    assert "read by a moderator before they are published" in html
    assert "Moderators are here 09:00 to 21:00" in html  # the space page, where they land
    assert ModerationCase.objects.get().kind == "approval"


def test_the_figures_page_is_public_or_for_members_as_the_instance_says(member):
    url = reverse("community:moderation-figures")
    assert client_for(None).get(url).status_code == 200
    set_rules(figures="members")
    assert client_for(None).get(url).status_code == 302
    assert "&lt; 5" in client_for(member).get(url).content.decode()


def test_prepared_replies_are_written_by_moderators(member, moderator):
    url = reverse("moderation:canned")
    assert client_for(member).get(url).status_code == 403
    client = client_for(moderator)
    response = client.post(
        url, {"form_token": form_token(client, url), "title": "Accueil", "body": "Bienvenue.", "position": 1}
    )
    assert response.status_code == 302 and CannedReply.objects.get().title == "Accueil"
    reply = CannedReply.objects.get()
    assert (
        client_for(member)
        .post(reverse("moderation:canned-delete", kwargs={"reply_id": reply.pk}))
        .status_code
        == 403
    )
    client.post(reverse("moderation:canned-delete", kwargs={"reply_id": reply.pk}))
    assert not CannedReply.objects.exists()


def test_export_holds_the_flags_and_erasure_keeps_them_without_a_name(owner, member):
    post = make_topic(owner, make_space()).posts.get()
    moderation.flag(
        member, target_kind=services.POST_KIND, target_id=str(post.pk), reason="other", note="Étrange"
    )
    records = parts_of(member)["community.flags"]
    assert [(r["reason"], r["note"]) for r in records] == [("other", "Étrange")]
    personal_data.erase_person(member)
    flag = Flag.objects.get()
    assert (flag.reporter, flag.note, flag.reason) == (None, "", "other")
    assert ModerationCase.objects.get().weight == 1


def test_an_administrator_sets_the_trust_numbers_and_hours(admin_user):
    client = client_for(admin_user)
    url = reverse("core:instance-settings-section", kwargs={"section_key": "community"})
    data = {
        "erasure": "blank",
        "approvals": 5,
        "member_days": 10,
        "trusted_days": 60,
        "trusted_posts": 40,
        "trusted_clean_days": 120,
        "off_hours_flags": 4,
        "hours_start": "08:30",
        "hours_end": "22:00",
        "hours_days": ["0", "1", "2", "3", "4"],
        "figures": "members",
    }
    assert client.post(url, data).status_code == 302
    current = rules.current()
    assert (current.approvals, current.trusted_posts, current.off_hours_flags) == (5, 40, 4)
    assert (current.hours_start, current.hours_days, current.figures) == ("08:30", (0, 1, 2, 3, 4), "members")
    page = client.get(reverse("core:instance-settings")).content.decode()
    assert 'value="08:30"' in page
    assert client.post(url, {**data, "off_hours_flags": 1}).status_code == 400
