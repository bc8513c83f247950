"""What every form page of this app does, as the journal's pages do: a one-time token per form
(``core.formtokens``: a second POST acts once), and a form typed before the session ended given
back after logging in again (``core.formstash``)."""

from __future__ import annotations

from entraide.core import formtokens

# The shared form helpers, under the names the assessments views use.
save_once = formtokens.save_once
saved_message = formtokens.saved_message
