"""The community's pages: spaces, a space's topics, a topic's posts with the reply form, a new
topic, and the images posts show. Everything loads through ``access``; a restricted space and
everything in it is a 404 for those outside it."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import npgettext, pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.accounts.roles import roles_of
from entraide.community import access, moderation, pause, rules, services, views_watch
from entraide.community.forms import FlagForm, ReplyForm, TopicForm
from entraide.community.models import (
    Bookmark,
    CaseStatus,
    Flag,
    FlagReason,
    Ignore,
    ModerationCase,
    Reaction,
    Space,
    Status,
    Topic,
)
from entraide.community.permissions import is_moderator
from entraide.core import instance
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.core.errors import InvalidValuesError
from entraide.core.forms import formstash, formtokens
from entraide.core.web import ratelimits
from entraide.core.web.routes import audience

TOPICS_PER_PAGE = 30


POSTS_PER_PAGE = services.POSTS_PER_PAGE


# A post's own address, built once per page with this id then replaced per post: 50 reverse()
# calls per action would cost more than the rest of the loop.
_SAMPLE_POST = uuid.UUID(int=0)


def members_only_to_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A logged-out visitor asking for a page that only members read goes to log in."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except access.LoginNeededError:
            return redirect_to_login(request.get_full_path())

    return wrapped


def _page(items: Any, per_page: int, number: str | None, count: int) -> Page[Any]:
    paginator = Paginator(items, per_page)
    paginator.count = count  # kept on the row by the services: no COUNT(*) on a big table
    return paginator.get_page(number)


def name_authors(items: list[Any], *, when: str = "created_at") -> list[Any]:
    """Set ``by`` on each topic or post (the pseudonym, or the words shown instead) and ``when``
    and ``when_iso`` (its date, in the reader's time zone). Done here rather than by an include
    and ``|date`` filters per row: on a page of 50 posts, those cost a third of the page."""
    left = pgettext("community author", "A member who left")
    anonymous = pgettext("community author", "Anonymous member")
    for item in items:
        moment = timezone.localtime(getattr(item, when))
        item.when_iso = moment.isoformat()
        item.when = f"{moment.day} {MONTHS[moment.month]} {moment.year}, {moment:%H:%M}"
        if item.author_left or item.author_id is None:
            item.by = left
        elif item.anonymous:
            item.by = anonymous
        else:
            item.by = item.author.pseudonym
    return items


def name_post_authors(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``name_authors`` for posts read with ``values()``; a quote keeps its author's pseudonym
    only while that author is here and was named."""
    left = pgettext("community author", "A member who left")
    anonymous = pgettext("community author", "Anonymous member")
    for post in posts:
        moment = timezone.localtime(post["created_at"])
        post["when_iso"] = moment.isoformat()
        post["when"] = f"{moment.day} {MONTHS[moment.month]} {moment.year}, {moment:%H:%M}"
        if post["author_left"] or post["author_id"] is None:
            post["by"] = left
        elif post["anonymous"]:
            post["by"] = anonymous
        else:
            post["by"] = post["pseudonym"]
        if post["quoted_hides_author"]:
            post["quoted_pseudonym"] = None
    return posts


def describe_posts(posts: list[dict[str, Any]], *, reader_pk: Any) -> list[dict[str, Any]]:
    """Set the words and values a post's actions show, once per post here rather than by
    ``blocktranslate`` and numbers localized in the loop (with the per-post forms, those were
    half of a member's topic page). Shared by the topic page and the htmx answers of its buttons
    (``community/topic/support.html``, ``bookmark.html``), so that both give the same markup.

    ``n``: the post's number as text; ``which``: "message 12", for screen readers; ``mine``;
    ``support_text``: "3 members support this" (or "… support you" to the author), "" at 0;
    and, when the reader's reaction and bookmark were read, what each button sends next."""
    message = pgettext("community post", "message")
    for post in posts:
        n = str(post["number"])
        post["n"] = n
        post["which"] = f"{message} {n}"
        mine = reader_pk is not None and post["author_id"] == reader_pk
        post["mine"] = mine
        count = post["support_count"]
        if not count:
            post["support_text"] = ""
        elif mine:
            post["support_text"] = npgettext(
                "community post", "%(n)s member supports you", "%(n)s members support you", count
            ) % {"n": count}
        else:
            post["support_text"] = npgettext(
                "community post", "%(n)s member supports this", "%(n)s members support this", count
            ) % {"n": count}
        if "supported" in post:
            post["support_next"], post["pressed"] = ("no", "true") if post["supported"] else ("yes", "false")
        if "bookmarked" in post:
            post["keep_next"] = "no" if post["bookmarked"] else "yes"
    return posts


def topic_url(topic: Topic, *, number: int | None = None, page_always: bool = False) -> str:
    """The topic's address, or a post's place in it (``page_always``: with ``?page=`` on page 1
    too, for a redirect from the bare address, which must not redirect again)."""
    url = reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})
    if number is None:
        return url
    page = (number - 1) // POSTS_PER_PAGE + 1
    return f"{url}?page={page}#message-{number}" if page > 1 or page_always else f"{url}#message-{number}"


