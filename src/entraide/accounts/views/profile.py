"""The person's profile: pseudonym, private real name, language, time zone."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from entraide.accounts import profile as services
from entraide.accounts.forms_profile import ProfileForm
from entraide.accounts.models import User
from entraide.core import instance
from entraide.core.web.routes import audience


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    """What Django's set_language view does, so this browser switches at once."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" in settings
    )


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    instance_name = instance.settings_for(request).name
    initial = {
        "pseudonym": user.pseudonym,
        "real_name": services.real_name_of(user),
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
    }
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, initial=initial, user=user, instance_name=instance_name)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_profile(
                    user,
                    pseudonym=data["pseudonym"],
                    real_name=data["real_name"],
                    preferred_language=data["preferred_language"],
                    time_zone=data["time_zone"],
                )
            except services.PseudonymTakenError:
                form.add_error(
                    "pseudonym",
                    pgettext_lazy(
                        "profile form",
                        "Someone took this pseudonym a moment ago. Choose another one; nothing else was lost.",
                    ),
                )
            else:
                language = data["preferred_language"]
                with translation.override(language):
                    messages.success(request, pgettext("profile", "Your profile is saved."))
                response = redirect(reverse("accounts:profile"))
                _set_language_cookie(response, language)
                return response
        status = 400
    else:
        form = ProfileForm(initial=initial, user=user, instance_name=instance_name)
    return render(
        request,
        "accounts/profile/index.html",
        {"form": form, "avatar": services.avatar_for(user.pseudonym)},
        status=status,
    )


urlpatterns = [path("compte/profil/", profile, name="profile")]
