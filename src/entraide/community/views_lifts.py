"""Liftings of anonymity under /gestion/moderation/levees/: a moderator's request (from a case
or a post's moderation page), the list of requests waiting for a second person, and one request
to approve or refuse. Approving and refusing is for another moderator or a coordinator
(``anonymity.check_decide_lift_permission``, a translated 403); the requester never decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.community import anonymity
from entraide.community.forms_anonymity import LiftDecisionForm, LiftRequestForm
from entraide.community.models import AnonymityLift, LiftStatus, ModerationCase
from entraide.community.permissions import check_moderate_permission
from entraide.core.forms import formtokens
from entraide.core.registries import ReportedItem, reportables
from entraide.core.web.routes import audience

RECENT = 30  # decided requests shown under the waiting ones


def _describe(lifts: list[AnonymityLift]) -> None:
    """Set ``item`` on each lifting: one ``describe`` per kind (the author stays masked)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for lift in lifts:
        by_kind[lift.target_kind].append(lift.target_id)
    found: dict[tuple[str, str], ReportedItem] = {}
    for key, ids in by_kind.items():
        kind = reportables.get(key)
        if kind is not None:
            found.update({(key, i): item for i, item in kind.describe(ids).items()})
    for lift in lifts:
        lift.item = found.get(  # type: ignore[attr-defined]
            (lift.target_kind, lift.target_id),
            ReportedItem(
                target_id=lift.target_id, heading=pgettext("moderation queue", "Deleted since"), gone=True
            ),
        )


def _sees_author(user: Any, lift: AnonymityLift) -> bool:
    return lift.status == LiftStatus.APPROVED and user.pk in {lift.requested_by_id, lift.approved_by_id}


@audience("role")
@login_required
@require_POST
def lift_request(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """From a case about an anonymous post or topic: "Demander à connaître l'auteur"."""
    check_moderate_permission(request.user)
    case = get_object_or_404(ModerationCase, pk=case_id)
    back = reverse("moderation:case", kwargs={"case_id": case.pk})
    form = LiftRequestForm(request.POST)
    if form.is_valid():
        user = request.user

        def save() -> str:
            anonymity.request_lift(
                user,
                target_kind=case.target_kind,
                target_id=case.target_id,
                reason=form.cleaned_data["reason"],
                case=case,
            )
            return back

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext(
                "anonymity lift",
                "Your request is recorded. Another moderator or a coordinator will decide; it expires "
                "after 7 days without an answer.",
            ),
        )
        if done:
            return done
    # The case page again, with the reason typed and what to change (nothing is lost).
    from entraide.community import views_moderation  # which imports this module

    views_moderation.describe([case])
    return views_moderation._act_page(
        request,
        case=case,
        kind_key=case.target_kind,
        target_id=case.target_id,
        item=case.item,  # type: ignore[attr-defined]
        here=back,
        lift_form=form,
    )


@audience("role")
@login_required
@require_safe
def lift_list(request: HttpRequest) -> HttpResponse:
    anonymity.check_decide_lift_permission(request.user)
    now = timezone.now()
    waiting = list(anonymity.pending(now).select_related("requested_by").order_by("requested_at", "id"))
    decided = list(
        AnonymityLift.objects.filter(
            ~Q(status=LiftStatus.PENDING) | Q(requested_at__lte=now - anonymity.EXPIRES_AFTER)
        )
        .select_related("requested_by", "approved_by", "refused_by", "author")
        .order_by("-requested_at", "id")[:RECENT]
    )
    _describe(waiting + decided)
    for lift in waiting:
        lift.expires_at = lift.requested_at + anonymity.EXPIRES_AFTER  # type: ignore[attr-defined]
        lift.mine = lift.requested_by_id == request.user.pk  # type: ignore[attr-defined]
    for lift in decided:
        lift.sees_author = _sees_author(request.user, lift)  # type: ignore[attr-defined]
        lift.expired = anonymity.is_expired(lift, now=now)  # type: ignore[attr-defined]
    return render(request, "community/moderation_lifts/index.html", {"waiting": waiting, "decided": decided})


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lift_detail(request: HttpRequest, lift_id: uuid.UUID) -> HttpResponse:
    anonymity.check_decide_lift_permission(request.user)
    lift = get_object_or_404(
        AnonymityLift.objects.select_related("requested_by", "approved_by", "refused_by", "author"),
        pk=lift_id,
    )
    _describe([lift])
    expired = anonymity.is_expired(lift)
    mine = lift.requested_by_id == request.user.pk
    open_to_decide = lift.status == LiftStatus.PENDING and not expired and not mine
    form = LiftDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not open_to_decide:
            if mine:
                raise PermissionDenied(
                    pgettext("anonymity lift", "You asked for this lifting: another person must decide it.")
                )
            messages.info(
                request,
                pgettext(
                    "anonymity lift", "This request was decided meanwhile, or it expired: nothing was done."
                ),
            )
            return redirect("moderation:lifts")
        if form.is_valid():
            user, data = request.user, form.cleaned_data

            def save() -> str:
                if data["decision"] == LiftDecisionForm.APPROVE:
                    anonymity.approve_lift(
                        user,
                        lift,
                        note=data["note"],
                        tell_author=not data["dont_tell"],
                        not_told_reason=data["not_told_reason"],
                    )
                else:
                    anonymity.refuse_lift(user, lift, note=data["note"])
                return reverse("moderation:lift", kwargs={"lift_id": lift.pk})

            try:
                done = formtokens.save_once(
                    request, form, save, message=pgettext("anonymity lift", "Decided, and logged.")
                )
            except anonymity.LiftDecidedError as taken:  # a concurrent decision won
                form.add_service_errors(taken)
                done = None
            if done:
                return done
    case_url = ""
    if lift.case_id is not None and ModerationCase.objects.filter(pk=lift.case_id).exists():
        case_url = reverse("moderation:case", kwargs={"case_id": lift.case_id})
    return render(
        request,
        "community/moderation_lift/index.html",
        {
            "lift": lift,
            "form": form,
            "expired": expired,
            "mine": mine,
            "open_to_decide": open_to_decide,
            "sees_author": _sees_author(request.user, lift),
            "case_url": case_url,
            "expires_at": lift.requested_at + anonymity.EXPIRES_AFTER,
        },
        status=400 if request.method == "POST" else 200,
    )


def case_context(
    user: Any, *, case: ModerationCase | None, kind_key: str, target_id: str, item: ReportedItem
) -> dict[str, Any]:
    """What a case page shows of anonymity: whether to mask the author, the approved lifting
    that lets this viewer see them, the requests waiting, and the request form."""
    if not item.anonymous:
        return {"masked": False}
    lifted = anonymity.approved_lifts_for(user, [(kind_key, target_id)]).get((kind_key, target_id))
    waiting = list(
        anonymity.pending().filter(target_kind=kind_key, target_id=target_id).select_related("requested_by")
    )
    asked = any(lift.requested_by_id == user.pk for lift in waiting)
    return {
        "masked": lifted is None,
        "lifted": lifted,
        "lift_waiting": waiting,
        # Asked from a case (open or not: a worry may come after it was handled).
        "lift_form": LiftRequestForm() if lifted is None and not asked and case is not None else None,
    }
