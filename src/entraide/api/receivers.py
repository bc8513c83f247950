"""The API listens to accounts: a new password or "log out of the other sessions" ends tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import npgettext

from entraide.accounts.signals import ways_in_ended
from entraide.api import services


@receiver(ways_in_ended, dispatch_uid="entraide_api_end_tokens")
def end_tokens(sender: Any, user: Any, request: HttpRequest | None, reason: str, **kwargs: Any) -> None:
    ended = services.end_tokens_of(user, reason=reason)
    if ended and request is not None and hasattr(request, "_messages"):
        messages.info(
            request,
            npgettext(
                "api tokens",
                "Your API access token was ended too: create a new one for a program you still use.",
                "Your %(count)d API access tokens were ended too: create new ones for the programs "
                "you still use.",
                ended,
            )
            % {"count": ended},
        )
