"""One-time form tokens: a form posted twice (a double click, a resend after a slow answer, the
back button) acts once, and the second POST is sent where the first one led. Every form view does
it the same way, with ``save_once``.

A new token is no help when the person goes back to a form already saved (the browser fills it in
again, with a fresh token) and saves it again: a view that creates records gives ``save_once`` a
``same`` look-up, and the same values saved a few minutes ago are asked about first (``ask``).

A token is ``<nonce>.<signed account id>``. The nonce makes it one-time; the signature binds it to
the account that opened the form, which also lets ``core.formstash`` give a form typed before a
session expired back to that account only. A client may choose its own nonce (the API of tokens
is the hidden field): it only ever deduplicates its own submissions.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import npgettext, pgettext

from entraide.core.errors import InvalidValuesError
from entraide.core.models import FormSubmission

FIELD = "form_token"
SALT = "entraide.form-token"
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")
# The question "save the same thing a second time?": its answer, posted by one of its two buttons.
CONFIRM_FIELD = "confirm_duplicate"
YES, NO = "1", "0"
SAME_AGAIN_WITHIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Recent:
    """The record a form would repeat: when it was saved, and the page its form led to."""

    saved_at: datetime
    url: str


def same_since() -> datetime:
    """From when a record with the same values counts as the one a form would repeat."""
    return timezone.now() - SAME_AGAIN_WITHIN


class _SavedAMomentAgo(Exception):  # noqa: N818 — not an error: the way out of the transaction
    def __init__(self, recent: Recent) -> None:
        super().__init__()
        self.recent = recent


class InvalidTokenError(Exception):
    """Missing, altered, or opened by another account: the form is shown again, values kept."""


def new_token(user: Any) -> str:
    return f"{secrets.token_urlsafe(12)}.{signing.Signer(salt=SALT).sign(str(user.pk))}"


def account_of(token: str) -> str | None:
    """The id of the account that opened the form, or ``None`` if the token is not ours."""
    _nonce, _, signed = token.partition(".")
    try:
        return signing.Signer(salt=SALT).unsign(signed)
    except signing.BadSignature:
        return None


def nonce_for(user: Any, token: str | None) -> str:
    """The token's nonce, after checking it was made for ``user``; raises ``InvalidTokenError``."""
    if not token:
        raise InvalidTokenError
    nonce = token.partition(".")[0]
    if not _NONCE.fullmatch(nonce) or account_of(token) != str(user.pk):
        raise InvalidTokenError
    return nonce


def token_to_render(request: Any) -> str:
    """The token for a form being shown: the one just posted when it is valid (the form came back
    with errors, nothing was saved), else a new one."""
    posted = request.POST.get(FIELD) if request.method == "POST" else None
    if posted:
        try:
            nonce_for(request.user, posted)
        except InvalidTokenError:
            pass
        else:
            return str(posted)
    return new_token(request.user)


def save_once(
    request: HttpRequest,
    form: Any,
    save: Callable[[], str],
    *,
    message: str,
    same: Callable[[], Recent | None] | None = None,
) -> HttpResponse | None:
    """What every form view does with a valid POST: run ``save`` (which calls the service and
    returns the URL to go to) once for the form's token.

    The first time: ``message``, and a redirect to that URL. The same token again: "already
    saved, nothing was sent twice", and a redirect to where the first POST led; ``save`` does not
    run. ``None`` when the form must be shown again, every value kept: a token that is missing,
    altered or another account's, or values the services refuse (``InvalidValuesError``, put on
    the form by its ``add_service_errors`` if it has one, else each on its field).

    ``same`` (forms that create a record): the person's last record of that kind if it was saved
    since ``same_since()`` with the same values (the moment aside), else ``None``. When there is
    one, and the POST does not answer the question yet, nothing is saved: the page asks "save it a
    second time?" (``ask``), and its "yes" posts the form again with ``CONFIRM_FIELD=1``; its "no"
    leads to the record's page, saving nothing.

    ``save`` runs in one transaction with the token's claim: when it raises, nothing it wrote is
    kept and the token is free again. Two concurrent POSTs of one token wait on the unique
    (user, token) row, and one acts. So ``save`` must do nothing a rollback cannot undo.
    """
    user: Any = request.user  # an account: form views require a login
    try:
        nonce = nonce_for(user, request.POST.get(FIELD))
    except InvalidTokenError:
        form.add_error(
            None,
            pgettext(
                "forms",
                "This page was opened for another account, or too long ago. Nothing was saved: "
                "check what you wrote, then save again.",
            ),
        )
        return None
    answer = request.POST.get(CONFIRM_FIELD)
    if same is not None and answer == NO:
        recent = same()
        messages.info(request, pgettext("forms", "Nothing was saved a second time."))
        return HttpResponseRedirect(recent.url if recent is not None else request.get_full_path())
    # No look-up first: a token is almost always new, and a used one fails the claim. The claim
    # comes before ``save`` so that a second POST waits there, and never runs ``save``; and before
    # the question, so that a double click is "already saved", not "save it a second time?".
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=nonce)
            if same is not None and answer != YES and (recent := same()) is not None:
                raise _SavedAMomentAgo(recent)  # the claim is undone: the token stays free
            claim.result_url = save()[:500]
            claim.save(update_fields=["result_url"])
    except _SavedAMomentAgo as asking:
        return ask(request, asking.recent)
    except InvalidValuesError as exc:
        _put_on(form, exc)
        return None
    except IntegrityError:
        first = FormSubmission.objects.filter(user=user, token=nonce).first()
        if first is None:
            raise  # the conflict was ``save``'s own, not a used token
        messages.info(request, pgettext("forms", "This was already saved: nothing was sent twice."))
        return HttpResponseRedirect(first.result_url)
    messages.success(request, message)
    # A path already: ``redirect`` would try to reverse it first.
    return HttpResponseRedirect(claim.result_url)


def ask(request: HttpRequest, recent: Recent) -> HttpResponse:
    """The page that asks before saving the same values a second time: the form's values in
    hidden fields (its token included), a "yes" and a "no" button, both POSTs to the form."""
    minutes = int((timezone.now() - recent.saved_at).total_seconds() // 60)
    if minutes < 1:
        question = pgettext(
            "save twice", "You saved the same thing less than a minute ago: save it a second time?"
        )
    else:
        question = npgettext(
            "save twice",
            "You saved the same thing %(minutes)s minute ago: save it a second time?",
            "You saved the same thing %(minutes)s minutes ago: save it a second time?",
            minutes,
        ) % {"minutes": minutes}
    posted = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in {"csrfmiddlewaretoken", CONFIRM_FIELD}
        for value in values
    ]
    return render(
        request,
        "core/save_twice/index.html",
        {
            "question": question,
            "posted": posted,
            "action": request.get_full_path(),
            "field": CONFIRM_FIELD,
            "yes": YES,
            "no": NO,
        },
    )


def _put_on(form: Any, exc: InvalidValuesError) -> None:
    """The services' messages on the form: by its own ``add_service_errors`` (a form whose field
    names differ from the services' keys has one), else each on its field, or on the whole form."""
    put = getattr(form, "add_service_errors", None)
    if put is not None:
        put(exc)
        return
    for key, message in exc.errors.items():
        form.add_error(key if key in form.fields else None, str(message))
