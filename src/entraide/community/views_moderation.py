"""The moderators' pages under /gestion/moderation/: the queue, a case (claim, act), a post
moderated directly, the moderators' log and the canned replies; and the public figures page.
Every role page starts with ``check_moderate_permission`` (a translated 403)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.community import access, anonymity, figures, moderation, rules, views_lifts
from entraide.community.forms import ActionForm, CannedReplyForm
from entraide.community.models import (
    ActionKind,
    CannedReply,
    CaseStatus,
    MemberStanding,
    ModerationAction,
    ModerationCase,
    Post,
)
from entraide.community.permissions import check_moderate_permission
from entraide.community.services import POST_KIND
from entraide.core import instance
from entraide.core.forms import formtokens
from entraide.core.registries import ReportedItem, reportables
from entraide.core.web.routes import audience

CASES_PER_PAGE = 50
LOG_PER_PAGE = 50


def describe(cases: list[ModerationCase]) -> None:
    """Set ``item`` (a ``ReportedItem``) and ``kind_label`` on each case: one ``describe`` call
    per reportable kind, whatever the number of cases."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        by_kind[case.target_kind].append(case.target_id)
    found: dict[tuple[str, str], ReportedItem] = {}
    for kind_key, ids in by_kind.items():
        kind = reportables.get(kind_key)
        if kind is None:
            continue
        for target_id, item in kind.describe(ids).items():
            found[(kind_key, target_id)] = item
    for case in cases:
        kind = reportables.get(case.target_kind)
        case.kind_label = kind.label if kind else case.target_kind  # type: ignore[attr-defined]
        case.item = found.get(  # type: ignore[attr-defined]
            (case.target_kind, case.target_id),
            ReportedItem(
                target_id=case.target_id, heading=pgettext("moderation queue", "Deleted since"), gone=True
            ),
        )


