"""The person's own circle: ``/circle/invitations``, ``/circle/links``, their grants, the pause,
the consent records and "who saw what" (area ``circle``, audience ``owner``).

The same services as the circle's pages (circle.services: one write path, each write a consent
record), the same owner loaders (circle.access: another person's link or invitation is a 404).
Nothing here reads anyone's health data: what is shared is read through ``/circle/people``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    ErrorOut,
    Input,
    Page,
)
from entraide.circle import access, services
from entraide.circle.models import AccessEvent, Grant, GrantChange, Invitation, Link
from entraide.circle.scopes import BY_KEY, CO_EDIT, READ
from entraide.core.errors import InvalidValuesError

router = area_router("circle", tags=["circle"])
router.add_decorator(in_owner_zone)
CONFLICT = {409: ErrorOut}

KindName = Literal["peer_helper", "professional", "relative", "other"]  # circle.models.LinkKind
# circle.scopes.SCOPE_KEYS, spelled out for the schema (test_api_circle checks they agree).
ScopeName = Literal[
    "checkins", "substances", "notes", "indicators", "thoughts", "goals", "assessments", "safety_plan",
    "treatments", "appointments", "alerts", "messages",
]  # fmt: skip


# --- Invitations ------------------------------------------------------------------------------------


class InvitationIn(Input):
    kind: KindName = Field(
        "other",
        description="Pre-ticks what the kind usually shares, on the site only: nothing is shared by it.",
    )
    email: str = Field(
        "",
        max_length=254,
        description="An address to send the invitation to; empty: a 10-character code to hand over in person.",
    )


class InvitationOut(Schema):
    id: uuid.UUID
    kind: KindName
    email: str = Field(description="Empty for an invitation by code.")
    by_code: bool
    code: str | None = Field(
        description="The code to hand over (XXXXX-XXXXX): only in the answer that creates it, never again."
    )
    state: Literal["waiting", "used", "cancelled", "expired"]
    created_at: datetime
    expires_at: datetime


class InvitationList(Schema):
    count: int
    items: list[InvitationOut]


def invitation_out(invitation: Invitation, code: str | None = None) -> dict[str, Any]:
    now = timezone.now()
    state = (
        "used"
        if invitation.used_at
        else "cancelled"
        if invitation.revoked_at
        else "expired"
        if invitation.expires_at <= now
        else "waiting"
    )
    return {
        "id": invitation.pk,
        "kind": invitation.kind,
        "email": invitation.email,
        "by_code": invitation.by_code,
        "code": code,
        "state": state,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


@router.get(
    "/circle/invitations",
    response={200: InvitationList, **READ_ERRORS},
    operation_id="listCircleInvitations",
    summary="List my invitations",
    description="Newest first, whatever their state.",
)
def list_invitations(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    qs = access.filter_invitations_of(owner_of(request))
    rows = qs[page.offset : page.offset + page.limit]
    return {"count": qs.count(), "items": [invitation_out(i) for i in rows]}


@router.post(
    "/circle/invitations",
    response={201: InvitationOut, **WRITE_ERRORS, **CONFLICT},
    operation_id="createCircleInvitation",
    summary="Invite someone into my circle",
    description="By email (a link is sent there, whether or not the address has an account: "
    "nothing tells) or by a code (in the answer, once). Valid 14 days, single use; at most 20 "
    "waiting (409 beyond). Accepting it links you; you then choose what to share.",
)
def create_invitation(request: HttpRequest, data: InvitationIn) -> Status[Any]:
    email = data.email.strip()
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise InvalidValuesError({"email": "Enter a valid email address."}) from None
    invitation, secret = services.invite_person(owner_of(request), kind=data.kind, email=email)
    return Status(201, invitation_out(invitation, None if email else services.display_code(secret)))


@router.get(
    "/circle/invitations/{invitation_id}",
    response={200: InvitationOut, **ITEM_ERRORS},
    operation_id="getCircleInvitation",
    summary="Read an invitation",
)
def get_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> dict[str, Any]:
    return invitation_out(access.get_invitation_of(owner_of(request), invitation_id))


@router.post(
    "/circle/invitations/{invitation_id}/cancel",
    response={200: InvitationOut, **ITEM_WRITE_ERRORS},
    operation_id="cancelCircleInvitation",
    summary="Cancel an invitation",
    description="It can no longer be used; one already used or cancelled stays as it is.",
)
def cancel_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    invitation = access.get_invitation_of(owner, invitation_id)
    services.revoke_invitation(owner, invitation)
    return invitation_out(access.get_invitation_of(owner, invitation_id))


# --- Links and grants ---------------------------------------------------------------------------------


class GrantOut(Schema):
    scope: str
    label: str
    level: Literal["read", "co-edit"]
    options: list[str] = Field(description="answers (assessments), crisis_moments (safety_plan).")
    visible_from: date | None = Field(description="The first of your dates they see; null: all.")
    granted_at: datetime
    until: datetime | None = Field(description="When it ends; null: no end date, as you chose.")


class LinkOut(Schema):
    id: uuid.UUID
    supporter: str = Field(description="Their pseudonym.")
    kind: KindName
    state: Literal["waiting", "active", "paused", "ended"] = Field(
        description="waiting: for one side, or for their second factor."
    )
    created_at: datetime
    paused_at: datetime | None
    ended_at: datetime | None
    grants: list[GrantOut] = Field(description="What is shared now (kept while paused).")


class LinkList(Schema):
    count: int
    items: list[LinkOut]


def grant_out(grant: Grant) -> dict[str, Any]:
    return {
        "scope": grant.scope,
        "label": str(BY_KEY[grant.scope].label) if grant.scope in BY_KEY else grant.scope,
        "level": grant.level,
        "options": sorted(key for key, on in grant.options.items() if on),
        "visible_from": grant.visible_from,
        "granted_at": grant.granted_at,
        "until": grant.until,
    }


def link_out(link: Link, grants: list[Grant] | None = None) -> dict[str, Any]:
    from entraide.circle.views.circle import link_state

    live = services.live_grants_of(link) if grants is None else grants
    return {
        "id": link.pk,
        "supporter": link.supporter.pseudonym,
        "kind": link.kind,
        "state": link_state(link),
        "created_at": link.created_at,
        "paused_at": link.paused_at,
        "ended_at": link.ended_at,
        "grants": [grant_out(g) for g in live if link.ended_at is None],
    }


class LinkFilters(Page):
    ended: bool = Field(False, description="true: the links that ended instead of the open ones.")


@router.get(
    "/circle/links",
    response={200: LinkList, **READ_ERRORS},
    operation_id="listCircleLinks",
    summary="List the people in my circle",
    description="Open links (or, with ended=true, those that ended), oldest first, with what each sees.",
)
def list_links(request: HttpRequest, filters: Query[LinkFilters]) -> dict[str, Any]:
    qs = access.filter_links_of(owner_of(request)).filter(ended_at__isnull=not filters.ended)
    rows = list(qs.order_by("created_at", "pk")[filters.offset : filters.offset + filters.limit])
    now = timezone.now()
    grants: dict[uuid.UUID, list[Grant]] = {}
    for grant in (
        Grant.objects.filter(link__in=[link.pk for link in rows], revoked_at__isnull=True)
        .exclude(until__lte=now)
        .order_by("scope")
    ):
        grants.setdefault(grant.link_id, []).append(grant)
    return {"count": qs.count(), "items": [link_out(link, grants.get(link.pk, [])) for link in rows]}


@router.get(
    "/circle/links/{link_id}",
    response={200: LinkOut, **ITEM_ERRORS},
    operation_id="getCircleLink",
    summary="Read a link",
)
def get_link(request: HttpRequest, link_id: uuid.UUID) -> dict[str, Any]:
    return link_out(access.get_link_of(owner_of(request), link_id))


@router.post(
    "/circle/links/{link_id}/end",
    response={200: LinkOut, **ITEM_WRITE_ERRORS},
    operation_id="endCircleLink",
    summary="End a link",
    description="Everything shared on it stops at once; they see it on their next visit (no email, no reason).",
)
def end_link(request: HttpRequest, link_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    services.end_link(access.get_link_of(owner, link_id), by=owner)
    return link_out(access.get_link_of(owner, link_id))


class GrantIn(Input):
    until: Day | None = Field(
        description="The last day shared (it ends at the end of that day, your time), after today; "
        "null: no end date, chosen explicitly. The site proposes 90 days."
    )
    visible_from: Day | None = Field(
        description="The first of your dates they see; null: everything. The site proposes 30 days before today."
    )
    options: list[Literal["answers", "crisis_moments"]] = Field(
        [],
        max_length=2,
        description="answers: the detail of questionnaire answers (assessments); crisis_moments: "
        "the times of difficult moments (safety_plan). Off unless named.",
    )
    co_edit: bool = Field(False, description="goals only: they may also change them with you.")


def _live_grant(link: Link, scope: str) -> Grant:
    for grant in services.live_grants_of(link):
        if grant.scope == scope:
            return grant
    raise Http404


@router.get(
    "/circle/links/{link_id}/grants/{scope}",
    response={200: GrantOut, **ITEM_ERRORS},
    operation_id="getCircleGrant",
    summary="Read what one scope shares",
    description="404 when the scope is not shared on this link now.",
)
def get_grant(request: HttpRequest, link_id: uuid.UUID, scope: ScopeName) -> dict[str, Any]:
    return grant_out(_live_grant(access.get_link_of(owner_of(request), link_id), scope))


@router.put(
    "/circle/links/{link_id}/grants/{scope}",
    response={200: GrantOut, **ITEM_WRITE_ERRORS, **CONFLICT},
    operation_id="setCircleGrant",
    summary="Share one scope (or change how)",
    description="Only on an accepted link (409 otherwise). Every change is kept, with its time, "
    "in your consent records. substances only if you track them.",
)
def set_grant(request: HttpRequest, link_id: uuid.UUID, scope: ScopeName, data: GrantIn) -> dict[str, Any]:
    from entraide.journal.services import journal_settings_of

    owner = owner_of(request)
    link = access.get_link_of(owner, link_id)
    key = scope
    known = {o.key for o in BY_KEY[key].options}
    errors: dict[str, str] = {}
    if set(data.options) - known:
        errors["options"] = f"This scope takes only: {', '.join(sorted(known)) or 'no option'}."
    if data.co_edit and CO_EDIT not in BY_KEY[key].levels:
        errors["co_edit"] = "Only goals can be changed with you."
    zone = ZoneInfo(owner.time_zone)
    today = timezone.localdate(timezone=zone)
    if data.until is not None and data.until <= today:
        errors["until"] = "Choose a date after today."
    if key == "substances" and not journal_settings_of(owner).track_substances:
        errors["scope"] = "You do not track substances: turn them on in your journal's settings first."
    if errors:
        raise InvalidValuesError(errors)
    until = (
        datetime.combine(data.until + timedelta(days=1), time(0), tzinfo=zone)
        if data.until is not None
        else None
    )
    choice = services.GrantChoice(
        scope=key,
        until=until,
        visible_from=data.visible_from,
        options=dict.fromkeys(data.options, True),
        level=CO_EDIT if data.co_edit else READ,
    )
    return grant_out(services.grant_scope(link, choice=choice, by=owner))


@router.delete(
    "/circle/links/{link_id}/grants/{scope}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="revokeCircleGrant",
    summary="Stop sharing one scope",
    description="From their next request on; 404 when it was not shared.",
)
def revoke_grant(request: HttpRequest, link_id: uuid.UUID, scope: ScopeName) -> Status[Any]:
    owner = owner_of(request)
    if not services.revoke_scope(access.get_link_of(owner, link_id), scope=scope, by=owner):
        raise Http404
    return Status(204, None)


# --- Pause --------------------------------------------------------------------------------------------


class PauseOut(Schema):
    paused: int = Field(description="How many open links are paused now.")
    open: int = Field(description="How many links are open.")


def _pause_out(owner: Any) -> dict[str, Any]:
    links = access.filter_links_of(owner, Link.objects.open())
    return {"paused": links.filter(paused_at__isnull=False).count(), "open": links.count()}


@router.get(
    "/circle/pause",
    response={200: PauseOut, **READ_ERRORS},
    operation_id="getCirclePause",
    summary="Is sharing paused?",
    description="How many of your open links are paused.",
)
def get_pause(request: HttpRequest) -> dict[str, Any]:
    return _pause_out(owner_of(request))


PAUSE_TEXT = (
    "Data and alerts stop reaching them; the grants stay as they are, so resuming restores them. "
    "They see “sharing paused” and nothing else."
)


@router.post(
    "/circle/pause",
    response={200: PauseOut, **WRITE_ERRORS},
    operation_id="pauseCircle",
    summary="Pause sharing with everyone",
    description=PAUSE_TEXT,
)
def pause_all(request: HttpRequest) -> dict[str, Any]:
    owner = owner_of(request)
    services.pause_sharing(owner)
    return _pause_out(owner)


@router.post(
    "/circle/resume",
    response={200: PauseOut, **WRITE_ERRORS},
    operation_id="resumeCircle",
    summary="Resume sharing with everyone",
    description="Grants that reached their end date meanwhile stay ended.",
)
def resume_all(request: HttpRequest) -> dict[str, Any]:
    owner = owner_of(request)
    services.resume_sharing(owner)
    return _pause_out(owner)


@router.post(
    "/circle/links/{link_id}/pause",
    response={200: LinkOut, **ITEM_WRITE_ERRORS},
    operation_id="pauseCircleLink",
    summary="Pause sharing with one person",
    description=PAUSE_TEXT,
)
def pause_link(request: HttpRequest, link_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    services.pause_sharing(owner, link=access.get_link_of(owner, link_id))
    return link_out(access.get_link_of(owner, link_id))


@router.post(
    "/circle/links/{link_id}/resume",
    response={200: LinkOut, **ITEM_WRITE_ERRORS},
    operation_id="resumeCircleLink",
    summary="Resume sharing with one person",
)
def resume_link(request: HttpRequest, link_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    services.resume_sharing(owner, link=access.get_link_of(owner, link_id))
    return link_out(access.get_link_of(owner, link_id))


# --- Consent records and "who saw what" ------------------------------------------------------------------


class GrantChangeOut(Schema):
    at: datetime
    action: Literal["invited", "linked", "granted", "changed", "revoked", "ended", "paused", "resumed"]
    by: Literal["owner", "supporter", "system"]
    supporter: str = Field(description="Their pseudonym (kept after their account is gone).")
    link_id: uuid.UUID | None
    scope: str
    details: dict[str, Any] = Field(
        description="The grant as it became: until, visible_from, options, level."
    )


class GrantChangeList(Schema):
    count: int
    items: list[GrantChangeOut]


class ChangeFilters(Page):
    link_id: uuid.UUID | None = Field(None, description="Only the changes of this link.")


@router.get(
    "/circle/changes",
    response={200: GrantChangeList, **READ_ERRORS},
    operation_id="listCircleChanges",
    summary="List my consent records",
    description="Every invitation, link, grant, change, pause and end, newest first.",
)
def list_changes(request: HttpRequest, filters: Query[ChangeFilters]) -> dict[str, Any]:
    qs = access.filter_changes_of(owner_of(request))
    if filters.link_id:
        qs = qs.filter(link_id=filters.link_id)
    rows: list[GrantChange] = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "items": [
            {
                "at": c.at,
                "action": c.action,
                "by": c.by,
                "supporter": c.supporter_pseudonym,
                "link_id": c.link_id,
                "scope": c.scope,
                "details": c.details,
            }
            for c in rows
        ],
    }


class AccessEventOut(Schema):
    hour: datetime = Field(description="The hour it happened in.")
    last_at: datetime
    viewer: str = Field(description="Who read it (their pseudonym, kept after their account is gone).")
    scope: str
    channel: Literal["web", "api", "feed"]
    count: int = Field(description="How many reads in that hour (reads within a minute count once).")


class AccessEventList(Schema):
    count: int
    items: list[AccessEventOut]


class AccessFilters(Page):
    viewer: str = Field("", max_length=40, description="Only this person's reads (a pseudonym).")
    scope: ScopeName | None = Field(None, description="Only the reads of this scope.")


@router.get(
    "/circle/access-events",
    response={200: AccessEventList, **READ_ERRORS},
    operation_id="listCircleAccessEvents",
    summary="Who saw what",
    description="Every read of your data through the circle, newest first, kept 12 months. Only "
    "you can read it.",
)
def list_access_events(request: HttpRequest, filters: Query[AccessFilters]) -> dict[str, Any]:
    qs = access.filter_access_events_of(owner_of(request))
    if filters.viewer:
        qs = qs.filter(viewer_pseudonym=filters.viewer)
    if filters.scope:
        qs = qs.filter(scope=filters.scope)
    rows: list[AccessEvent] = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "items": [
            {
                "hour": e.hour,
                "last_at": e.last_at,
                "viewer": e.viewer_pseudonym,
                "scope": e.scope,
                "channel": e.channel,
                "count": e.count,
            }
            for e in rows
        ],
    }
