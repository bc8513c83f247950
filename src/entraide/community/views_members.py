"""What a member does around the posts: "je te soutiens", bookmarks ("Mes favoris"), following or
muting a topic or a space, how far they read (and the "Non lus" list). Every change is a POST
(CSRF); with htmx, the reaction and bookmark buttons are swapped in place, without JavaScript the
page comes back at the post. A post, topic or space the member cannot read is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from entraide.community import access, services
from entraide.community.models import Level, Post, Space, Topic
from entraide.community.views import describe_posts, members_only_to_login, name_authors, topic_url
from entraide.core.errors import InvalidValuesError
from entraide.core.web.htmx import HtmxHttpRequest
from entraide.core.web.routes import audience

PER_PAGE = 30


def _writable(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> tuple[Space, Topic]:
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id)
    if not access.can_write(request.user, space):
        raise Http404
    return space, topic


def _post(topic: Topic, post_id: uuid.UUID) -> Post:
    post = access.get_post_in(topic, post_id)
    if post is None:
        raise Http404
    return post


def _described(request: HttpRequest, post: Post, **values: Any) -> dict[str, Any]:
    """The post as the topic page's loop reads it (``views.describe_posts``): the htmx answer
    of a button gives the markup the page wrote."""
    row = {"number": post.number, "author_id": post.author_id, "support_count": post.support_count, **values}
    return describe_posts([row], reader_pk=request.user.pk)[0]


def _yes(request: HttpRequest, name: str) -> bool | None:
    """ "yes" or "no" in the POST: what the button says the state should become."""
    value = request.POST.get(name)
    return True if value == "yes" else False if value == "no" else None


@audience("login")
@login_required
@members_only_to_login
@require_POST
def post_support(
    request: HtmxHttpRequest, space_slug: str, topic_id: uuid.UUID, post_id: uuid.UUID
) -> HttpResponse:
    _, topic = _writable(request, space_slug, topic_id)
    post = _post(topic, post_id)
    support = _yes(request, "support")
    if support is not None:
        try:
            post = services.support_post(request.user, post, support=support)
        except InvalidValuesError as refused:  # taking a break: said kindly, on the page
            for message in refused.errors.values():
                messages.info(request, str(message))
            back = topic_url(topic, number=post.number, page_always=True)
            return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
    if request.htmx:
        supported = post.reactions.filter(member_id=request.user.pk).exists()
        return render(
            request,
            "community/topic/support.html",
            {
                "post": _described(
                    request,
                    post,
                    supported=supported,
                    bookmarked=False,  # the bookmark button is not in this answer
                    support_url=request.path,
                )
            },
        )
    return redirect(topic_url(topic, number=post.number, page_always=True))


@audience("login")
@login_required
@members_only_to_login
@require_POST
def post_bookmark(
    request: HtmxHttpRequest, space_slug: str, topic_id: uuid.UUID, post_id: uuid.UUID
) -> HttpResponse:
    _, topic = _writable(request, space_slug, topic_id)
    post = _post(topic, post_id)
    keep = _yes(request, "keep")
    if keep is not None:
        services.bookmark_post(request.user, post, keep=keep)
    if request.htmx:
        return render(
            request,
            "community/topic/bookmark.html",
            {
                "post": _described(
                    request,
                    post,
                    supported=False,  # the support button is not in this answer
                    bookmarked=post.bookmarks.filter(member_id=request.user.pk).exists(),
                    bookmark_url=request.path,
                )
            },
        )
    if request.POST.get("from") == "favoris":  # the button on "Mes favoris" itself
        return redirect("community:bookmarks")
    return redirect(topic_url(topic, number=post.number, page_always=True))


def _page_number(request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    return page if page.isdigit() and len(page) < 7 else "1"


_UNCHANGED = "unchanged"


def _level(request: HttpRequest) -> str | None:
    """ "following" or "muted"; empty: neither (the space's choice, or nothing); anything else
    leaves the choice as it is."""
    value = request.POST.get("level", _UNCHANGED)
    if value == "":
        return None
    return value if value in Level.values else _UNCHANGED


@audience("login")
@login_required
@members_only_to_login
@require_POST
def topic_follow(request: HttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    """``level``: "following", "muted", or anything else for "as the space says"."""
    _, topic = _writable(request, space_slug, topic_id)
    if (level := _level(request)) != _UNCHANGED:
        services.set_topic_level(request.user, topic, level=level)
    return redirect(f"{topic_url(topic)}?page={_page_number(request)}#suivi")


@audience("login")
@login_required
@members_only_to_login
@require_POST
def space_follow(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, space_slug)
    if not access.can_write(request.user, space):
        raise Http404
    if (level := _level(request)) != _UNCHANGED:
        services.set_space_level(request.user, space, level=level)
    return redirect(f"{reverse('community:space', kwargs={'space_slug': space.slug})}#suivi")


@audience("login")
@login_required
@members_only_to_login
@require_POST
def topic_read(request: HtmxHttpRequest, space_slug: str, topic_id: uuid.UUID) -> HttpResponse:
    """Record that the member read the topic up to post ``number``. htmx sends it once the page
    is shown (answer: 204); without JavaScript, the "next page" button sends it with ``page``,
    and the member goes on to that page (or back to the space when it was the last)."""
    space, topic = _writable(request, space_slug, topic_id)
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        number = 0
    services.mark_read_up_to(request.user, topic, number)
    if request.htmx:
        return HttpResponse(status=204)
    if "page" in request.POST:
        return redirect(f"{topic_url(topic)}?page={_page_number(request)}")
    return redirect("community:space", space_slug=space.slug)


@audience("login")
@login_required
@require_safe
def bookmarks(request: HttpRequest) -> HttpResponse:
    """ "Mes favoris": the posts the member keeps, newest first, each linking to its place."""
    page = Paginator(access.filter_bookmarks_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    items = []
    for bookmark in page.object_list:
        post = bookmark.post
        items.append(
            {
                "post": post,
                "topic": post.topic,
                "space": post.topic.space,
                "url": services.post_path(post, post.topic, post.topic.space),
                "unbookmark_url": reverse(
                    "community:post-bookmark",
                    kwargs={
                        "space_slug": post.topic.space.slug,
                        "topic_id": post.topic_id,
                        "post_id": post.pk,
                    },
                ),
            }
        )
    name_authors([item["post"] for item in items])
    return render(request, "community/bookmarks/index.html", {"page_obj": page, "items": items})


@audience("login")
@login_required
@require_safe
def unread(request: HttpRequest) -> HttpResponse:
    """ "Non lus": topics the member opened or wrote in that have new posts since."""
    page = Paginator(access.filter_unread_positions_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    listed = name_authors([position.topic for position in page.object_list], when="last_post_at")
    for topic, position in zip(listed, page.object_list, strict=True):
        topic.unread = topic.last_number - position.last_read_number
        topic.url = topic_url(topic, number=position.last_read_number + 1, page_always=True)
    return render(request, "community/unread/index.html", {"page_obj": page, "topics": listed})
