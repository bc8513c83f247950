"""The person's data as a whole: download all of it, or delete the account."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import TypeVar, cast

from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from entraide.accounts import profile as services
from entraide.accounts.forms_profile import DeleteAccountForm
from entraide.accounts.models import User
from entraide.core import instance
from entraide.core.web.routes import audience

V = TypeVar("V", bound=Callable[..., HttpResponse])


def _reauthentication_required(*, enabled: Callable[[HttpRequest], bool]) -> Callable[[V], V]:
    """allauth's decorator, typed: it asks for the password again (5 minutes) when ``enabled``."""
    return cast("Callable[[V], V]", reauthentication_required(enabled=enabled))


def _posting(request: HttpRequest) -> bool:
    return request.method == "POST"


def _deleting(request: HttpRequest) -> bool:
    # The last administrator is refused before being asked for their password.
    return request.method == "POST" and not services.is_last_administrator(request.user)  # type: ignore[arg-type]


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_reauthentication_required(enabled=_posting)
def my_data(request: HttpRequest) -> HttpResponse:
    """GET explains the export; POST (after a fresh password) downloads it."""
    user: User = request.user  # type: ignore[assignment]  # login_required
    if request.method != "POST":
        return render(request, "accounts/my_data/index.html")
    archive = services.export_personal_data(user, instance_name=instance.settings_for(request).name)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="entraide-export-{today.isoformat()}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_reauthentication_required(enabled=_deleting)
def account_delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    last_admin = services.is_last_administrator(user)
    if request.method != "POST":
        return render(
            request,
            "accounts/account_delete/index.html",
            {"form": DeleteAccountForm(), "last_admin": last_admin},
        )
    form = DeleteAccountForm(request.POST)
    if not last_admin and form.is_valid():
        try:
            # Not inside a transaction: the erasure commits, then checkpoints the database.
            services.delete_account(user)
        except services.LastAdministratorError:
            last_admin = True
        else:
            logout(request)
            return redirect("accounts:account-deleted")
    return render(
        request,
        "accounts/account_delete/index.html",
        {"form": form, "last_admin": last_admin},
        status=400,
    )


@audience("public")
@require_safe
def account_deleted(request: HttpRequest) -> HttpResponse:
    """Shown after a deletion, to whoever opens it: nothing about anyone."""
    return render(request, "accounts/account_deleted/index.html")


urlpatterns = [
    path("compte/mes-donnees/", my_data, name="my-data"),
    path("compte/supprimer/", account_delete, name="account-delete"),
    path("compte/supprimer/fait/", account_deleted, name="account-deleted"),
]
