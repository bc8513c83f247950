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
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.community import access, services
from entraide.community.forms import ReplyForm, TopicForm
from entraide.community.models import Space, Topic
from entraide.core.content import uploads
from entraide.core.content.markdown import render_post
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 50


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


def topic_url(topic: Topic, *, number: int | None = None) -> str:
    url = reverse("community:topic", kwargs={"space_slug": topic.space.slug, "topic_id": topic.pk})
    if number is None:
        return url
    page = (number - 1) // POSTS_PER_PAGE + 1
    return f"{url}?page={page}#message-{number}" if page > 1 else f"{url}#message-{number}"


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
        access.filter_topics_in(space)
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
    return render(
        request,
        "community/space/index.html",
        {
            "space": space,
            "page_obj": page,
            "topics": name_authors(list(page.object_list), when="last_post_at"),
            "charter": render_post(space.charter, keep_image=services.is_own_image) if space.charter else "",
            "can_write": access.can_write(request.user, space),
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
        pseudonym=F("author__pseudonym"),
        quoted_number=F("quoted__number"),
        quoted_hides_author=Q(quoted__anonymous=True) | Q(quoted__author_left=True),
        quoted_pseudonym=F("quoted__author__pseudonym"),
    )
    page = _page(posts, POSTS_PER_PAGE, page_number, topic.post_count)
    return render(
        request,
        "community/topic/index.html",
        {
            "space": space,
            "topic": topic,
            "page_obj": page,
            "posts": name_post_authors(list(page.object_list)),
            "form": form,
            "reply_url": reverse("community:reply", kwargs={"space_slug": space.slug, "topic_id": topic.pk}),
            "quote_query": f"?page={page.number}&citer=" if page.number > 1 else "?citer=",
        },
        status=status,
    )


@audience("public")
@members_only_to_login
@require_safe
def topic_detail(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id)
    form = None
    if access.can_write(request.user, space):
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
    topic = access.get_topic_in(space, topic_id)
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
