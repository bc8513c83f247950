"""The pages where a person creates, lists and revokes their personal access tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

from allauth.account import app_settings as allauth_account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.api import services
from entraide.api.access import filter_tokens_of, get_token_of
from entraide.api.forms import TokenForm
from entraide.api.models import PersonalToken
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience

PER_PAGE = 25
V = TypeVar("V", bound=Callable[..., HttpResponse])


def _recently_authenticated(request: HttpRequest) -> bool:
    """A login (or a re-authentication) in this session less than 5 minutes ago: allauth counts
    only re-authentications, but a password typed at login just now proves as much."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    latest = max(float(r.get("at", 0)) for r in records)
    return bool(time.time() - latest < allauth_account_settings.REAUTHENTICATION_TIMEOUT)


def _creating_without_fresh_password(request: HttpRequest) -> bool:
    return request.method == "POST" and not _recently_authenticated(request)


def _reauthentication_required(view: V) -> V:
    """allauth's decorator, typed: creating a token asks for the password again (5 minutes).
    allauth keeps the POST and runs it once the password is typed."""
    return cast("V", reauthentication_required(enabled=_creating_without_fresh_password)(view))


@audience("login")
@login_required
@require_safe
def token_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(filter_tokens_of(request.user).order_by("-created_at", "id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "api/token_list/index.html", {"page_obj": page, "now": timezone.now()})


@audience("login")
@login_required
@require_http_methods(["GET", "POST"])
@_reauthentication_required
def token_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():
        created: dict[str, Any] = {}

        def save() -> str:
            created["token"], created["secret"] = services.create_token(
                user,
                name=form.cleaned_data["name"],
                areas=form.areas(),
                days=form.cleaned_data["days"],
            )
            return reverse("api:tokens")

        done = formtokens.save_once(
            request, form, save, message=pgettext("api tokens", "Your token is created.")
        )
        if done and created:
            # Shown in this answer, instead of the redirect: the secret is never stored.
            return render(request, "api/token_new/created.html", created)
        if done:
            messages.info(
                request,
                pgettext(
                    "api tokens",
                    "This token was already created, and its secret cannot be shown again. If you did "
                    "not copy it, revoke it and create a new one.",
                ),
            )
            return done
    return render(request, "api/token_new/index.html", {"form": form})


@audience("login")
@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token: PersonalToken = get_token_of(request.user, token_id)
    services.revoke_token(token)
    messages.success(
        request,
        pgettext("api tokens", "The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
    )
    return redirect("api:tokens")
