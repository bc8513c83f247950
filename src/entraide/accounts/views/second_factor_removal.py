"""Coordinators and administrators remove the second factor of someone who lost it (and their
recovery codes), after both checked the person's identity outside the site."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from entraide.accounts import second_factor_removal as removals
from entraide.accounts.models import Role, SecondFactorRemoval, User
from entraide.core.web.routes import audience

V = TypeVar("V", bound=Callable[..., HttpResponse])


def _reauthentication_required(view: V) -> V:
    """allauth's decorator, typed (allauth ships no types): a POST waits for the password typed
    again in the last 5 minutes, then resumes."""
    return cast("V", reauthentication_required(view))


class RemovalRequestForm(forms.Form):
    person = forms.CharField(
        label=pgettext_lazy("second factor removal", "Pseudonym or email address"),
        max_length=254,
        help_text=pgettext_lazy(
            "second factor removal", "Exactly as on the account: the pseudonym or the full email address."
        ),
    )
    identity_check_note = forms.CharField(
        label=pgettext_lazy("second factor removal", "How you checked their identity"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy(
            "second factor removal",
            "A few words, for example “video call, I know this person; they answered questions about "
            "their account”. Never a copy or the number of an identity document.",
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held = removals.confirming_roles(user)
        if len(held) > 1:
            self.fields["as_role"] = forms.ChoiceField(
                label=pgettext_lazy("second factor removal", "You confirm as"),
                choices=[(r.value, r.label) for r in (Role.COORDINATOR, Role.ADMIN)],
                widget=forms.RadioSelect,
                help_text=pgettext_lazy(
                    "second factor removal",
                    "You hold both roles: the other confirmation must come from someone else holding the other one.",
                ),
            )

    def clean_person(self) -> User:
        person = removals.find_person(query=self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                pgettext("second factor removal", "No account has this pseudonym or email address."),
                code="not_found",
            )
        return person


def _coordinators_and_admins(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The role check before anything else (re-authentication included): others get a 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        removals.check_manage_second_factor_removals_permission(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, form: RemovalRequestForm, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required ran
    roles = removals.confirming_roles(user)
    pending = [
        {
            "removal": removal,
            "missing_role": removals.missing_role(removal),
            "can_confirm": removals.can_confirm(removal, user, roles=roles),
        }
        for removal in removals.pending_removals()
    ]
    return render(
        request,
        "accounts/second_factor_removals/index.html",
        {
            "form": form,
            "pending": pending,
            "recent": removals.recent_removals(),
        },
        status=status,
    )


@audience("role")
@login_required
@require_safe
@_coordinators_and_admins
def second_factor_removals(request: HttpRequest) -> HttpResponse:
    return _page(request, RemovalRequestForm(user=request.user))  # type: ignore[arg-type]


@audience("role")
@login_required
@require_POST
@_coordinators_and_admins
@_reauthentication_required
def second_factor_removal_request(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = RemovalRequestForm(request.POST, user=user)
    if form.is_valid():
        try:
            removal = removals.request_second_factor_removal(
                form.cleaned_data["person"],
                by=user,
                identity_check_note=form.cleaned_data["identity_check_note"],
                as_role=form.cleaned_data.get("as_role"),
            )
        except removals.RemovalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                pgettext(
                    "second factor removal",
                    "Removal requested for %(pseudonym)s, who has been emailed. "
                    "Someone holding the other role must now confirm it.",
                )
                % {"pseudonym": removal.user.pseudonym},
            )
            return redirect("accounts:second-factor-removals")
    return _page(request, form, status=400)


@audience("role")
@login_required
@require_POST
@_coordinators_and_admins
@_reauthentication_required
def second_factor_removal_confirm(request: HttpRequest, removal_id: int) -> HttpResponse:
    removal = get_object_or_404(SecondFactorRemoval, pk=removal_id)
    try:
        removal = removals.confirm_second_factor_removal(removal, by=request.user)  # type: ignore[arg-type]
    except removals.RemovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            pgettext(
                "second factor removal",
                "Confirmed. The second factor of %(pseudonym)s will be removed in 24 hours unless "
                "someone cancels it; they have been emailed.",
            )
            % {"pseudonym": removal.user.pseudonym},
        )
    return redirect("accounts:second-factor-removals")


@audience("role")
@login_required
@require_POST
@_coordinators_and_admins
def second_factor_removal_cancel(request: HttpRequest, removal_id: int) -> HttpResponse:
    # No re-authentication: cancelling only ever makes an account safer, and may be urgent.
    removal = get_object_or_404(SecondFactorRemoval, pk=removal_id)
    try:
        removal = removals.cancel_second_factor_removal(removal, by=request.user)  # type: ignore[arg-type]
    except removals.RemovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            pgettext("second factor removal", "Cancelled. %(pseudonym)s has been emailed.")
            % {"pseudonym": removal.user.pseudonym},
        )
    return redirect("accounts:second-factor-removals")


urlpatterns = [
    path("gestion/second-facteur/", second_factor_removals, name="second-factor-removals"),
    path(
        "gestion/second-facteur/demander/",
        second_factor_removal_request,
        name="second-factor-removal-request",
    ),
    path(
        "gestion/second-facteur/<int:removal_id>/confirmer/",
        second_factor_removal_confirm,
        name="second-factor-removal-confirm",
    ),
    path(
        "gestion/second-facteur/<int:removal_id>/annuler/",
        second_factor_removal_cancel,
        name="second-factor-removal-cancel",
    ),
]
