"""Agreeing again when the terms, the charter or the health-data consent changed, and agreeing to
the health-data consent for the first time (an administrator set up without it)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from entraide.accounts import services
from entraide.accounts.forms import SignupExtraForm
from entraide.accounts.middleware import CONSENT_SESSION_KEY
from entraide.accounts.models import ConsentKind
from entraide.core import instance
from entraide.core.web.routes import audience


class ConsentForm(forms.Form):
    """The same two agreements as at sign-up, worded the same: one consent version, one text."""

    terms = SignupExtraForm.base_fields["accept_terms"]
    health_data = SignupExtraForm.base_fields["health_consent"]

    def __init__(self, *args: object, needed: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in list(self.fields):
            if name not in needed:
                del self.fields[name]


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    row = instance.settings_for(request)
    current = services.current_consent_versions(row)
    agreed = services.agreed_versions(request.user)  # type: ignore[arg-type]
    needed = [kind for kind, version in current.items() if agreed.get(kind, -1) < version]
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if not needed:
        request.session.pop(CONSENT_SESSION_KEY, None)  # agreed meanwhile, in another session
        return redirect(next_url)
    form = ConsentForm(request.POST if request.method == "POST" else None, needed=needed)
    if request.method == "POST" and form.is_valid():
        services.record_consents(request.user, kinds=needed, language=get_language(), row=row)  # type: ignore[arg-type]
        request.session.pop(CONSENT_SESSION_KEY, None)
        return redirect(next_url)
    return render(
        request,
        "accounts/consent/index.html",
        {
            "form": form,
            "next": next_url,
            "asks_terms": ConsentKind.TERMS in needed,
            # A text agreed to before, in an older version, has changed; otherwise it is a first time.
            "changed": any(kind in agreed for kind in needed),
            "health_only": needed == [ConsentKind.HEALTH_DATA],
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [path("compte/accord/", consent, name="consent")]
