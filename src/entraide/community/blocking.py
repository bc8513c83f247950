"""Where blocking and ignoring a member will plug in (issue 21, step 3).

``ignoring(author_id, candidates)`` answers who, among ``candidates``, blocks or ignores the
author: those people are not told of the author's posts, replies or mentions
(``services.recipients_of`` calls it, for anonymous posts too: it reads the stored author). Step 3
replaces its body with a query on its own model, keeping the signature; pages will then fold the
author's posts for them.
"""

from __future__ import annotations

from typing import Any


def ignoring(author_id: Any, candidates: set[Any]) -> set[Any]:
    """Nobody yet: blocking arrives with step 3 of issue 21."""
    return set()
