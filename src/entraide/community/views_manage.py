"""Administrators' pages under /gestion/espaces/: the spaces, a space's settings, and the members
of a restricted space."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.accounts.pseudonyms import canonical
from entraide.community import services
from entraide.community.forms import MemberForm, SpaceForm
from entraide.community.models import Space, Visibility
from entraide.community.permissions import check_manage_spaces_permission
from entraide.core.forms import formtokens
from entraide.core.web.routes import audience


@audience("role")
@login_required
@require_safe
def space_list(request: HttpRequest) -> HttpResponse:
    check_manage_spaces_permission(request.user)
    return render(request, "community/manage_spaces/index.html", {"spaces": list(Space.objects.all())})


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def space_new(request: HttpRequest) -> HttpResponse:
    check_manage_spaces_permission(request.user)
    form = SpaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user

        def save() -> str:
            space = services.create_space(user, **form.values())
            return reverse("community_manage:space", kwargs={"space_id": space.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("space form", "The space is created.")
        )
        if done:
            return done
    return render(
        request,
        "community/manage_space_new/index.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def space_edit(request: HttpRequest, space_id: uuid.UUID) -> HttpResponse:
    check_manage_spaces_permission(request.user)
    space = get_object_or_404(Space, pk=space_id)
    initial = {k: getattr(space, k) for k in SpaceForm.FIELDS}
    form = SpaceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_space(space, **form.values())
            return reverse("community_manage:space", kwargs={"space_id": space.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("space form", "The space is saved.")
        )
        if done:
            return done
    members = list(space.memberships.select_related("member").order_by("member__pseudonym"))
    return render(
        request,
        "community/manage_space/index.html",
        {
            "space": space,
            "form": form,
            "members": members,
            "member_form": MemberForm(),
            "restricted": space.visibility == Visibility.RESTRICTED,
        },
        status=400 if request.method == "POST" else 200,
    )


@audience("role")
@login_required
@require_POST
def member_add(request: HttpRequest, space_id: uuid.UUID) -> HttpResponse:
    check_manage_spaces_permission(request.user)
    space = get_object_or_404(Space, pk=space_id)
    form = MemberForm(request.POST)
    person = None
    if form.is_valid():
        person = (
            get_user_model()
            .objects.filter(pseudonym_key=canonical(form.cleaned_data["pseudonym"]), is_active=True)
            .first()
        )
    if person is None:
        messages.error(request, pgettext("space members", "No member has this pseudonym."))
    else:
        services.add_space_member(space, member=person)
        messages.success(request, pgettext("space members", "Added to the space."))
    return redirect(f"{reverse('community_manage:space', kwargs={'space_id': space.pk})}#membres")


@audience("role")
@login_required
@require_POST
def member_remove(request: HttpRequest, space_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    check_manage_spaces_permission(request.user)
    space = get_object_or_404(Space, pk=space_id)
    services.remove_space_member(space, member=get_object_or_404(get_user_model(), pk=person_id))
    messages.success(request, pgettext("space members", "Removed from the space."))
    return redirect(f"{reverse('community_manage:space', kwargs={'space_id': space.pk})}#membres")
