"""Django's admin, behind allauth: no back door around the second factor or the rate limits.

- Nobody logs in *here*: the admin's login page only sends to allauth's (``/compte/login/``), where
  the second-factor stage and the rate limits apply, and never renders Django's own login form.
  Logging out goes through allauth too (so the browser is cleared as on every logout), and
  "change password" opens allauth's page.
- Reaching the admin takes an active staff account holding the admin role with a second factor;
  anyone else logged in gets a 403, anonymous visitors the login page.
- Only the pages the admin needs with nothing registered are routed (no catch-all, no
  autocomplete or JavaScript catalogue), each declaring its audience for the route test.
- ``AdminConfig`` makes this site Django's ``admin.site`` and discovers the ``admin`` modules of
  our own apps only: third-party apps (allauth registers email addresses, authenticators and
  sessions) never add models to it. No personal model may be registered: tests/project/test_admin.py
  walks the registry.

This module is imported while INSTALLED_APPS loads: import models only inside functions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from importlib import import_module
from typing import Any, TypeVar, cast

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import module_has_submodule
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

V = TypeVar("V", bound=Callable[..., Any])

# The admin's own routes we keep (with nothing registered, nothing else is useful).
KEPT_ROUTES = frozenset({"index", "login", "logout", "password_change", "password_change_done", "app_list"})


class EntraideAdminSite(AdminSite):
    site_header = pgettext_lazy("admin site", "Technical administration")
    site_title = pgettext_lazy("admin site", "Technical administration")
    index_title = pgettext_lazy("admin site", "Technical administration")
    site_url = "/"
    enable_nav_sidebar = False
    final_catch_all_view = False  # an unnamed catch-all route would escape the route classification

    def has_permission(self, request: HttpRequest) -> bool:
        from allauth.mfa.utils import is_mfa_enabled

        from entraide.accounts.models import Role
        from entraide.accounts.services import active_roles

        user = request.user
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and Role.ADMIN in active_roles(user)
            and is_mfa_enabled(user)
        )

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _to_allauth_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied(
                    pgettext("admin site", "This page is for the administrators of this instance.")
                )
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return cast("V", update_wrapper(inner, view))

    def get_urls(self) -> list[URLResolver | URLPattern]:
        kept: list[URLResolver | URLPattern] = []
        for entry in super().get_urls():
            if isinstance(entry, URLPattern) and entry.name not in KEPT_ROUTES:
                continue
            _declare_role_audience(entry)
            kept.append(entry)
        return kept

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Never Django's login form: allauth's, with its second-factor stage and rate limits."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get("next") or index
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if not request.user.is_authenticated:
            return _to_allauth_login(next_url)
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        raise PermissionDenied(
            pgettext("admin site", "This page is for the administrators of this instance.")
        )

    # The three overrides below answer allauth's pages (or redirect to them), not Django's
    # TemplateResponse: hence the ignored [override].
    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        from allauth.account.views import LogoutView

        response: HttpResponse = LogoutView.as_view()(request)
        return response

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("account_change_password"))

    def password_change_done(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("account_change_password"))


def _to_allauth_login(next_url: str) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(next_url, reverse("account_login"))


def _declare_role_audience(entry: URLResolver | URLPattern) -> None:
    """Every admin route is for a role (see entraide.core.web.routes)."""
    if isinstance(entry, URLResolver):
        for child in entry.url_patterns:
            _declare_role_audience(child)
    else:
        # A bound method (the admin's login) reads its attributes from its function.
        view: Any = getattr(entry.callback, "__func__", entry.callback)
        view.audience = "role"  # the marker the route test reads


class AdminConfig(SimpleAdminConfig):
    """``django.contrib.admin`` with our site as ``admin.site``, discovering our apps only."""

    default_site = "entraide.admin_site.EntraideAdminSite"

    def ready(self) -> None:
        super().ready()
        for config in apps.get_app_configs():
            if config.name.startswith("entraide.") and module_has_submodule(config.module, "admin"):
                import_module(f"{config.name}.admin")