@audience("role")
@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    check_moderate_permission(request.user)
    cases = (
        ModerationCase.objects.filter(status=CaseStatus.OPEN)
        .select_related("claimed_by")
        .order_by("-danger", "-watched", "-weight", "opened_at", "id")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    describe(listed)
    # A marker on cases with a lifting waiting, and how many wait in all: one query.
    waiting = list(anonymity.pending().values_list("target_kind", "target_id"))
    waiting_here = set(waiting)
    for case in listed:
        case.lift_waiting = (case.target_kind, case.target_id) in waiting_here  # type: ignore[attr-defined]
    return render(
        request,
        "community/moderation_queue/index.html",
        {"page_obj": page, "cases": listed, "now": timezone.now(), "lifts_waiting": len(waiting)},
    )


def _spaces(moderator: Any) -> list[tuple[str, str]]:
    """Where a topic may be moved: the spaces the moderator reads. A closed group they are not on
    stays unnamed to them (moderating its reports needs no list of the others' groups)."""
    return [(str(s.pk), s.title) for s in access.visible_spaces(moderator).only("pk", "title")]


def _action_choices(kind_key: str, case: ModerationCase | None, item: ReportedItem) -> list[tuple[str, Any]]:
    kind = moderation.reportable(kind_key)
    labels = dict(ActionKind.choices)
    allowed = moderation.actions_for(kind, case=case, has_member=item.author_id is not None)
    return [(a, labels[a]) for a in allowed]


def _until(value: Any) -> datetime | None:
    if value is None:
        return None
    return timezone.make_aware(datetime.combine(value, time(0, 0)))


def _act_page(
    request: HttpRequest,
    *,
    case: ModerationCase | None,
    kind_key: str,
    target_id: str,
    item: ReportedItem,
    here: str,
    lift_form: Any = None,
) -> HttpResponse:
    """The item, its flags and the member's standing, and the action form (GET and POST)."""
    choices = _action_choices(kind_key, case, item)
    # A lifting request refused (``views_lifts.lift_request``) shows this page again with it.
    acting = request.method == "POST" and lift_form is None
    initial: dict[str, Any] = {}
    if kind_key == POST_KIND:
        post = Post.objects.filter(pk=target_id).only("body").first()
        initial["body"] = post.body if post else ""
    form = ActionForm(
        request.POST if acting else None, initial=initial, actions=choices, spaces=_spaces(request.user)
    )
    if acting and form.is_valid():
        user = request.user
        data = form.cleaned_data

        def save() -> str:
            moderation.act(
                user,
                target_kind=kind_key,
                target_id=target_id,
                action=data["action"],
                reason=form.reason_text(),
                case=case,
                options=moderation.Options(
                    body=data.get("body") or "",
                    title=data.get("title") or "",
                    space_id=data.get("space") or None,
                    seconds=data.get("seconds") or 0,
                    until=_until(data.get("until")),
                ),
            )
            return reverse("moderation:queue")

        done = formtokens.save_once(
            request, form, save, message=pgettext("moderation form", "Done, and logged.")
        )
        if done:
            return done
    flags = list(case.flags.select_related("reporter").order_by("created_at")) if case else []
    member = None
    standing = None
    level = None
    # An anonymous author stays "Membre anonyme" here until a lifting this moderator asked for
    # or approved (views_lifts.case_context); actions on the member still reach them.
    anonymous = views_lifts.case_context(
        request.user, case=case, kind_key=kind_key, target_id=target_id, item=item
    )
    if item.author_id is not None and not anonymous["masked"]:
        from django.contrib.auth import get_user_model

        member = get_user_model().objects.filter(pk=item.author_id).first()
        if member is not None:
            standing = MemberStanding.objects.filter(member_id=member.pk).first()
            level = rules.LEVEL_LABELS[moderation.level_of(member)]
    history = (
        # Never the actions on their anonymous posts: that would tie those posts to them.
        ModerationAction.objects.filter(member_id=item.author_id)
        .exclude(extra__has_key="anonymous")
        .select_related("moderator")
        .order_by("-at")[:10]
        if item.author_id is not None and not anonymous["masked"]
        else []
    )
    now = timezone.now()
    mine = (
        case is not None
        and case.claimed_by_id == request.user.pk
        and case.claimed_until
        and case.claimed_until >= now
    )
    taken = (
        case is not None
        and case.claimed_by_id not in {None, request.user.pk}
        and case.claimed_until is not None
        and case.claimed_until >= now
    )
    return render(
        request,
        "community/moderation_case/index.html",
        {
            "case": case,
            "item": item,
            "flags": flags,
            "member": member,
            "standing": standing,
            "level": level,
            "history": history,
            "form": form,
            "mine": mine,
            "taken": taken,
            "here": here,
            "canned": list(CannedReply.objects.all()),
            **anonymous,
            **({"lift_form": lift_form} if lift_form is not None else {}),
        },
        status=400 if request.method == "POST" else 200,
    )


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    check_moderate_permission(request.user)
    case = get_object_or_404(ModerationCase.objects.select_related("claimed_by"), pk=case_id)
    describe([case])
    item: ReportedItem = case.item  # type: ignore[attr-defined]
    if case.status != CaseStatus.OPEN and request.method == "POST":
        messages.info(request, pgettext("moderation form", "This was handled meanwhile: nothing was done."))
        return redirect("moderation:queue")
    here = reverse("moderation:case", kwargs={"case_id": case.pk})
    return _act_page(
        request, case=case, kind_key=case.target_kind, target_id=case.target_id, item=item, here=here
    )


@audience("role")
@login_required
@require_POST
def case_claim(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    check_moderate_permission(request.user)
    case = get_object_or_404(ModerationCase, pk=case_id)
    if moderation.claim_case(case, request.user):
        messages.success(
            request,
            pgettext("moderation queue", "It is yours for 30 minutes: other moderators see it is taken."),
        )
    else:
        messages.error(
            request, pgettext("moderation queue", "Another moderator has taken it, or it was handled.")
        )
    return redirect("moderation:case", case_id=case.pk)


@audience("role")
@login_required
@require_POST
def case_release(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    check_moderate_permission(request.user)
    case = get_object_or_404(ModerationCase, pk=case_id)
    moderation.release_case(case, request.user)
    return redirect("moderation:queue")


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_moderate(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """A post moderated without a report (a heated topic to lock, say); its open case if any."""
    check_moderate_permission(request.user)
    open_case = ModerationCase.objects.filter(
        target_kind=POST_KIND, target_id=str(post_id), status=CaseStatus.OPEN
    ).first()
    if open_case is not None:
        return redirect("moderation:case", case_id=open_case.pk)
    item = moderation.reportable(POST_KIND).describe([str(post_id)]).get(str(post_id))
    if item is None:
        raise Http404
    here = reverse("moderation:post", kwargs={"post_id": post_id})
    return _act_page(request, case=None, kind_key=POST_KIND, target_id=str(post_id), item=item, here=here)


@audience("role")
@login_required
@require_safe
def log(request: HttpRequest) -> HttpResponse:
    """The moderators' log: the only place their names appear."""
    check_moderate_permission(request.user)
    actions = ModerationAction.objects.select_related("moderator", "member").order_by("-at", "id")
    page = Paginator(actions, LOG_PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    # An anonymous post's author is "Membre anonyme" here too, except for the two people of an
    # approved lifting of it (one query for the page).
    anonymous = [(a.target_kind, a.target_id) for a in listed if a.extra.get("anonymous")]
    lifted = anonymity.approved_lifts_for(request.user, anonymous)
    for a in listed:
        a.member_name = (  # type: ignore[attr-defined]
            None
            if a.member is None
            else pgettext("community author", "Anonymous member")
            if a.extra.get("anonymous") and (a.target_kind, a.target_id) not in lifted
            else a.member.pseudonym
        )
        a.not_told_reason = a.extra.get("not_told_reason", "")  # type: ignore[attr-defined]
    return render(request, "community/moderation_log/index.html", {"page_obj": page, "actions": listed})


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def canned_list(request: HttpRequest) -> HttpResponse:
    check_moderate_permission(request.user)
    form = CannedReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user

        def save() -> str:
            moderation.save_canned_reply(user, **form.cleaned_data)
            return reverse("moderation:canned")

        done = formtokens.save_once(
            request, form, save, message=pgettext("canned replies", "The reply is saved.")
        )
        if done:
            return done
    return render(
        request,
        "community/moderation_canned/index.html",
        {"replies": list(CannedReply.objects.all()), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def canned_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    check_moderate_permission(request.user)
    reply = get_object_or_404(CannedReply, pk=reply_id)
    form = CannedReplyForm(
        request.POST if request.method == "POST" else None,
        initial={"title": reply.title, "body": reply.body, "position": reply.position},
    )
    if request.method == "POST" and form.is_valid():
        user = request.user

        def save() -> str:
            moderation.save_canned_reply(user, reply=reply, **form.cleaned_data)
            return reverse("moderation:canned")

        done = formtokens.save_once(
            request, form, save, message=pgettext("canned replies", "The reply is saved.")
        )
        if done:
            return done
    return render(
        request,
        "community/moderation_canned_edit/index.html",
        {"reply": reply, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@audience("role")
@login_required
@require_POST
def canned_delete(request: HttpRequest, reply_id: int) -> HttpResponse:
    check_moderate_permission(request.user)
    moderation.delete_canned_reply(request.user, get_object_or_404(CannedReply, pk=reply_id))
    messages.success(request, pgettext("canned replies", "The reply is deleted."))
    return redirect("moderation:canned")


@audience("public")
@require_safe
def public_figures(request: HttpRequest) -> HttpResponse:
    """How moderation works here, and its figures per quarter; members only if the instance
    says so (its community settings)."""
    current = rules.Rules.of(instance.settings_for(request))
    if current.figures == rules.FIGURES_MEMBERS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "community/moderation_figures/index.html",
        {"quarters": figures.quarters(), "rules": current, "hours": hours_text(current)},
    )


def hours_text(current: rules.Rules) -> str:
    """ "9:00 to 21:00, Monday to Friday": the moderation hours in words, shown in each space."""
    from django.utils.dates import WEEKDAYS

    days = ", ".join(str(WEEKDAYS[d]) for d in current.hours_days)
    if len(current.hours_days) == 7:
        days = pgettext("moderation hours", "every day")
    return pgettext("moderation hours", "%(start)s to %(end)s, %(days)s") % {
        "start": current.hours_start,
        "end": current.hours_end,
        "days": days,
    }
