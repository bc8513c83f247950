"""What every form page of this app does, as the journal's pages do: a one-time token per form
(``core.formtokens``: a second POST acts once), and a form typed before the session ended given
back after logging in again (``core.formstash``). The messages are the journal's, word for word."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import pgettext

from entraide.core import formstash, formtokens
from entraide.journal.values import InvalidValuesError

# The shared form helpers, under the names the treatments views use.
kept_or_posted = formstash.posted_or_kept
invalid_token = formtokens.refuse_token


def save_once(request: HttpRequest, form: Any, save: Callable[[], str]) -> tuple[str, bool] | None:
    """Run ``save`` once for the posted token: ``(url, first time)``, or ``None`` when the form
    must be shown again (bad token, or values the services refuse, limits included)."""
    try:
        return formtokens.submit_once(request.user, request.POST.get(formtokens.FIELD), save)
    except formtokens.InvalidTokenError:
        invalid_token(form)
    except InvalidValuesError as exc:
        form.add_service_errors(exc)
    return None


def saved_message(request: HttpRequest, first: bool, message: str) -> None:
    if first:
        messages.success(request, message)
    else:
        messages.info(request, pgettext("forms", "This was already saved: nothing was sent twice."))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
