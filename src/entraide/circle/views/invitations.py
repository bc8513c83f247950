"""Being invited: opening an invitation's link, or typing a code, then accepting it (after
signing up when needed: the invitation opens sign-up even on an instance by invitation only)."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.circle import services
from entraide.circle.forms import CodeForm
from entraide.circle.hooks import INVITATION_SESSION_KEY, held_invitation
from entraide.circle.services import invitations_without_account_allowed
from entraide.core.web.routes import audience


def _keep(request: HttpRequest, invitation: object) -> None:
    request.session[INVITATION_SESSION_KEY] = str(invitation.pk)  # type: ignore[attr-defined]


@audience("public")
@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: kept for this visitor (its id, never the token), then the
    page that lets them accept, after logging in or signing up."""
    found = services.find_invitation(token)
    if found is None:
        return render(request, "circle/invitation_open/index.html", {"unavailable": True}, status=404)
    _keep(request, found)
    return redirect("circle:invitation-pending")


def _tries_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{request.META.get('REMOTE_ADDR', '')}"


@audience("public")
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Typing a code handed over in person; five wrong codes an hour per account (or address)."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = services.find_invitation_by_code(form.cleaned_data["code"], tries_key=_tries_key(request))
        except services.TooManyTriesError:
            form.add_error("code", pgettext("circle code", "Too many wrong codes: try again in an hour."))
            status = 429
        else:
            if found is not None:
                _keep(request, found)
                return redirect("circle:invitation-pending")
            form.add_error(
                "code",
                pgettext("circle code", "This code does not open any invitation. Check it and try again."),
            )
            status = 400
    return render(request, "circle/code/index.html", {"form": form}, status=status)


@audience("public")
@require_http_methods(["GET", "POST"])
def invitation_pending(request: HttpRequest) -> HttpResponse:
    """The invitation this visitor holds: log in or sign up first, then accept or decline."""
    found = held_invitation(request)
    if found is None:  # none held, or no longer usable: say so, and offer the code
        return render(request, "circle/invitation_open/index.html", {"unavailable": True})
    if request.method == "POST" and request.user.is_authenticated:
        request.session.pop(INVITATION_SESSION_KEY, None)
        if request.POST.get("answer") == "decline":
            services.decline_invitation(found.pk)
            messages.info(request, pgettext("circle", "You declined the invitation."))
            return redirect("circle:shared")
        try:
            services.accept_invitation(request.user, found.pk)
        except services.CircleError as exc:
            messages.error(request, str(exc) or pgettext("circle", "This invitation can no longer be used."))
            return redirect("circle:shared")
        messages.success(
            request,
            pgettext("circle", "You are now in %(pseudonym)s's circle.")
            % {"pseudonym": found.owner.pseudonym},
        )
        if not is_mfa_enabled(request.user):
            messages.info(
                request,
                pgettext(
                    "circle",
                    "Protect your account first: add a second step at login. Until then, what is "
                    "shared with you stays closed, and the person sees your link as waiting.",
                ),
            )
            return redirect("mfa_activate_totp")
        return redirect("circle:shared")
    here = reverse("circle:invitation-pending")
    return render(
        request,
        "circle/invitation_pending/index.html",
        {
            "invitation": found,
            "next": here,
            "may_sign_up": found.signed_up_at is None and invitations_without_account_allowed(),
        },
    )
