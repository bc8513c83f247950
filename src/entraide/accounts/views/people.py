"""People and their roles (administrators), invitations (administrators and coordinators), and
the invitation link itself (anyone holding it)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.accounts import invitations, roles, services
from entraide.accounts.forms_people import InvitationForm, PeopleSearchForm, RoleGrantForm, RoleRevokeForm
from entraide.accounts.invitations import Status
from entraide.accounts.models import Invitation, Role, RoleGrant, User
from entraide.core import instance
from entraide.core.web.routes import audience

PER_PAGE = 50


def _role_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Role.choices}


@audience("role")
@login_required
@require_safe
def people(request: HttpRequest) -> HttpResponse:
    invitations.check_manage_people_permission(request.user)
    form = PeopleSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(invitations.filter_people(query=query), PER_PAGE).get_page(request.GET.get("page"))
    labels = _role_labels()
    rows = [
        {"person": person, "roles": [labels[r] for r in invitations.roles_of(person)]}
        for person in page.object_list
    ]
    return render(
        request,
        "accounts/people/index.html",
        {"form": form, "query": query, "page_obj": page, "rows": rows},
    )


def _person_page(
    request: HttpRequest, person: User, *, grant_form: RoleGrantForm | None = None, status: int = 200
) -> HttpResponse:
    labels = _role_labels()
    active = {
        g.role: g
        for g in RoleGrant.objects.filter(user=person, revoked_at__isnull=True).select_related("granted_by")
    }
    held = set(active) | ({Role.ADMIN.value} if person.is_superuser else set())
    current = [
        {
            "role": role,
            "label": labels[role],
            "grant": active.get(role),
            "from_installation": role == Role.ADMIN and person.is_superuser,
        }
        for role in Role.values
        if role in held
    ]
    available = [role for role in Role.values if role not in held]
    row = instance.settings_for(request)
    return render(
        request,
        "accounts/person_roles/index.html",
        {
            "person": person,
            "current": current,
            "grant_form": grant_form or RoleGrantForm(roles=available),
            "can_grant": bool(available),
            "history": invitations.role_history_of(person),
            "needs_second_factor": bool(held & roles.mfa_required_roles(row)) and not is_mfa_enabled(person),
        },
        status=status,
    )


@audience("role")
@login_required
@require_safe
def person_roles(request: HttpRequest, person_id: Any) -> HttpResponse:
    invitations.check_manage_people_permission(request.user)
    return _person_page(request, invitations.get_person(person_id))


@audience("role")
@login_required
@require_POST
def person_role_grant(request: HttpRequest, person_id: Any) -> HttpResponse:
    invitations.check_manage_people_permission(request.user)
    person = invitations.get_person(person_id)
    held = services.active_roles(person)
    form = RoleGrantForm(request.POST, roles=[r for r in Role.values if r not in held])
    if not form.is_valid():
        return _person_page(request, person, grant_form=form, status=400)
    data = form.cleaned_data
    invitations.grant_person_role(
        person,
        role=data["role"],
        by=request.user,  # type: ignore[arg-type]  # login_required: a User
        adult_checked=data["adult_checked"],
        profession=data["profession"],
        verification_note=data["verification_note"],
    )
    label = _role_labels()[data["role"]]
    messages.success(request, pgettext("person roles", "Role given: %(role)s.") % {"role": label})
    if data["role"] in roles.mfa_required_roles(instance.settings_for(request)) and not is_mfa_enabled(
        person
    ):
        messages.info(
            request,
            pgettext(
                "person roles",
                "At their next visit, they will be asked to protect their account with a second step "
                "at login before going further.",
            ),
        )
    return redirect("accounts:person-roles", person_id=person.pk)


@audience("role")
@login_required
@require_POST
def person_role_revoke(request: HttpRequest, person_id: Any) -> HttpResponse:
    invitations.check_manage_people_permission(request.user)
    person = invitations.get_person(person_id)
    form = RoleRevokeForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            invitations.revoke_person_role(person, role=role, by=request.user)  # type: ignore[arg-type]
        except invitations.LastAdministratorError:
            messages.error(
                request,
                pgettext(
                    "person roles",
                    "You are the last administrator: give the role to someone else before removing "
                    "yours, so that someone can still look after this instance.",
                ),
            )
        else:
            messages.success(
                request, pgettext("person roles", "Role removed: %(role)s.") % {"role": _role_labels()[role]}
            )
            if person.pk == request.user.pk and not invitations.is_administrator(person):
                return redirect("core:home")  # they just gave up this page
    return redirect("accounts:person-roles", person_id=person.pk)


@audience("role")
@login_required
@require_safe
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations.check_invite_permission(request.user)
    page = Paginator(invitations.filter_invitations(), PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    labels = _role_labels()
    allowed = set(invitations.invitation_roles_for(request.user))
    rows = []
    for invitation in page.object_list:
        status = invitations.status_of(invitation, now=now)
        rows.append(
            {
                "invitation": invitation,
                "status": status,
                "role": labels.get(invitation.role, ""),
                "can_revoke": status == Status.PENDING
                and (not invitation.role or invitation.role in allowed),
            }
        )
    return render(request, "accounts/invitations/index.html", {"page_obj": page, "rows": rows})


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_new(request: HttpRequest) -> HttpResponse:
    invitations.check_invite_permission(request.user)
    allowed = invitations.invitation_roles_for(request.user)
    if request.method != "POST":
        return render(request, "accounts/invitation_new/index.html", {"form": InvitationForm(roles=allowed)})
    form = InvitationForm(request.POST, roles=allowed)
    if not form.is_valid():
        return render(request, "accounts/invitation_new/index.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        invitation, token = invitations.create_invitation(
            by=request.user,  # type: ignore[arg-type]  # login_required: a User
            email=data["email"],
            role=data["role"],
            days=data["expires_in_days"],
            adult_checked=data["adult_checked"],
        )
    except invitations.InvitationNotSentError:
        form.add_error(
            None,
            pgettext(
                "invitation form",
                "The email could not be sent. Try again in a moment, or choose a link to hand over yourself.",
            ),
        )
        return render(request, "accounts/invitation_new/index.html", {"form": form}, status=503)
    if invitation.email:
        messages.success(
            request,
            pgettext("invitations", "The invitation was sent to %(email)s.") % {"email": invitation.email},
        )
        return redirect("accounts:invitations")
    # The one time the link exists: shown in this answer, never stored, never cached.
    response = render(
        request,
        "accounts/invitation_new/created.html",
        {
            "invitation": invitation,
            "link": invitations.invitation_link(token),
            "role": _role_labels().get(invitation.role, ""),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@audience("role")
@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitations.check_invite_permission(request.user)
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if invitations.revoke_invitation(invitation, by=request.user):  # type: ignore[arg-type]
        messages.success(
            request, pgettext("invitations", "The invitation is cancelled: its link no longer works.")
        )
    else:
        messages.info(request, pgettext("invitations", "This invitation was already used or cancelled."))
    return redirect("accounts:invitations")


@audience("public")
@require_safe
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation: remember it in the session, then on to allauth's sign-up."""
    invitation = invitations.find_invitation(token)
    if invitation is None:
        state, status = "not_found", 404
    else:
        state = invitations.status_of(invitation)
        status = 200 if state == Status.PENDING else 410
    if state == Status.PENDING and invitation is not None:
        if request.user.is_authenticated:
            state = "logged_in"  # an invitation creates a new account; it is kept for its holder
        else:
            invitations.remember_invitation(request, invitation)
            return redirect("account_signup")
    response = render(
        request, "accounts/invitation_accept/index.html", {"state": state, "status": status}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("gestion/personnes/", people, name="people"),
    path("gestion/personnes/<uuid:person_id>/", person_roles, name="person-roles"),
    path("gestion/personnes/<uuid:person_id>/attribuer/", person_role_grant, name="person-role-grant"),
    path("gestion/personnes/<uuid:person_id>/retirer/", person_role_revoke, name="person-role-revoke"),
    path("gestion/invitations/", invitation_list, name="invitations"),
    path("gestion/invitations/nouvelle/", invitation_new, name="invitation-new"),
    path("gestion/invitations/<int:invitation_id>/annuler/", invitation_revoke, name="invitation-revoke"),
    path("invitation/<str:token>/", invitation_accept, name="invitation-accept"),
]
