"""One-time form tokens: a form posted twice (a double click, a resend after a slow answer, the
back button) acts once, and the second POST is sent where the first one led. Every form view does
it the same way, with ``save_once``.

A token is ``<nonce>.<signed account id>``. The nonce makes it one-time; the signature binds it to
the account that opened the form, which also lets ``core.formstash`` give a form typed before a
session expired back to that account only. A client may choose its own nonce (the API of tokens
is the hidden field): it only ever deduplicates its own submissions.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import pgettext

from entraide.core.errors import InvalidValuesError
from entraide.core.models import FormSubmission

FIELD = "form_token"
SALT = "entraide.form-token"
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


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
    request: HttpRequest, form: Any, save: Callable[[], str], *, message: str
) -> HttpResponseRedirect | None:
    """What every form view does with a valid POST: run ``save`` (which calls the service and
    returns the URL to go to) once for the form's token.

    The first time: ``message``, and a redirect to that URL. The same token again: "already
    saved, nothing was sent twice", and a redirect to where the first POST led; ``save`` does not
    run. ``None`` when the form must be shown again, every value kept: a token that is missing,
    altered or another account's, or values the services refuse (``InvalidValuesError``, put on
    the form by its ``add_service_errors`` if it has one, else each on its field).

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
    # No look-up first: a token is almost always new, and a used one fails the claim. The claim
    # comes before ``save`` so that a second POST waits there, and never runs ``save``.
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=nonce)
            claim.result_url = save()[:500]
            claim.save(update_fields=["result_url"])
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


def _put_on(form: Any, exc: InvalidValuesError) -> None:
    """The services' messages on the form: by its own ``add_service_errors`` (a form whose field
    names differ from the services' keys has one), else each on its field, or on the whole form."""
    put = getattr(form, "add_service_errors", None)
    if put is not None:
        put(exc)
        return
    for key, message in exc.errors.items():
        form.add_error(key if key in form.fields else None, str(message))
