"""Ignoring a member: the confirmation page reached from a post ("Ignorer ce membre"), and the
member's list ("Membres que j'ignore") with "Ne plus ignorer". Every change is a POST (CSRF) that
says what the state should become (``ignore=yes|no``): a double submit, or Back then submit, acts
once. Only named posts offer it: an anonymous one must not tell whom one would ignore (404)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from entraide.community import access, blocking
from entraide.community.views import members_only_to_login, topic_url
from entraide.core.errors import InvalidValuesError
from entraide.core.web.routes import audience

PER_PAGE = 50


@audience("login")
@login_required
@members_only_to_login
@require_http_methods(["GET", "HEAD", "POST"])
def post_ignore(
    request: HttpRequest, space_slug: str, topic_id: uuid.UUID, post_id: uuid.UUID
) -> HttpResponse:
    """What ignoring the post's author does, and the button that does it (or undoes it)."""
    space = access.get_space_for(request.user, space_slug)
    topic = access.get_topic_in(space, topic_id)
    post = access.get_post_in(topic, post_id)
    person = post.author if post is not None and post.named else None
    if post is None or person is None:
        raise Http404
    back = topic_url(topic, number=post.number)
    if person.pk == request.user.pk:
        messages.info(request, pgettext("ignore", "This is your own message."))
        return redirect(back)
    error = ""
    if request.method == "POST":
        wanted = request.POST.get("ignore")
        if wanted == "yes":
            try:
                blocking.ignore_member(request.user, person)
            except InvalidValuesError as refused:
                error = str(next(iter(refused.errors.values())))
            else:
                messages.success(
                    request,
                    pgettext(
                        "ignore",
                        "You now ignore %(name)s: their messages are folded and they cause you no "
                        "notification. They are not told.",
                    )
                    % {"name": person.pseudonym},
                )
                return redirect(back)
        elif wanted == "no":
            blocking.unignore_member(request.user, person.pk)
            messages.success(
                request, pgettext("ignore", "You no longer ignore %(name)s.") % {"name": person.pseudonym}
            )
            return redirect(back)
    return render(
        request,
        "community/ignore/index.html",
        {
            "person": person,
            "ignoring": blocking.is_ignoring(request.user, person.pk),
            "back": back,
            "error": error,
        },
        status=400 if error else 200,
    )


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ignores(request: HttpRequest) -> HttpResponse:
    """ "Membres que j'ignore": their pseudonyms, each with "Ne plus ignorer" (``ignore``, a row's
    id, in the POST: only ever a row of the member's own, so any other value changes nothing)."""
    if request.method == "POST":
        row = blocking.own_ignore(request.user, request.POST.get("ignore", ""))
        if row is not None and blocking.unignore_member(request.user, row.ignored_id):
            messages.success(
                request,
                pgettext("ignore", "You no longer ignore %(name)s.") % {"name": row.ignored.pseudonym},
            )
        return redirect("community:ignores")
    page = Paginator(blocking.ignores_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/ignores/index.html", {"page_obj": page, "rows": page.object_list})
