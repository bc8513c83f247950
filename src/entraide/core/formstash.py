"""Nothing typed is lost when a session expires: a form posted without a session is kept here for
30 minutes, encrypted with a one-time key that lives only in a cookie of that browser, and given
back, pre-filled and never submitted, to the same account on the same page after it logs in.

The account is the one named by the form's signed token (``core.formtokens``); a form without a
valid token is not kept, since nothing says whose it is.
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

from entraide.core import crypto, formtokens
from entraide.core.models import StashedForm
from entraide.core.routes import audience_of

COOKIE = "entraide_kept_form"
KEEP_FOR = timedelta(minutes=30)
FORGET = "_entraide_forget_kept_form"
SET = "_entraide_set_kept_form"


def _ad(stash_id: uuid.UUID, user_id: str, path: str) -> bytes:
    return crypto.associated_data("kept-form", stash_id, user_id, path)


KEPT_AUDIENCES = frozenset({"owner", "login"})


def kept_message() -> str:
    return pgettext(
        "kept form",
        "Your session had ended, so nothing was saved yet. What you wrote is kept on this "
        "device for 30 minutes: log in again and you will find it, ready to check and save.",
    )


def keep_posted_form(request: HttpRequest) -> bool:
    """Keep a POST to a personal page (route audience ``owner`` or ``login``) that arrived without
    a session; returns whether it was kept."""
    # A browser whose session expired still sends its session cookie; API clients send none
    # (and their bodies are not forms: reading them here would consume the stream).
    if request.method != "POST" or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if audience_of(match.func, match.view_name) not in KEPT_AUDIENCES:
        return False
    return keep(request)


def keep(request: HttpRequest) -> bool:
    """Keep this POST for the account its token names; returns whether it was kept. The cookie is
    set on the response by ``set_cookie_on``."""
    token = request.POST.get(formtokens.FIELD, "")
    user_id = formtokens.account_of(token) if token else None
    if user_id is None:
        return False
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return False
    fields = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    key = secrets.token_bytes(32)
    stash = StashedForm(user_id=user_id, path=request.path, expires_at=timezone.now() + KEEP_FOR)
    plain = json.dumps(fields, ensure_ascii=False).encode()
    stash.ciphertext = crypto.encrypt(key, plain, _ad(stash.id, user_id, stash.path))
    # One kept form per account and page: the latest.
    StashedForm.objects.filter(user_id=user_id, path=stash.path).delete()
    stash.save()
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
