"""The visibility matrix of a closed group (issue 21): fixed sentinels planted in a restricted
space's title, address, description, charter, topic, posts, content warning, image description
and in the pseudonym of a member active only there, looked for through every channel, as every
kind of person outside it: a member of the instance, a former member (removed after bookmarking,
following, reading and writing there), a moderator who is not on its list, a logged-out visitor
and an API token of a non-member.

Channels: the community's pages, the guessed addresses of its topic, posts and image (the same
answer, byte for byte, as for an address that exists nowhere), every write into it (the same
answer, nothing stored), the API, notifications (centre and counter), the emails they send (at
once or in the daily digest), counts, and error pages. Members of the group see the sentinels
(otherwise the matrix would prove nothing).

Moderators: a moderator who is not on the group's list reads its content only through the
moderation queue (a reported post, a held post, ``moderation:post``): moderating a closed group
is the team's job, and no member of it could do it instead. Everywhere else (its pages, lists,
counts, the API, the spaces a topic may be moved to) they are an outsider like any other.

The second half: hostile text (titles, posts, content warnings, pseudonyms, image descriptions,
notification titles) is escaped on every page, and the Markdown renderer drops ``javascript:``.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import client_for, make_user
from entraide.api.tests.conftest import api_client, json_post
from entraide.community import moderation, services
from entraide.community.models import (
    Bookmark,
    Flag,
    Image,
    Post,
    Reaction,
    ReadPosition,
    Subscription,
    Topic,
    Visibility,
)
from entraide.community.tests.factories import make_space, make_topic, png_file
from entraide.core import jobs
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.notifications import services as notifications
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db

SLUG = "sentinel-restricted-slug"
TITLE = "SENTINEL-RESTRICTED-TITLE"
DESCRIPTION = "SENTINEL-RESTRICTED-DESCRIPTION"
CHARTER = "SENTINEL-RESTRICTED-CHARTER"
TOPIC = "SENTINEL-RESTRICTED-TOPIC"
BODY = "SENTINEL-RESTRICTED-BODY"
REPLY = "SENTINEL-RESTRICTED-REPLY"
WARNING = "SENTINEL-RESTRICTED-WARNING"
IMAGE = "SENTINEL-RESTRICTED-IMAGE"
FORMER_POST = "SENTINEL-RESTRICTED-FORMER-POST"
LATER = "SENTINEL-RESTRICTED-LATER"  # written after the former member left
NEW_TOPIC = "SENTINEL-RESTRICTED-NEW-TOPIC"
INSIDER = "SentinelInsider"  # the pseudonym of a member active only in the group
WORDS = (SLUG, TITLE, DESCRIPTION, CHARTER, TOPIC, BODY, REPLY, WARNING, IMAGE, FORMER_POST, LATER, NEW_TOPIC)
WORDS += (INSIDER,)
COMMUNITY_KINDS = ("community.reply", "community.mention", "community.followed")


def run_jobs() -> None:
    jobs.Worker("test").run_once(schedule=False)


class Group:
    """The closed group, its people and the ids an outsider might guess."""

    def __init__(self, people: dict[str, Any]) -> None:
        self.people = people
        owner, insider, former, stranger = (people[k] for k in ("owner", "insider", "former", "stranger"))
        # An open space where the outsiders legitimately read and write.
        self.open = make_space(slug="ouvert", title="Ouvert")
        self.open_topic = make_topic(owner, self.open, title="Bonjour", body="Premier message ouvert")
        services.add_reply(stranger, self.open_topic, body="Réponse ouverte")
        # A public space: a logged-out visitor gets past the login there, to the topic lookup.
        make_space(slug="public", title="Public", visibility=Visibility.PUBLIC)

        self.space = make_space(slug=SLUG, title=TITLE, visibility=Visibility.RESTRICTED)
        self.space = services.update_space(
            self.space,
            slug=SLUG,
            title=TITLE,
            description=DESCRIPTION,
            charter=f"**{CHARTER}**",
            visibility=Visibility.RESTRICTED,
            position=1,
        )
        for person in (owner, insider, former):
            services.add_space_member(self.space, member=person)
        self.topic = make_topic(insider, self.space, title=TOPIC, body=BODY, content_warning=WARNING)
        self.opening = self.topic.posts.get(number=1)
        self.reply = services.add_reply(
            owner, self.topic, body=REPLY, image=uploads.clean_image(png_file()), image_description=IMAGE
        )
        self.image = Image.objects.get(space=self.space)
        # The former member wrote, kept, supported, followed and read here, then was removed.
        self.former_post = services.add_reply(former, self.topic, body=FORMER_POST)
        services.bookmark_post(former, self.opening, keep=True)
        services.support_post(former, self.opening, support=True)
        services.set_space_level(former, self.space, level="following")
        services.mark_read_up_to(former, self.topic, 1)
        # A report from inside: the moderators' queue holds it (and the public figures count it).
        moderation.flag(owner, target_kind=services.POST_KIND, target_id=str(self.opening.pk), reason="spam")
        run_jobs()
        # From here on: what a member was told while on the list stays theirs (docs/community.md).
        Notification.objects.all().delete()
        services.remove_space_member(self.space, member=former)
        # Rows an outsider holds without ever having been in (made before, or by a script): a
        # follow of the space, so "told of every new topic" would reach them if nothing checked.
        services.set_space_level(stranger, self.space, level="following")
        services.set_space_level(people["moderator"], self.space, level="following")
        # After the removal: a mention of outsiders, a quote of the former member, a new topic.
        mentions = " ".join(f"@{people[k].pseudonym}" for k in ("stranger", "former", "moderator"))
        # Only one insider is named: the members' own notifications are the matrix's control.
        self.later = services.add_reply(
            owner, self.topic, body=f"{LATER} {mentions}", quoted=self.former_post
        )
        self.new_topic = make_topic(
            insider, self.space, title=NEW_TOPIC, body=f"{NEW_TOPIC} {mentions} @{owner.pseudonym}"
        )
        run_jobs()

    @property
    def secrets(self) -> tuple[str, ...]:
        ids = (self.topic.pk, self.new_topic.pk, self.opening.pk, self.reply.pk, self.later.pk, self.image.pk)
        return WORDS + tuple(str(i) for i in ids)


@pytest.fixture
def group(owner, stranger, moderator) -> Group:
    from entraide.community.tests.factories import set_rules

    set_rules(approvals=0)  # new accounts: their posts would wait for approval
    insider = make_user(INSIDER)
    former = make_user("Ancien")
    people = {"owner": owner, "insider": insider, "former": former, "stranger": stranger}
    people["moderator"] = moderator
    for who in ("owner", "insider", "former", "stranger", "moderator"):
        for kind in COMMUNITY_KINDS:  # by email at once for one, in the daily digest for the others
            notifications.set_channel(people[who], kind, "email" if who == "stranger" else "digest")
    return Group(people)


def leaked(group: Group, text: str, *, asked: str = "") -> list[str]:
    """The group's secrets in ``text``, except those the request itself named (``asked``: an
    address echoed back, say in a "next" link, tells the visitor only what they typed)."""
    return [s for s in group.secrets if s in text and s not in asked]


OUTSIDERS = ("stranger", "former", "moderator", "anonymous")


def client_of(group: Group, who: str) -> Client:
    return client_for(None if who == "anonymous" else group.people[who])


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


def guessed_urls(group: Group) -> list[tuple[str, str]]:
    """(address in the group, the same address with ids that exist nowhere)."""
    nowhere, topic, post, image = "nexiste-pas", uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    g, t = group, group.topic
    pairs = [
        (_url("community:space", space_slug=SLUG), _url("community:space", space_slug=nowhere)),
        (
            _url("community:space", space_slug=SLUG) + "?page=2",
            _url("community:space", space_slug=nowhere) + "?page=2",
        ),
        (_url("community:topic-new", space_slug=SLUG), _url("community:topic-new", space_slug=nowhere)),
    ]
    for name in ("community:topic", "community:reply"):
        pairs.append(
            (_url(name, space_slug=SLUG, topic_id=t.pk), _url(name, space_slug=SLUG, topic_id=topic))
        )
        # The group's topic under the open space's address, and the open topic under the group's.
        pairs.append(
            (_url(name, space_slug="ouvert", topic_id=t.pk), _url(name, space_slug="ouvert", topic_id=topic))
        )
        pairs.append(
            (
                _url(name, space_slug=SLUG, topic_id=g.open_topic.pk),
                _url(name, space_slug=nowhere, topic_id=topic),
            )
        )
    pairs.append(
        (
            _url("community:topic", space_slug=SLUG, topic_id=t.pk) + f"?citer={g.opening.pk}",
            _url("community:topic", space_slug=SLUG, topic_id=topic) + f"?citer={post}",
        )
    )
    pairs.append(
        (
            _url("community:flag", space_slug=SLUG, topic_id=t.pk, post_id=g.opening.pk),
            _url("community:flag", space_slug=SLUG, topic_id=t.pk, post_id=post),
        )
    )
    pairs.append(
        (
            _url("community:flag", space_slug="ouvert", topic_id=g.open_topic.pk, post_id=g.opening.pk),
            _url("community:flag", space_slug="ouvert", topic_id=g.open_topic.pk, post_id=post),
        )
    )
    pairs.append((_url("community:image", image_id=g.image.pk), _url("community:image", image_id=image)))
    for name in ("community:topic", "community:reply"):
        pairs.append(
            (_url(name, space_slug="public", topic_id=t.pk), _url(name, space_slug="public", topic_id=topic))
        )
    return pairs


def own_pages(group: Group) -> list[str]:
    """Pages an outsider may open: none of them may show anything of the group."""
    open_topic = _url("community:topic", space_slug="ouvert", topic_id=group.open_topic.pk)
    return [
        _url("community:spaces"),
        _url("community:bookmarks"),
        _url("community:unread"),
        _url("community:moderation-figures"),
        _url("community:space", space_slug="ouvert"),
        open_topic + "?page=1",
        # A quote link naming the group's post, on a topic the outsider reads: no quote comes.
        open_topic + f"?citer={group.opening.pk}",
        _url("community:reply", space_slug="ouvert", topic_id=group.open_topic.pk),
        _url("community:topic-new", space_slug="ouvert"),
        _url("notifications:centre"),
        _url("notifications:unread-count"),
        _url("notifications:preferences"),
    ]


def test_an_insider_sees_every_sentinel_of_the_group(group):
    """The matrix's control: the sentinels are where the pages look."""
    seen: set[str] = set()
    client = client_for(group.people["owner"])
    for url in (
        _url("community:spaces"),
        _url("community:space", space_slug=SLUG),
        _url("community:topic", space_slug=SLUG, topic_id=group.topic.pk) + "?page=1",
        _url("community:topic", space_slug=SLUG, topic_id=group.new_topic.pk) + "?page=1",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        seen.update(leaked(group, response.content.decode()))
    assert set(WORDS) <= seen, set(WORDS) - seen
    assert client.get(_url("community:image", image_id=group.image.pk)).status_code == 200


def test_pages_show_an_outsider_nothing_of_the_group(group):
    """Each outsider, each page (one fixture for all: building the group costs more than the
    requests)."""
    for who in OUTSIDERS:
        _pages_as(group, who)


def _pages_as(group: Group, who: str) -> None:
    client = client_of(group, who)
    for url in own_pages(group):
        response = client.get(url)
        assert response.status_code in {200, 302}, (who, url, response.status_code)
        assert not leaked(group, response.content.decode(), asked=url), (who, url)
    for url, nowhere in guessed_urls(group):
        response, twin = client.get(url), client.get(nowhere)
        assert response.status_code == twin.status_code, (who, url, response.status_code, twin.status_code)
        assert response.content == twin.content, (who, url)
        assert not leaked(group, response.content.decode()), (who, url)
        assert not leaked(group, str(response.headers), asked=url), (who, url)
        if who == "anonymous" and "/public/" in url and "repondre" not in url:  # no such topic there
            assert response.status_code == 404, url
        elif who == "anonymous":  # sent to log in, known address or not
            assert response.status_code == 302, url
            assert response["Location"] == redirect_to_login(url).url, url
            assert twin["Location"] == redirect_to_login(nowhere).url, nowhere
        else:
            assert response.status_code == 404, (who, url)


def _rows(person: Any) -> dict[str, Any]:
    """What a write could have stored for ``person``."""
    return {
        "posts": Post.objects.filter(author=person).count(),
        "topics": Topic.objects.filter(author=person).count(),
        "flags": Flag.objects.filter(reporter=person).count(),
        "reactions": Reaction.objects.filter(member=person).count(),
        "bookmarks": Bookmark.objects.filter(member=person).count(),
        "follows": sorted(
            map(str, Subscription.objects.filter(member=person).values_list("topic_id", "space_id", "level"))
        ),
        "positions": sorted(
            ReadPosition.objects.filter(member=person).values_list("last_read_number", flat=True)
        ),
    }


def test_every_write_into_the_group_is_the_same_404_and_stores_nothing(group):
    for who in OUTSIDERS:
        _writes_as(group, who)


def _writes_as(group: Group, who: str) -> None:
    client = client_of(group, who)
    person = group.people.get(who)
    topic, post = group.topic, group.opening
    kw = {"space_slug": SLUG, "topic_id": topic.pk}
    nowhere = {"space_slug": "nexiste-pas", "topic_id": uuid.uuid4()}
    writes = [
        ("community:reply", {"body": "Coucou"}),
        ("community:reply", {"body": ""}),  # an invalid form: the error page is the same 404
        ("community:reply", {"body": "Je cite", "quoted": str(post.pk)}),
        ("community:topic-read", {"number": "99"}),
        ("community:topic-follow", {"level": "muted"}),
    ]
    before = _rows(person) if person is not None else None
    for name, data in writes:
        response = client.post(_url(name, **kw), data)
        twin = client.post(_url(name, **nowhere), data)
        assert (response.status_code, response.content) == (twin.status_code, twin.content), (who, name)
    for name, data in (
        ("community:topic-new", {"title": "T", "body": "B"}),
        ("community:space-follow", {"level": ""}),
    ):
        response = client.post(_url(name, space_slug=SLUG), data)
        twin = client.post(_url(name, space_slug="nexiste-pas"), data)
        assert (response.status_code, response.content) == (twin.status_code, twin.content), (who, name)
    for name, data in (
        ("community:post-support", {"support": "yes"}),
        ("community:post-bookmark", {"keep": "yes"}),
        ("community:flag", {"about": "post", "reason": "spam"}),
    ):
        response = client.post(_url(name, post_id=post.pk, **kw), data)
        twin = client.post(_url(name, post_id=uuid.uuid4(), **kw), data)
        assert (response.status_code, response.content) == (twin.status_code, twin.content), (who, name)
        assert response.status_code == (302 if person is None else 404), (who, name)
        assert not leaked(group, response.content.decode())
    if person is not None:
        assert _rows(person) == before, who


def test_the_api_answers_a_non_member_as_if_nothing_were_there(group):
    for who in ("stranger", "former", "moderator"):
        _api_as(group, who)


def _api_as(group: Group, who: str) -> None:
    from entraide.api.tests.conftest import every_area_token

    client = api_client(every_area_token(group.people[who]))
    base = "/api/v1/community"
    spaces = client.get(f"{base}/spaces")
    assert spaces.status_code == 200 and not leaked(group, spaces.content.decode())
    assert [s["slug"] for s in spaces.json()["items"]] == ["ouvert", "public"]
    assert spaces.json()["count"] == 2
    open_posts = client.get(f"{base}/topics/{group.open_topic.pk}/posts")
    assert open_posts.status_code == 200 and not leaked(group, open_posts.content.decode())
    topic, post, other = group.topic.pk, group.opening.pk, uuid.uuid4()
    before = _rows(group.people[who])
    for method, url, body in (
        ("get", f"{base}/spaces/{SLUG}", None),
        ("get", f"{base}/spaces/{SLUG}/topics", None),
        ("get", f"{base}/topics/{topic}", None),
        ("get", f"{base}/topics/{topic}/posts", None),
        ("get", f"{base}/posts/{post}", None),
        ("post", f"{base}/spaces/{SLUG}/topics", {"title": "T", "body": "B"}),
        ("post", f"{base}/topics/{topic}/posts", {"body": "Coucou"}),
        ("post", f"{base}/topics/{topic}/posts", {"body": ""}),  # invalid: 404 first, like elsewhere
        ("post", f"{base}/topics/{topic}/posts", {"body": "x", "quoted_id": str(post)}),
        ("put", f"{base}/posts/{post}/support", None),
        ("delete", f"{base}/posts/{post}/support", None),
    ):
        twin_url = (
            url.replace(str(topic), str(other)).replace(str(post), str(other)).replace(SLUG, "nexiste-pas")
        )
        if method == "post":
            response, twin = json_post(client, url, body), json_post(client, twin_url, body)
        else:
            response, twin = getattr(client, method)(url), getattr(client, method)(twin_url)
        assert response.status_code == twin.status_code == 404, (who, method, url, response.status_code)
        assert response.content == twin.content, (who, method, url)
    assert _rows(group.people[who]) == before


def test_no_notification_nor_email_reaches_an_outsider(group, mailoutbox):
    """The former member following the topic and the space, quoted after they left, and the
    outsiders mentioned or following the space: told nothing. The members are told (the control),
    by titles that name nothing, in the centre, at once by email and in the daily digest."""
    owner, insider = group.people["owner"], group.people["insider"]
    outsiders = [group.people[k] for k in ("stranger", "former", "moderator")]
    for person in outsiders:
        assert not Notification.objects.filter(owner=person).exists(), person.pseudonym
    assert Notification.objects.filter(owner=owner).exists()  # a reply in the topic they wrote in
    assert Notification.objects.filter(owner=insider).exists()  # the opener: replies
    # The daily digest, the next day after 08:00 everywhere in Europe.
    at = datetime.now(UTC).replace(hour=12, minute=0) + timedelta(days=1)
    assert notifications.send_due_digests(at) >= 2
    run_jobs()
    emails = list(mail.outbox)
    to = {address for message in emails for address in message.to}
    assert {owner.email, insider.email} <= to
    assert not {p.email for p in outsiders} & to
    for message in emails:
        text = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
        assert not leaked(group, text), message.to
    # The centre and its counter, as each outsider sees them.
    for person in outsiders:
        client = client_for(person)
        assert notifications.unread_count(person) == 0
        for url in (_url("notifications:centre"), _url("notifications:unread-count")):
            assert not leaked(group, client.get(url).content.decode())
    # The members' centre names nothing of the group either: titles are generic, links opened by POST.
    page = client_for(owner).get(_url("notifications:centre")).content.decode()
    assert not [s for s in WORDS if s in page]


def test_counts_leave_the_group_out(group):
    """The spaces list shows the open space's counts only, "N nouveaux" and "Non lus" count the
    open topic only, and the former member's bookmark and position in the group are gone."""
    former = client_for(group.people["former"])
    spaces = former.get(_url("community:spaces")).content.decode()
    assert spaces.count('class="card"') == 2  # the open space and the public one
    # The open space's one topic and the public space's none, not the group's two.
    assert re.findall(r"\b(\d+) topics?\b", spaces) == ["1", "0"]
    # The former member's read position in the group (1 of 4) gives no "N new" anywhere.
    unread = former.get(_url("community:unread")).content.decode()
    assert not re.search(r"\d+ new\b", unread) and "Nothing new in the topics you read." in unread
    assert 'class="card"' not in former.get(_url("community:bookmarks")).content.decode()
    # The stranger's "N new" counts the open topic only: 1 new post since their own reply.
    services.add_reply(group.people["owner"], group.open_topic, body="Encore")
    page = client_for(group.people["stranger"]).get(_url("community:space", space_slug="ouvert"))
    assert re.findall(r"\d+ new\b", page.content.decode()) == ["1 new"]
    figures = client_for(None).get(_url("community:moderation-figures"))
    assert figures.status_code in {200, 302} and not leaked(group, figures.content.decode())


def test_a_moderator_reads_the_groups_reports_in_the_queue_only(group):
    """The documented exception: the report made in the group is in the queue, with the post and
    where it is; the moderator's community pages and the spaces a topic may be moved to know
    nothing of the group (checked above and here)."""
    client = client_for(group.people["moderator"])
    queue = client.get(_url("moderation:queue")).content.decode()
    assert TOPIC in queue and TITLE in queue
    case = client.get(_url("moderation:post", post_id=group.opening.pk), follow=True).content.decode()
    assert BODY in case
    direct = client.get(_url("moderation:post", post_id=group.open_topic.posts.get(number=1).pk))
    assert direct.status_code == 200
    assert not leaked(group, direct.content.decode())  # the move list offers the spaces they read
    for who in ("stranger", "former", "anonymous"):
        for url in (_url("moderation:queue"), _url("moderation:post", post_id=group.opening.pk)):
            response = client_of(group, who).get(url)
            assert response.status_code in {302, 403}, (who, url)
            assert not leaked(group, response.content.decode())


def test_a_former_members_export_keeps_their_own_rows_without_the_groups_content(group):
    """Their bookmark, reaction, follow and read position in the group stay in their export (their
    own rows), without the group's title or topic: those are others' words they no longer read.
    Their own post there is theirs, with its place."""
    from entraide.community import personal_data

    former = group.people["former"]
    parts = {
        "bookmarks": personal_data.export_bookmarks(former),
        "reactions": personal_data.export_reactions(former),
        "follows": personal_data.export_follows(former),
        "read_positions": personal_data.export_read_positions(former),
    }
    for key, part in parts.items():
        assert part.records, key
        own_ids = repr(part.records).replace(str(group.opening.pk), "").replace(str(group.topic.pk), "")
        assert not leaked(group, own_ids), key  # the ids of what they held, nothing more
    own = personal_data.export_posts(former).records
    assert [r["body"] for r in own] == [FORMER_POST]


# --- Hostile text ---------------------------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script>'
ONERROR = "<img src=x onerror=alert(1)>"
PSEUDONYM = "<b onmouseover=alert(1)>Xss"  # the accounts app allows any character but one letter
HOSTILE_BODY = "\n\n".join(
    (
        SCRIPT,
        ONERROR,
        "[clic](javascript:alert(1)) [deux](JaVaScRiPt:alert(2)) [trois]( javascript:alert(3))",
        "[quatre](&#106;avascript:alert(4)) [cinq](data:text/html;base64,PHNjcmlwdD4=)",
        "![image](javascript:alert(6))",
        '<a href="javascript:alert(7)">sept</a>',
        "&lt;script&gt; &amp;lt; &#60;script&#62;",
        '<svg onload=alert(8)></svg> <iframe src="//evil.example"></iframe>',
    )
)
RAW = (SCRIPT, ONERROR, PSEUDONYM, '<a href="javascript:', "<svg onload", "<iframe", "<script>")


class _Markup(HTMLParser):
    """Every start tag and attribute of a page: what a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"iframe", "svg", "object", "embed"}:
            self.bad.append(tag)
        if tag == "script" and not dict(attrs).get("src"):
            self.bad.append("inline script")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if tag == "link":
                continue  # the layout's own favicon is "data:,"
            if name in {"href", "src", "action", "formaction"} and scheme.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.bad.append(f"{tag} {name}={value}")


def unsafe(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.bad + [raw for raw in RAW if raw in html]


def test_markdown_drops_javascript_urls_and_raw_html():
    html = str(render_post(HOSTILE_BODY, keep_image=services.is_own_image))
    assert not unsafe(html), unsafe(html)
    assert '<a rel="noopener noreferrer">clic</a>' in html  # the words kept, the address dropped
    assert html.count("<a ") == html.count('<a rel="noopener noreferrer">') == 6
    assert "&lt;script&gt;" in html  # raw HTML reads back as the text typed


@pytest.fixture
def hostile(owner, admin_user, moderator):
    from entraide.community.tests.factories import set_rules

    set_rules(approvals=0)
    author = make_user("Auteur")
    author.pseudonym = PSEUDONYM
    author.save()
    space = make_space(slug="hostile", title=SCRIPT)
    services.update_space(
        space,
        slug="hostile",
        title=SCRIPT,
        description=ONERROR,
        charter=HOSTILE_BODY,
        visibility=Visibility.MEMBERS,
        position=1,
    )
    topic = make_topic(author, space, title=f"{SCRIPT}{ONERROR}", body=HOSTILE_BODY, content_warning=ONERROR)
    opening = topic.posts.get(number=1)
    services.add_reply(
        author,
        topic,
        body=f"@Camille {SCRIPT}",
        quoted=opening,
        image=uploads.clean_image(png_file()),
        image_description=f'"><script>alert(9)</script>{ONERROR}',
    )
    services.set_topic_level(owner, topic, level="following")
    again = services.add_reply(author, topic, body="Encore")
    # A moderator's reason, in their log and in the author's notification.
    moderation.act(
        moderator, target_kind=services.POST_KIND, target_id=str(again.pk), action="lock", reason=SCRIPT
    )
    services.bookmark_post(owner, opening, keep=True)
    services.mark_read_up_to(owner, topic, 1)
    moderation.flag(
        owner, target_kind=services.POST_KIND, target_id=str(opening.pk), reason="spam", note=SCRIPT
    )
    run_jobs()
    notifications.set_channel(owner, "community.mention", "digest")
    notifications.set_channel(owner, "community.reply", "email")  # this one is emailed at once
    notifications.notify(owner, "community.reply", title=SCRIPT + ONERROR, body=ONERROR, link="/communaute/")
    notifications.notify(owner, "community.mention", title=SCRIPT, link="/communaute/")
    return {"author": author, "space": space, "topic": topic, "opening": opening}


def test_hostile_text_is_escaped_on_every_page(hostile, owner, moderator, admin_user, mailoutbox):
    topic, opening = hostile["topic"], hostile["opening"]
    kw = {"space_slug": "hostile", "topic_id": topic.pk}
    pages = {
        owner: [
            _url("community:spaces"),
            _url("community:space", space_slug="hostile"),
            _url("community:topic", **kw) + "?page=1",
            _url("community:topic", **kw) + f"?citer={opening.pk}",
            _url("community:flag", post_id=opening.pk, **kw),
            _url("community:bookmarks"),
            _url("community:unread"),
            _url("notifications:centre"),
        ],
        moderator: [
            _url("moderation:queue"),
            _url("moderation:post", post_id=opening.pk),
            _url("moderation:log"),
        ],
        admin_user: [_url("community_manage:spaces")],
        hostile["author"]: [_url("notifications:centre")],
    }
    seen = 0
    for person, urls in pages.items():
        client = client_for(person)
        for url in urls:
            response = client.get(url, follow=True)  # the post's page sends to its open case
            assert response.status_code == 200, url
            assert not unsafe(response.content.decode()), (url, unsafe(response.content.decode()))
            seen += 1
    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
    for person in (owner, hostile["author"]):  # the payloads did reach the centres, escaped
        assert escaped in client_for(person).get(_url("notifications:centre")).content.decode()
    # The payload typed again into a form refused: shown back, escaped.
    refused = client_for(owner).post(
        _url("community:reply", **kw), {"body": HOSTILE_BODY, "content_warning": "x" * 200}
    )
    assert refused.status_code == 400 and not unsafe(refused.content.decode())
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in refused.content.decode()
    refused = client_for(owner).post(
        _url("community:topic-new", space_slug="hostile"), {"title": SCRIPT, "body": ""}
    )
    assert refused.status_code == 400 and not unsafe(refused.content.decode())
    assert 'value="&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"' in refused.content.decode()
    # Notification emails, at once and in the digest: plain text only (no HTML part to escape).
    at = datetime.now(UTC).replace(hour=12, minute=0) + timedelta(days=1)
    assert notifications.send_digest(owner.pk, at)
    sent = [m for m in mailoutbox if owner.email in m.to]
    assert len(sent) >= 2
    for message in sent:
        assert not message.alternatives, message.subject
        assert SCRIPT not in message.subject
    assert seen == 13


def test_the_api_gives_hostile_posts_as_data_and_their_html_sanitised(hostile, owner):
    from entraide.api.tests.conftest import every_area_token

    client = api_client(every_area_token(owner))
    posts = client.get(f"/api/v1/community/topics/{hostile['topic'].pk}/posts").json()["items"]
    assert posts[0]["body"] == HOSTILE_BODY  # as written: JSON is data
    for post in posts:
        assert not unsafe(post["html"]), post["html"]