@audience("public")
@members_only_to_login
@require_safe
def space_list(request: HttpRequest) -> HttpResponse:
    spaces = list(access.visible_spaces(request.user))
    moderating = request.user.is_authenticated and is_moderator(request.user, roles=roles_of(request))
    return render(
        request,
        "community/spaces/index.html",
        {"spaces": spaces, "moderating": moderating, "paused_until": pause.paused_until(request.user)},
    )


@audience("public")
@members_only_to_login
@require_safe
def space_detail(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    topics = (
        access.with_read_numbers(request.user, access.filter_topics_in(space))
        .select_related("author")
        .only(
            "id",
            "title",
            "anonymous",
            "author_left",
            "post_count",
            "last_number",
            "last_post_at",
            "created_at",
            "author__pseudonym",
        )
    )
    page = _page(topics, TOPICS_PER_PAGE, request.GET.get("page"), space.topic_count)
    listed = name_authors(list(page.object_list), when="last_post_at")
    for topic in listed:
        # Posts beyond where the member stopped; None for a topic never opened (or logged out).
        read = getattr(topic, "read_number", None)
        topic.unread = None if read is None else max(0, topic.last_number - read)
    can_write = access.can_write(request.user, space)
    return render(
        request,
        "community/space/index.html",
        {
            "space": space,
            "page_obj": page,
            "topics": listed,
            "charter": render_post(space.charter, keep_image=services.is_own_image) if space.charter else "",
            "can_write": can_write,
            "space_level": access.space_level_for(request.user, space) if can_write else None,
            "paused_until": pause.paused_until(request.user) if can_write else None,
            "moderation_hours": _hours(rules.Rules.of(instance.settings_for(request))),
            **views_watch.after_post_context(request),
        },
    )


def _topic_page(
    request: HttpRequest,
    space: Space,
    topic: Topic,
    form: ReplyForm | None,
    *,
    page_number: Any,
    status: int = 200,
    member: bool | None = None,
) -> HttpResponse:
    # values(), not model instances: 50 posts with their authors and quotes would build 200
    # objects per page, a fifth of its time; the template reads the same names from dicts.
    # The reader's own reaction and bookmark come in the same query (one EXISTS per row, on the
    # unique (post, member) indexes): the page makes no query per post.
    if member is None:  # a reply form means a member; a locked topic has none, say so
        member = form is not None
    mine: dict[str, Any] = {}
    if member:
        mine = {
            "supported": Exists(Reaction.objects.filter(post=OuterRef("pk"), member_id=request.user.pk)),
            "bookmarked": Exists(Bookmark.objects.filter(post=OuterRef("pk"), member_id=request.user.pk)),
            # Whether the reader ignores its author: folded in _member_context (blocking.py).
            "author_ignored": Exists(
                Ignore.objects.filter(member_id=request.user.pk, ignored_id=OuterRef("author_id"))
            ),
        }
    posts = access.filter_posts_in(topic).values(
        "id",
        "number",
        "anonymous",
        "author_left",
        "author_id",
        "body_html",
        "content_warning",
        "created_at",
        "quoted_id",
        "moderation_note",
        "support_count",
        pseudonym=F("author__pseudonym"),
        quoted_number=F("quoted__number"),
        quoted_hides_author=Q(quoted__anonymous=True) | Q(quoted__author_left=True),
        quoted_pseudonym=F("quoted__author__pseudonym"),
        **mine,
    )
    page = _page(posts, POSTS_PER_PAGE, page_number, topic.post_count)
    listed = describe_posts(name_post_authors(list(page.object_list)), reader_pk=request.user.pk)
    context: dict[str, Any] = {}
    if member:
        context = _member_context(request, space, topic, listed)
    return render(
        request,
        "community/topic/index.html",
        {
            **context,
            "member": member,
            "space": space,
            "topic": topic,
            "page_obj": page,
            "posts": listed,
            **_moderation_context(request, topic, listed),
            **views_watch.after_post_context(request),
            "form": form,
            "reply_url": reverse("community:reply", kwargs={"space_slug": space.slug, "topic_id": topic.pk}),
            "quote_query": f"?page={page.number}&citer=" if page.number > 1 else "?citer=",
        },
        status=status,
    )


def _member_context(
    request: HttpRequest, space: Space, topic: Topic, posts: list[dict[str, Any]]
) -> dict[str, Any]:
    """What a member sees beyond the posts: the actions on each post, their follow state, and
    the form that records how far they read (sent by htmx once the page is shown, or by the
    "next page" button without JavaScript)."""
    kwargs = {"space_slug": space.slug, "topic_id": topic.pk, "post_id": _SAMPLE_POST}
    support_url = reverse("community:post-support", kwargs=kwargs)
    bookmark_url = reverse("community:post-bookmark", kwargs=kwargs)
    sample = str(_SAMPLE_POST)
    for post in posts:
        post_id = str(post["id"])
        post["support_url"] = support_url.replace(sample, post_id)
        post["bookmark_url"] = bookmark_url.replace(sample, post_id)
        # Only a named post of someone else folds or offers "ignore": an anonymous one must not
        # tell its reader who wrote it.
        named = not (post["mine"] or post["anonymous"] or post["author_left"] or post["author_id"] is None)
        post["can_ignore"] = named
        post["folded"] = named and post.get("author_ignored", False)
    read_number = getattr(topic, "read_number", None)  # access.get_topic_in(…, reader=…)
    last_on_page = posts[-1]["number"] if posts else 0
    return {
        "paused_until": pause.paused_until(request.user),
        "read_url": reverse("community:topic-read", kwargs={"space_slug": space.slug, "topic_id": topic.pk}),
        "follow_url": reverse(
            "community:topic-follow", kwargs={"space_slug": space.slug, "topic_id": topic.pk}
        ),
        "last_on_page": last_on_page,
        "unread_here": read_number is None or last_on_page > read_number,
        "topic_level": getattr(topic, "topic_level", None),
        "space_level": getattr(topic, "space_level", None),
    }


def _moderation_context(request: HttpRequest, topic: Topic, posts: list[dict[str, Any]]) -> dict[str, Any]:
    """What the topic page needs for moderation: the base of each post's "report" and
    "moderate" links, and whether to show its author the crisis numbers (a post of theirs on
    this page was reported by someone worried about them). One query, only when the viewer
    wrote a post of this page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    base = reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})
    own = [str(p["id"]) for p in posts if p["author_id"] == user.pk]
    worried = bool(own) and (
        ModerationCase.objects.filter(
            target_kind=services.POST_KIND, target_id__in=own, status=CaseStatus.OPEN, danger=True
        ).exists()
    )
    moderating = is_moderator(user, roles=roles_of(request))
    return {
        "flag_base": base,
        "moderate_base": reverse("moderation:queue") + "message/" if moderating else "",
        "worried": worried,
    }


@audience("public")
@members_only_to_login
@require_safe
def topic_detail(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id, reader=request.user)
    form = None
    can_write = access.can_write(request.user, space)
    if can_write:
        read_number = getattr(topic, "read_number", None)
        if (
            "page" not in request.GET
            and "citer" not in request.GET
            and read_number is not None
            and read_number < topic.last_number
        ):
            # Open where the member stopped: the first post they have not read (a GET that only
            # reads; the position moves by a POST, once the page is shown).
            return redirect(topic_url(topic, number=read_number + 1, page_always=True))
    if can_write and not topic.locked:
        initial: dict[str, str] = {}
        quoted = access.get_post_in(topic, request.GET["citer"]) if "citer" in request.GET else None
        if quoted is not None:
            initial = {"body": services.quote_of(quoted), "quoted": str(quoted.pk)}
        form = ReplyForm(
            formstash.posted_or_kept(request), initial=initial, anonymous_allowed=space.anonymous_allowed
        )
    return _topic_page(request, space, topic, form, page_number=request.GET.get("page"), member=can_write)


@audience("login")
@login_required
@members_only_to_login
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    """A reply (the form at the bottom of the topic). A GET shows the topic's last page with its
    reply form, holding the reply typed before a session ended if there is one."""
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id, reader=request.user)
    if not access.can_write(request.user, space):
        raise Http404
    last = (topic.post_count - 1) // POSTS_PER_PAGE + 1
    data = formstash.posted_or_kept(request)
    if request.method != "POST":
        form = None if topic.locked else ReplyForm(data, anonymous_allowed=space.anonymous_allowed)
        return _topic_page(request, space, topic, form, page_number=last)
    form = ReplyForm(data, request.FILES, anonymous_allowed=space.anonymous_allowed)
    if form.is_valid() and (held := _held_or_error(request, form, space, topic)) is not None:
        user = request.user

        watched: list[bool] = []  # whether the post waits, when the crisis watch matched

        def save() -> str:
            quoted_id = form.cleaned_data["quoted"]
            quoted = access.get_post_in(topic, quoted_id) if quoted_id else None
            post = services.add_reply(user, topic, quoted=quoted, **form.values())
            if post.crisis_watch:
                watched.append(post.status == Status.HELD)
            if post.status == Status.HELD:
                return topic_url(topic)
            return topic_url(topic, number=post.number)

        done = formtokens.save_once(
            request,
            form,
            save,
            message=_held_message(request) if held else pgettext("post form", "Your reply is posted."),
        )
        if done:
            if watched:  # set once saved: a refused or rolled back post shows nothing
                views_watch.remember_after_post(request, held=watched[0])
            return done
    return _topic_page(request, space, topic, form, page_number=last, status=400)


@audience("login")
@login_required
@members_only_to_login
@require_http_methods(["GET", "HEAD", "POST"])
def topic_new(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    if not access.can_write(request.user, space):
        raise Http404
    form = TopicForm(
        formstash.posted_or_kept(request), request.FILES or None, anonymous_allowed=space.anonymous_allowed
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (held := _held_or_error(request, form, space, None)) is not None
    ):
        user = request.user

        watched: list[bool] = []  # whether the post waits, when the crisis watch matched

        def save() -> str:
            topic = services.start_topic(user, space, **form.values())
            if topic.crisis_watch:
                watched.append(topic.status == Status.HELD)
            if topic.status == Status.HELD:
                return reverse("community:space", kwargs={"space_slug": space.slug})
            return topic_url(topic)

        done = formtokens.save_once(
            request,
            form,
            save,
            message=_held_message(request) if held else pgettext("post form", "Your topic is posted."),
        )
        if done:
            if watched:
                views_watch.remember_after_post(request, held=watched[0])
            return done
    return render(
        request,
        "community/topic_new/index.html",
        {"space": space, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@audience("public")
@members_only_to_login
@require_safe
def image(request: HttpRequest, image_id: uuid.UUID) -> HttpResponse:
    """An image of a post, under its space's visibility: inert (sandboxed, never sniffed)."""
    found = access.get_image_for(request.user, image_id)
    try:
        data = uploads.read(found.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    return uploads.file_response(data, content_type=found.content_type)


def _held_or_error(request: HttpRequest, form: Any, space: Space, topic: Topic | None) -> bool | None:
    """Whether the post will wait for approval (for the message shown after it), or ``None``
    with the reason on the form when the member may not post here now (suspended, locked
    topic, slow mode); the service checks again when it writes."""
    try:
        return moderation.check_may_post(request.user, space=space, topic=topic)
    except InvalidValuesError as refused:
        form.add_service_errors(refused)
        return None


def _held_message(request: HttpRequest) -> str:
    current = rules.Rules.of(instance.settings_for(request))
    return pgettext(
        "post form",
        "Thank you. As a new member, your first %(n)s messages are read by a moderator before they are "
        "published: yours will appear once approved, usually within a day (moderation hours: %(hours)s). "
        "You will be told in your notifications.",
    ) % {"n": current.approvals, "hours": _hours(current)}


def _hours(current: rules.Rules) -> str:
    from entraide.community.views_moderation import hours_text

    return hours_text(current)


FLAG_LIMIT = moderation.FLAG_LIMIT


@audience("login")
@login_required
@members_only_to_login
@require_http_methods(["GET", "HEAD", "POST"])
def flag(request: HttpRequest, space_slug: str, topic_id: uuid.UUID, post_id: uuid.UUID) -> HttpResponse:
    """Report a post (or its topic's title, or its author's behaviour) to the moderators: one
    report per member and thing, which they may change; never one's own post."""
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id)
    post = access.get_post_in(topic, post_id)
    if post is None:
        raise Http404
    back = topic_url(topic, number=post.number)
    if post.author_id == request.user.pk:
        messages.info(request, pgettext("flag form", "This is your own message: you cannot report it."))
        return redirect(back)
    targets = services.flag_targets(post)
    labels = {
        "post": pgettext("flag form", "This message"),
        "topic": pgettext("flag form", "The topic's title"),
        "member": pgettext("flag form", "This member's behaviour, beyond this message"),
    }
    about = [(key, labels[key]) for key in targets]
    earlier = Flag.objects.filter(
        reporter_id=request.user.pk, target_kind=services.POST_KIND, target_id=str(post.pk)
    ).first()
    initial = {"reason": earlier.reason, "note": earlier.note} if earlier else {}
    form = FlagForm(request.POST if request.method == "POST" else None, initial=initial, about=about)
    status = 400
    if request.method == "POST" and form.is_valid():
        wait = ratelimits.hit(FLAG_LIMIT, str(request.user.pk))
        if wait is not None:
            form.add_error(
                None,
                pgettext(
                    "flag form",
                    "You have sent many reports in a short time. Nothing was sent: try again in %(minutes)s minutes.",
                )
                % {"minutes": max(1, wait // 60)},
            )
            status = 429
        else:
            user = request.user
            kind, target_id = targets[form.cleaned_data["about"]]
            reason = form.cleaned_data["reason"]

            def save() -> str:
                moderation.flag(
                    user, target_kind=kind, target_id=target_id, reason=reason, note=form.cleaned_data["note"]
                )
                return back

            if reason == FlagReason.DANGER:
                thanks = pgettext(
                    "flag form",
                    "Thank you for caring. A moderator will read it first. If you think a life is in danger "
                    "right now, call 112 (or 15).",
                )
            else:
                thanks = pgettext(
                    "flag form", "Thank you: a moderator will read it. Nobody is told who reported it."
                )
            done = formtokens.save_once(request, form, save, message=thanks)
            if done:
                return done
    return render(
        request,
        "community/flag/index.html",
        {"space": space, "topic": topic, "post": post, "form": form, "back": back, "earlier": earlier},
        status=status if request.method == "POST" else 200,
    )
