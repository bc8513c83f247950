"""The person's own circle: who is in it, invitations, what is shared with each supporter and the
history of every change; ending a link (either side)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import cast
from zoneinfo import ZoneInfo

from allauth.mfa.utils import is_mfa_enabled
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
from entraide.circle.forms import InviteForm, SharingForm, sharing_scopes
from entraide.circle.models import GrantChange, Link
from entraide.circle.scopes import BY_KEY, DEFAULT_GRANT_DAYS, PRESETS
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience

SHOWN_CODE_KEY = "_entraide_circle_code"  # the code just made, shown once on the next page
PAUSE_ACTIONS = (GrantChange.Action.PAUSED, GrantChange.Action.RESUMED)


def link_state(link: Link) -> str:
    """ "ended", "waiting" (for the other side, or for the supporter's second factor), "paused",
    "active"."""
    if link.ended_at is not None:
        return "ended"
    if link.paused_at is not None:
        return "paused"
    if not link.is_accepted or not is_mfa_enabled(link.supporter):
        return "waiting"
    return "active"


@audience("owner")
@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    links = list(access.filter_links_of(user, Link.objects.open()).order_by("created_at"))
    for link in links:
        link.state = link_state(link)  # type: ignore[attr-defined]  # for the template
    now = timezone.now()
    invitations = list(services.usable_invitations(now).filter(owner_id=user.pk).order_by("-created_at"))
    return render(request, "circle/home/index.html", {"circle_links": links, "invitations": invitations})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    form = InviteForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            email = form.cleaned_data["email"] if form.cleaned_data["how"] == "email" else ""
            invitation, secret = services.invite_person(user, kind=form.cleaned_data["kind"], email=email)
            if not email:
                request.session[SHOWN_CODE_KEY] = [str(invitation.pk), secret]
            return reverse("circle:invitation", kwargs={"invite_id": invitation.pk})

        try:
            done = formtokens.save_once(
                request, form, save, message=pgettext("circle invite", "Your invitation is ready.")
            )
        except services.CircleError as exc:
            form.add_error(None, str(exc))
            done = None
        if done:
            return done
    return render(request, "circle/invite/index.html", {"form": form})


@audience("owner")
@login_required
@require_safe
def invitation(request: HttpRequest, invite_id: uuid.UUID) -> HttpResponse:
    """An invitation just made: its code, shown this once, or where its link was sent."""
    found = access.get_invitation_of(request.user, invite_id)
    shown = request.session.pop(SHOWN_CODE_KEY, None)
    code = shown[1] if isinstance(shown, list) and shown[0] == str(found.pk) else ""
    return render(
        request,
        "circle/invitation/index.html",
        {
            "invitation": found,
            "code": services.display_code(code) if code else "",
            "days": services.INVITATION_DAYS,
        },
    )


@audience("owner")
@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invite_id: uuid.UUID) -> HttpResponse:
    found = access.get_invitation_of(request.user, invite_id)
    if services.revoke_invitation(cast(User, request.user), found):
        messages.success(
            request, pgettext("circle", "The invitation is cancelled: it no longer opens anything.")
        )
    return redirect("circle:home")


def _sharing_form(request: HttpRequest, link: Link, data: object = None) -> SharingForm:
    user = cast(User, request.user)  # login_required
    from entraide.journal.services import journal_settings_of

    zone = ZoneInfo(user.time_zone)
    today = timezone.localdate(timezone=zone)
    live = services.live_grants_of(link)
    initial: dict[str, object] = {}
    if live:
        for grant in live:
            initial[f"scope_{grant.scope}"] = True
            for key, on in grant.options.items():
                initial[f"option_{grant.scope}_{key}"] = on
            initial[f"level_{grant.scope}"] = grant.level != "read"
        first = live[0]
        if first.until is None:
            initial["until_choice"] = "none"
        else:
            initial["until_choice"] = "date"
            initial["until_date"] = (first.until.astimezone(zone) - timedelta(days=1)).date()
    else:
        for key in PRESETS.get(link.kind, ()):  # pre-ticked only: the person confirms
            initial[f"scope_{key}"] = True
    return SharingForm(
        data,
        scopes=sharing_scopes(journal_settings_of(user).track_substances),
        initial=initial,
        today=today,
        zone=user.time_zone,
        kept_from=(live[0].visible_from,) if live else None,
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def link_detail(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """One supporter: the link's state, what is shared (the form), and every change with its time."""
    user = cast(User, request.user)  # login_required
    link = access.get_link_of(user, link_id)
    form = _sharing_form(request, link, formstash.posted_or_kept(request))
    state = link_state(link)
    if request.method == "POST" and state != "ended" and link.is_accepted and form.is_valid():

        def save() -> str:
            services.set_grants(link, choices=form.choices(), by=user)
            return reverse("circle:link", kwargs={"link_id": link.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("sharing form", "Your choices are saved.")
        )
        if done:
            return done
    changes = list(access.filter_changes_of(user).filter(link=link)[:50])
    live = [(BY_KEY[g.scope], g) for g in services.live_grants_of(link) if g.scope in BY_KEY]
    return render(
        request,
        "circle/link/index.html",
        {
            "link": link,
            "state": state,
            "form": form,
            "live": live,
            "renewable": any(g.until is not None for _, g in live),
            "renew_days": DEFAULT_GRANT_DAYS,
            "changes": [(change, BY_KEY.get(change.scope)) for change in changes],
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest) -> HttpResponse:
    """Pause (or resume) every link at once: what it does, one button, and the record of each
    pause and resumption."""
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            if services.resume_sharing(user):
                messages.success(request, pgettext("circle pause", "Sharing has resumed."))
        elif services.pause_sharing(user):
            messages.success(request, pgettext("circle pause", "Sharing is paused."))
        return redirect("circle:pause")
    links = list(access.filter_links_of(user, Link.objects.open()).order_by("created_at"))
    changes = list(
        access.filter_changes_of(user).filter(action__in=PAUSE_ACTIONS).select_related("link")[:50]
    )
    return render(
        request,
        "circle/pause/index.html",
        {
            "circle_links": links,
            "any_active": any(link.paused_at is None for link in links),
            "any_paused": any(link.paused_at is not None for link in links),
            "changes": changes,
        },
    )


@audience("owner")
@login_required
@require_POST
def link_pause(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """Pause or resume one link (the button on its page)."""
    user = cast(User, request.user)  # login_required
    link = access.get_link_of(user, link_id)
    if request.POST.get("action") == "resume":
        if services.resume_sharing(user, link=link):
            messages.success(request, pgettext("circle pause", "Sharing has resumed."))
    elif services.pause_sharing(user, link=link):
        messages.success(request, pgettext("circle pause", "Sharing is paused."))
    return redirect("circle:link", link_id=link.pk)


@audience("owner")
@login_required
@require_POST
def link_renew(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """Renew what is shared on the link (the button on its page, where the notification leads)."""
    user = cast(User, request.user)  # login_required
    link = access.get_link_of(user, link_id)
    try:
        if services.renew_grants(link, by=user):
            messages.success(
                request,
                pgettext("circle renewal", "Renewed: what you share now ends %(days)s days later.")
                % {"days": DEFAULT_GRANT_DAYS},
            )
    except services.CircleError as exc:
        messages.error(request, str(exc))
    return redirect("circle:link", link_id=link.pk)


@audience("login")
@login_required
@require_http_methods(["GET", "POST"])
def link_end(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """Either side ends the link: a page that says what will happen, and its one POST button."""
    link = access.get_link_of_either(request.user, link_id)
    as_owner = link.owner_id == request.user.pk
    if request.method == "POST":
        if services.end_link(link, by=cast(User, request.user)):
            messages.success(request, pgettext("circle", "The link has ended."))
        return redirect("circle:home" if as_owner else "circle:shared")
    other = link.supporter if as_owner else link.owner
    return render(request, "circle/link_end/index.html", {"link": link, "as_owner": as_owner, "other": other})
