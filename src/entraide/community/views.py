"""The community's pages: spaces, a space's topics, a topic's posts with the reply form, a new
topic, and the images posts show. Everything loads through ``access``; a restricted space and
everything in it is a 404 for those outside it."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.community import access, services
from entraide.community.forms import ReplyForm, TopicForm
from entraide.community.models import Bookmark, Reaction, Space, Topic
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.core.forms import formstash, formtokens
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
    return render(request, "community/spaces/index.html", {"spaces": spaces})


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
        topic.unread = None if read is None else topic.post_count - read
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
) -> HttpResponse:
    # values(), not model instances: 50 posts with their authors and quotes would build 200
    # objects per page, a fifth of its time; the template reads the same names from dicts.
    # The reader's own reaction and bookmark come in the same query (one EXISTS per row, on the
    # unique (post, member) indexes): the page makes no query per post.
    member = form is not None
    mine: dict[str, Any] = {}
    if member:
        mine = {
            "supported": Exists(Reaction.objects.filter(post=OuterRef("pk"), member_id=request.user.pk)),
            "bookmarked": Exists(Bookmark.objects.filter(post=OuterRef("pk"), member_id=request.user.pk)),
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
        "support_count",
        pseudonym=F("author__pseudonym"),
        quoted_number=F("quoted__number"),
        quoted_hides_author=Q(quoted__anonymous=True) | Q(quoted__author_left=True),
        quoted_pseudonym=F("quoted__author__pseudonym"),
        **mine,
    )
    page = _page(posts, POSTS_PER_PAGE, page_number, topic.post_count)
    listed = name_post_authors(list(page.object_list))
    context: dict[str, Any] = {}
    if member:
        context = _member_context(request, space, topic, listed)
    return render(
        request,
        "community/topic/index.html",
        {
            **context,
            "space": space,
            "topic": topic,
            "page_obj": page,
            "posts": listed,
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
        post["mine"] = post["author_id"] == request.user.pk
        # What each button sends and says, set here rather than by filters in the loop.
        post["support_next"], post["pressed"] = ("no", "true") if post["supported"] else ("yes", "false")
        post["keep_next"] = "no" if post["bookmarked"] else "yes"
    read_number = getattr(topic, "read_number", None)  # access.get_topic_in(…, reader=…)
    last_on_page = posts[-1]["number"] if posts else 0
    return {
        "read_url": reverse("community:topic-read", kwargs={"space_slug": space.slug, "topic_id": topic.pk}),
        "follow_url": reverse(
            "community:topic-follow", kwargs={"space_slug": space.slug, "topic_id": topic.pk}
        ),
        "last_on_page": last_on_page,
        "unread_here": read_number is None or last_on_page > read_number,
        "topic_level": getattr(topic, "topic_level", None),
        "space_level": getattr(topic, "space_level", None),
    }


@audience("public")
@members_only_to_login
@require_safe
def topic_detail(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id, reader=request.user)
    form = None
    if access.can_write(request.user, space):
        read_number = getattr(topic, "read_number", None)
        if (
            "page" not in request.GET
            and "citer" not in request.GET
            and read_number is not None
            and read_number < topic.post_count
        ):
            # Open where the member stopped: the first post they have not read (a GET that only
            # reads; the position moves by a POST, once the page is shown).
            return redirect(topic_url(topic, number=read_number + 1, page_always=True))
        initial: dict[str, str] = {}
        quoted = access.get_post_in(topic, request.GET["citer"]) if "citer" in request.GET else None
        if quoted is not None:
            initial = {"body": services.quote_of(quoted), "quoted": str(quoted.pk)}
        form = ReplyForm(formstash.posted_or_kept(request), initial=initial)
    return _topic_page(request, space, topic, form, page_number=request.GET.get("page"))


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
        return _topic_page(request, space, topic, ReplyForm(data), page_number=last)
    form = ReplyForm(data, request.FILES)
    if form.is_valid():
        user = request.user

        def save() -> str:
            quoted_id = form.cleaned_data["quoted"]
            quoted = access.get_post_in(topic, quoted_id) if quoted_id else None
            post = services.add_reply(user, topic, quoted=quoted, **form.values())
            return topic_url(topic, number=post.number)

        done = formtokens.save_once(
            request, form, save, message=pgettext("post form", "Your reply is posted.")
        )
        if done:
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
    form = TopicForm(formstash.posted_or_kept(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        user = request.user

        def save() -> str:
            topic = services.start_topic(user, space, **form.values())
            return topic_url(topic)

        done = formtokens.save_once(
            request, form, save, message=pgettext("post form", "Your topic is posted.")
        )
        if done:
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
