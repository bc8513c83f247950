from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from entraide.accounts import services
from entraide.accounts.forms import SetupForm
from entraide.core import instance
from entraide.core.models import SignupMode
from entraide.core.web.routes import audience


@audience("public")
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First visit, only with the token printed in the terminal: nobody else can claim the instance."""
    if services.setup_is_done():
        messages.info(
            request, pgettext("setup", "This instance is already set up. Log in to change its settings.")
        )
        return redirect("account_login")
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token", "")
    if not services.setup_token_matches(token or ""):
        raise PermissionDenied(
            pgettext(
                "setup",
                "To set up this instance, open the link printed in the terminal where entraide was started.",
            )
        )
    if request.method == "POST":
        form = SetupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.complete_instance_setup(
                    name=data["name"],
                    contact_email=data["contact_email"],
                    default_language=data["default_language"],
                    signup_mode=data["signup_mode"],
                    minimum_age=data["minimum_age"],
                    admin_email=data["admin_email"],
                    admin_pseudonym=data["admin_pseudonym"],
                    admin_password=data["password1"],
                    terms_language=get_language(),
                )
            except services.SetupAlreadyDoneError:
                return redirect("account_login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # They just typed their password: allauth need not ask again before enrolling 2FA.
            record_authentication(request, user, "password", email=user.email, reauthenticated=True)
            messages.success(
                request,
                pgettext(
                    "setup",
                    "Welcome! Your instance is ready. First protect your administrator account with a "
                    "second step at login; then check the crisis numbers in the settings.",
                ),
            )
            return redirect("mfa_activate_totp")
        status = 400
    else:
        row = instance.load_settings()
        form = SetupForm(
            initial={
                "name": row.name,
                "default_language": request.LANGUAGE_CODE,
                "signup_mode": SignupMode.INVITATION,
                "minimum_age": row.minimum_age,
                "token": token,
            }
        )
        status = 200
    return render(request, "accounts/setup/index.html", {"form": form}, status=status)


@audience("public")
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered in the person's profile when logged in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response
