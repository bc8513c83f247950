from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from entraide.core import instance
from entraide.core.models import InstanceSettings


@receiver(user_logged_out)
def mark_logout(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        request.entraide_logged_out = True  # type: ignore[attr-defined]  # read by PrivacyHeadersMiddleware


@receiver(post_save, sender=InstanceSettings, dispatch_uid="entraide_settings_saved")
def forget_cached_settings(sender: Any, **kwargs: Any) -> None:
    # This process sees its own change at once (other processes within the cache's seconds).
    instance.forget_cached_settings()


# A person signalled a crisis: they tapped "je ne vais pas bien", or answered a questionnaire item
# about self-harm above 0. Sent by the app where it happened, inside its transaction, with
# ``person`` and ``source`` (a short key: "button", "phq9"...), and ``cause`` (the id of the record
# that signalled it, if any: a crisis moment caused by a record marked "reste privé" is private
# too); the safety app records a crisis moment. Core declares it so that neither app imports the
# other.
crisis_signalled = Signal()
