""" "Reste privé" on a person's own records (check-ins, journal entries, thought records,
questionnaire answers): what the toggle posts, and what the person is told. A private record
never reaches anyone they share with (docs/consent-gate.md); each app keeps the field and its
``mark_<record>_private`` service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import pgettext


def wanted(request: HttpRequest) -> bool:
    """The state the toggle asks for (``private=1``: keep it private)."""
    return request.POST.get("private") == "1"


def tell(request: HttpRequest, private: bool) -> None:
    if private:
        text = pgettext("private record", "It stays private: nobody in your circle sees it.")
    else:
        text = pgettext("private record", "It is no longer private: people you share this with may see it.")
    messages.success(request, text)


def back_to_list(request: HttpRequest) -> str:
    """The list page to return to, when the toggle was on a list ("" otherwise)."""
    if request.POST.get("back") != "list":
        return ""
    page = request.POST.get("page", "")
    return f"?page={page}" if page.isdigit() and len(page) < 7 else "?"
