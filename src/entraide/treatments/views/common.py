"""What every form page of this app does, as the journal's pages do: a one-time token per form
(``core.formtokens``: a second POST acts once), and a form typed before the session ended given
back after logging in again (``core.formstash``). The messages are the journal's, word for word."""

from __future__ import annotations

from django.http import HttpRequest

from entraide.core import formstash, formtokens

# The shared form helpers, under the names the treatments views use.
kept_or_posted = formstash.posted_or_kept
invalid_token = formtokens.refuse_token
save_once = formtokens.save_once
saved_message = formtokens.saved_message


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
