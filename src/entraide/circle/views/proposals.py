"""Proposals: a supporter asks to join a person's circle by their email address (always answered
"sent"); the person accepts, refuses, or refuses and blocks; the person's list of blocked people."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.accounts.models import User
from entraide.circle import access, services
from entraide.circle.forms import AnswerProposalForm, ProposeForm
from entraide.circle.models import LinkKind, ProposalAnswer
from entraide.core.forms import formtokens
from entraide.core.web.routes import audience


@audience("login")
@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """The supporter's side: the form, and their proposals still waiting. Whatever the address,
    a valid proposal is answered with the same "sent" (nothing tells whether it has an account)."""
    user = cast(User, request.user)  # login_required
    form = ProposeForm(request.POST if request.method == "POST" else None, kinds=services.kinds_open_to(user))
    status = 200
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.propose_link(user, email=form.cleaned_data["email"], kind=form.cleaned_data["kind"])
            return reverse("circle:propose")

        try:
            done = formtokens.save_once(
                request,
                form,
                save,
                message=pgettext(
                    "circle proposal",
                    "Sent. If this address is a member's, they will see your proposal; if they accept, "
                    "they will appear among the people who share with you.",
                ),
            )
        except services.CircleError as exc:
            form.add_error(None, str(exc))
            done = None
        if done:
            return done
        status = 400
    elif request.method == "POST":
        status = 400
    now = timezone.now()
    waiting = list(services.proposals_waiting_from(user, now).order_by("-created_at"))
    return render(
        request,
        "circle/propose/index.html",
        {
            "form": form,
            "waiting": waiting,
            "max_pending": services.MAX_PENDING_PROPOSALS,
            "days": services.PROPOSAL_DAYS,
        },
        status=status,
    )


@audience("login")
@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    proposal = access.get_proposal_from(request.user, proposal_id)
    if services.withdraw_proposal(cast(User, request.user), proposal):
        messages.success(request, pgettext("circle proposal", "Your proposal is withdrawn."))
    return redirect("circle:propose")


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """The person's side: who asks, as whom, and the three answers. Accepting leads to the link's
    page, where they choose what to share (nothing is, until they do)."""
    user = cast(User, request.user)  # login_required
    found = access.get_proposal_for(user, proposal_id)
    kinds = services.kinds_open_to(found.supporter)
    form = AnswerProposalForm(
        request.POST if request.method == "POST" else None, kinds=kinds, initial_kind=found.kind
    )
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["answer"]
        try:
            link = services.answer_proposal(
                user, found.pk, answer=answer, kind=form.cleaned_data.get("kind") or found.kind
            )
        except services.CircleError as exc:
            messages.error(request, str(exc))
            return redirect("circle:home")
        if link is not None:
            messages.success(
                request,
                pgettext(
                    "circle proposal",
                    "%(pseudonym)s is now in your circle. Nothing is shared yet: choose what they may see.",
                )
                % {"pseudonym": found.supporter.pseudonym},
            )
            return redirect("circle:link", link_id=link.pk)
        if answer == ProposalAnswer.BLOCKED:
            messages.success(
                request,
                pgettext(
                    "circle proposal",
                    "Refused. %(pseudonym)s can no longer send you proposals; you can undo this on the "
                    "page of blocked people.",
                )
                % {"pseudonym": found.supporter.pseudonym},
            )
        else:
            messages.success(request, pgettext("circle proposal", "Refused. They are not told."))
        return redirect("circle:home")
    return render(
        request,
        "circle/proposal/index.html",
        {"proposal": found, "form": form, "kind_label": LinkKind(found.kind).label},
        status=400 if request.method == "POST" else 200,
    )


@audience("owner")
@login_required
@require_safe
def blocks(request: HttpRequest) -> HttpResponse:
    """The people the person blocked, each with "unblock"."""
    return render(
        request, "circle/blocks/index.html", {"blocks": list(access.filter_blocks_of(request.user))}
    )


@audience("owner")
@login_required
@require_POST
def unblock(request: HttpRequest, block_id: uuid.UUID) -> HttpResponse:
    block = access.get_block_of(request.user, block_id)
    if services.unblock(cast(User, request.user), block):
        messages.success(
            request,
            pgettext("circle proposal", "%(pseudonym)s may send you a proposal again.")
            % {"pseudonym": block.supporter.pseudonym},
        )
    return redirect("circle:blocks")
