"""The notification centre, the preferences, the unread count for the header, and the
unsubscribe page that links in emails open (no login: the signed token is the authority)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.accounts.models import User
from entraide.core.web.htmx import HtmxHttpRequest
from entraide.core.web.routes import audience
from entraide.notifications import services
from entraide.notifications.access import filter_notifications_of
from entraide.notifications.forms import PreferencesForm

PER_PAGE = 25


def _back_to_centre(request: HttpRequest) -> HttpResponse:
    """To the centre, on the page the person was reading."""
    url = reverse("notifications:centre")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@audience("owner")
@login_required
@require_safe
def centre(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    page = Paginator(filter_notifications_of(user).order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/centre/index.html",
        {"page_obj": page, "unread": services.unread_count(user)},
    )


@audience("owner")
@login_required
@require_safe
def unread_count(request: HtmxHttpRequest) -> HttpResponse:
    """The header's count, fetched by htmx after the page loaded (pages themselves make no query
    for it). Opened without htmx, it is just the centre."""
    if not request.htmx:
        return redirect("notifications:centre")
    user: User = request.user  # type: ignore[assignment]
    return render(request, "notifications/centre/unread_count.html", {"count": services.unread_count(user)})


@audience("owner")
@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    services.mark_read(request.user, notification_id)  # type: ignore[arg-type]
    return _back_to_centre(request)


@audience("owner")
@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)  # type: ignore[arg-type]
    messages.success(request, pgettext("notification centre", "All your notifications are marked as read."))
    return _back_to_centre(request)


@audience("owner")
@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    """Mark it read, then go where it points (a path on this site only)."""
    notification = services.mark_read(request.user, notification_id)  # type: ignore[arg-type]
    link = notification.link
    if (
        link.startswith("/")
        and not link.startswith("//")
        and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()})
    ):
        return redirect(link)
    return _back_to_centre(request)


@audience("owner")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    current = services.channels_of(user)
    if request.method != "POST":
        return render(
            request, "notifications/preferences/index.html", {"form": PreferencesForm(current=current)}
        )
    form = PreferencesForm(request.POST, current=current)
    if not form.is_valid():
        return render(request, "notifications/preferences/index.html", {"form": form}, status=400)
    with transaction.atomic():
        for kind in form.kinds:
            if form.cleaned_data[kind.key] != current[kind.key]:
                services.set_channel(user, kind.key, form.cleaned_data[kind.key])
    messages.success(request, pgettext("notification preferences", "Your choices are saved."))
    return redirect("notifications:preferences")


@audience("public")
@csrf_exempt  # mail clients POST here without a form (RFC 8058): the signed token is the authority
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, unsubscribe_token: str) -> HttpResponse:
    """GET shows one button and changes nothing (link checkers and previews open links); POST stops
    the emails the token names, from the button or from a mail client's one-click request."""
    template = "notifications/unsubscribe/index.html"
    try:
        target = services.read_unsubscribe_token(unsubscribe_token)
    except services.InvalidTokenError:
        response = render(request, template, {"state": "invalid"}, status=400)
        response["Cache-Control"] = "no-store"
        return response
    # Someone arriving from their email, not logged in, reads it in their own language.
    language = None
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.user.is_authenticated:
        language = target.user.preferred_language
    kind = target.kind
    with translation.override(language or translation.get_language()):
        if kind is not None and kind.security:
            state = "security"
        elif request.method == "POST":
            services.unsubscribe(target)
            state = "done"
        else:
            state = "confirm"
        response = render(request, template, {"state": state, "kind": kind, "token": unsubscribe_token})
    response["Cache-Control"] = "no-store"
    return response
