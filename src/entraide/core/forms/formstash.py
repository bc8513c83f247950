"""Nothing typed is lost when a session expires: a form posted without a session is kept here for
30 minutes, encrypted with a one-time key that lives only in a cookie of that browser, and given
back, pre-filled and never submitted, to the same account on the same page after it logs in.

The account is the one named by the form's signed token (``core.formtokens``); a form without a
valid token is not kept, since nothing says whose it is. A token alone is not enough, though (anyone
can open a form of their own account and post it again and again without a session): the session
cookie must name a session that really existed for that account and has ended. allauth's
``usersessions`` records each login's session key with its account and forgets it only at that
account's next login (or when its sessions list is opened), so the cookie of a session that
expired, idled out or was ended elsewhere still matches a row of the account, while an invented
cookie or another account's does not.

Disk stays bounded: at most ``MAX_PER_PERSON`` kept forms per account (the oldest goes), each at
most ``MAX_BYTES`` with no value over ``MAX_VALUE_CHARS`` characters (the longest field any form
here accepts; Django already refuses more than 1,000 fields or a 2.5 MB body), and at most
``PER_ADDRESS`` kept forms per client address. Each form's own limits apply when it is given
back: the view validates it as any POST. A form that cannot be kept is said so on the login page.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import pgettext

from entraide.core.encryption import crypto
from entraide.core.forms import formtokens
from entraide.core.models import StashedForm
from entraide.core.web import ratelimits
from entraide.core.web.routes import audience_of

COOKIE = "entraide_kept_form"
KEEP_FOR = timedelta(minutes=30)
FORGET = "_entraide_forget_kept_form"
SET = "_entraide_set_kept_form"
ENDED_FOR = "_entraide_ended_session_of"  # in the anonymous session after an ended one

MAX_PER_PERSON = 3
MAX_BYTES = 512 * 1024  # the JSON of the fields, before encryption
MAX_VALUE_CHARS = 100_000  # the longest field of any form (the legal documents' text)
PER_ADDRESS = ratelimits.Limit("kept-form", limit=20, per=600)


def _ad(stash_id: uuid.UUID, user_id: str, path: str) -> bytes:
    return crypto.associated_data("kept-form", stash_id, user_id, path)


KEPT_AUDIENCES = frozenset({"owner", "login"})


def kept_message() -> str:
    return pgettext(
        "kept form",
        "Your session had ended, so nothing was saved yet. What you wrote is kept on this "
        "device for 30 minutes: log in again and you will find it, ready to check and save.",
    )


def not_kept_message() -> str:
    return pgettext(
        "kept form",
        "Your session had ended, so nothing was saved, and what you wrote could not be kept "
        "this time. Your browser's Back button may still show it: copy it before you log in again.",
    )


def keep_posted_form(request: HttpRequest) -> str | None:
    """Keep a POST to a personal page (route audience ``owner`` or ``login``) that arrived without
    a session. Returns the message for the login page (kept, or could not be kept), or ``None``
    when the request is no such form (then nothing is said)."""
    # A browser whose session expired still sends its session cookie; API clients send none
    # (and their bodies are not forms: reading them here would consume the stream).
    if request.method != "POST" or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if audience_of(match.func, match.view_name) not in KEPT_AUDIENCES:
        return None
    token = request.POST.get(formtokens.FIELD, "")
    if not token or formtokens.account_of(token) is None:
        return None  # not one of our forms: nothing says whose it is
    return kept_message() if keep(request) else not_kept_message()


def _session_ended_for(request: HttpRequest, user_id: str) -> bool:
    """The session cookie names a session that this account logged in with (see the module), or
    the session that followed it in this browser: the login page's message starts a new, anonymous
    session, and a second tab posting after the first must find its form kept too."""
    from allauth.usersessions.models import UserSession

    if request.session.get(ENDED_FOR) == user_id:
        return True
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not key or not UserSession.objects.filter(session_key=key[:40], user_id=user_id).exists():
        return False
    request.session[ENDED_FOR] = user_id
    return True


def _within_limits(fields: dict[str, list[str]], plain: bytes) -> bool:
    values = [value for values in fields.values() for value in values]
    return len(plain) <= MAX_BYTES and all(len(value) <= MAX_VALUE_CHARS for value in values)


def keep(request: HttpRequest) -> bool:
    """Keep this POST for the account its token names; returns whether it was kept. The cookie is
    set on the response by ``set_cookie_on``."""
    token = request.POST.get(formtokens.FIELD, "")
    user_id = formtokens.account_of(token) if token else None
    if user_id is None:
        return False
    # Counted before any query: a flood from one address costs no more than this.
    if ratelimits.hit(PER_ADDRESS, ratelimits.client_ip(request)) is not None:
        return False
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return False
    if not _session_ended_for(request, user_id):
        return False
    fields = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    plain = json.dumps(fields, ensure_ascii=False).encode()
    if not _within_limits(fields, plain):
        return False
    key = secrets.token_bytes(32)
    stash = StashedForm(user_id=user_id, path=request.path, expires_at=timezone.now() + KEEP_FOR)
    stash.ciphertext = crypto.encrypt(key, plain, _ad(stash.id, user_id, stash.path))
    # One kept form per account and page (the latest), and at most MAX_PER_PERSON in all.
    StashedForm.objects.filter(user_id=user_id, path=stash.path).delete()
    stash.save()
    older = StashedForm.objects.filter(user_id=user_id).order_by("-expires_at").values_list("pk", flat=True)
    StashedForm.objects.filter(pk__in=list(older[MAX_PER_PERSON:])).delete()
    cookie = f"{stash.id}.{base64.urlsafe_b64encode(key).decode().rstrip('=')}"
    setattr(request, SET, cookie)
    return True


def take(request: HttpRequest) -> QueryDict | None:
    """The form kept for this account and page, once: the row is deleted and the cookie cleared."""
    cookie = request.COOKIES.get(COOKIE)
    user = getattr(request, "user", None)
    if not cookie or user is None or not user.is_authenticated:
        return None
    stash_id, _, encoded = cookie.partition(".")
    try:
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        stash = StashedForm.objects.filter(
            pk=uuid.UUID(stash_id), user_id=user.pk, path=request.path, expires_at__gt=timezone.now()
        ).first()
    except (ValueError, binascii.Error):
        setattr(request, FORGET, True)
        return None
    if stash is None:
        return None  # another page's form, or another account's: left for them until it expires
    setattr(request, FORGET, True)
    StashedForm.objects.filter(pk=stash.pk).delete()
    try:
        plain = crypto.decrypt(
            key, bytes(stash.ciphertext), _ad(stash.id, str(user.pk), stash.path), what="kept form"
        )
    except crypto.DecryptionError:
        return None
    data = QueryDict(mutable=True)
    for name, values in json.loads(plain).items():
        data.setlist(name, [str(v) for v in values])
    return data


def set_cookie_on(request: HttpRequest, response: HttpResponseBase) -> None:
    cookie = getattr(request, SET, None)
    if cookie:
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=int(KEEP_FOR.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    elif getattr(request, FORGET, False):
        response.delete_cookie(COOKIE, samesite="Lax")


def posted_or_kept(request: HttpRequest) -> QueryDict | None:
    """A form view's data: the POST, or on GET the form kept when the session expired (with a
    message saying so), or ``None`` for an empty form."""
    if request.method == "POST":
        return request.POST
    kept = take(request)
    if kept is not None:
        from django.contrib import messages

        messages.info(
            request,
            pgettext("kept form", "Here is what you wrote before your session ended. Check it, then save."),
        )
    return kept
