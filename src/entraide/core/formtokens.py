"""One-time form tokens: a form posted twice (a double click, a resend after a slow answer, the
back button) acts once, and the second POST is sent where the first one led.

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


def submit_once(user: Any, token: str | None, action: Callable[[], str]) -> tuple[str, bool]:
    """Run ``action`` (which saves and returns the URL to go to next) once per token.

    Returns ``(url, True)`` the first time, and ``(first url, False)`` when the token was already
    used. ``action`` runs in the same transaction as the token's claim: if it raises, the token is
    free again. Two concurrent posts wait on the unique (user, token) row: one acts.
    """
    nonce = nonce_for(user, token)
    # No look-up first: a token is almost always new, and a used one fails the claim below.
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=nonce)
            claim.result_url = action()[:500]
            claim.save(update_fields=["result_url"])
    except IntegrityError as conflict:
        return _first_result(user, nonce, conflict), False
    return claim.result_url, True


def _first_result(user: Any, nonce: str, conflict: IntegrityError) -> str:
    """Where the first submission of a used token led; ``conflict`` again when the token is not
    used (the conflict was the action's own)."""
    first = FormSubmission.objects.filter(user=user, token=nonce).first()
    if first is None:
        raise conflict
    return first.result_url


def refuse_token(form: Any) -> None:
    """Show the form again after ``InvalidTokenError``: nothing was saved, every value stays."""
    from django.utils.translation import pgettext

    form.add_error(
        None,
        pgettext(
            "forms",
            "This page was opened for another account, or too long ago. Nothing was saved: check "
            "what you wrote, then save again.",
        ),
    )


def save_once(request: Any, form: Any, save: Callable[[], str]) -> tuple[str, bool] | None:
    """What every form page does on a valid POST: run ``save`` once for the posted token and get
    ``(url, first time)``, or ``None`` when the form must be shown again (a refused token, or
    values the services refuse, put on the form with ``form.add_service_errors``)."""
    try:
        return submit_once(request.user, request.POST.get(FIELD), save)
    except InvalidTokenError:
        refuse_token(form)
    except InvalidValuesError as exc:
        form.add_service_errors(exc)
    return None


def saved_message(request: Any, first: bool, message: str) -> None:
    """``message`` the first time; a second POST of the same form is told nothing was sent twice."""
    if first:
        messages.success(request, message)
    else:
        messages.info(request, pgettext("forms", "This was already saved: nothing was sent twice."))
