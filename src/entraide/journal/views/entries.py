"""The journal ("carnet"): free entries, their list with a search, the form, deleting one."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.core import private_records
from entraide.core.content.markdown import plain_start, render_entry
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.journal import services
from entraide.journal.access import filter_entries_of, get_entry_of
from entraide.journal.forms_entries import EntryForm
from entraide.journal.models import JournalEntry

PER_PAGE = 25
MAX_QUERY = 200


def _item(entry: JournalEntry) -> dict[str, Any]:
    payload = entry.payload
    title = payload.get("title", "")
    return {
        "entry": entry,
        "title": title or plain_start(payload.get("body", "")),
        "untitled": not title,
        "mood": payload.get("mood"),
        "tags": payload.get("tags", []),
    }


@audience("owner")
@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    # Searching decrypts every entry in memory (one person's scale); listing decrypts one page.
    rows: Any = (
        services.search_entries(user, query)
        if query
        else filter_entries_of(user).order_by("-day", "-created_at")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/entries/index.html",
        {"page_obj": page, "items": [_item(e) for e in page.object_list], "query": query},
    )


@audience("owner")
@login_required
@require_safe
def entry_detail(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_entry_of(request.user, entry_id)
    return render(
        request,
        "journal/entry/index.html",
        {"item": _item(entry), "entry": entry, "body": render_entry(entry.payload.get("body", ""))},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EntryForm(formstash.posted_or_kept(request), initial=EntryForm.initial_for_new())
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            entry = services.create_entry(
                user, **form.values(), private=bool(form.cleaned_data.get("private"))
            )
            return reverse("journal:entry", kwargs={"entry_id": entry.pk})

        def same() -> formtokens.Recent | None:
            twin = services.same_entry_since(user, since=formtokens.same_since(), **form.values())
            if twin is None:
                return None
            return formtokens.Recent(twin.created_at, reverse("journal:entry", kwargs={"entry_id": twin.pk}))

        done = formtokens.save_once(
            request, form, save, message=pgettext("journal entry form", "Your entry is saved."), same=same
        )
        if done:
            return done
    return render(request, "journal/entry_new/index.html", {"form": form, "ask_private": True})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = request.user
    entry = get_entry_of(user, entry_id)
    form = EntryForm(
        formstash.posted_or_kept(request),
        initial=EntryForm.initial_from(entry),
        can_clear_mood=entry.payload.get("mood") is not None,
    )
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_entry(entry, **form.values())
            return reverse("journal:entry", kwargs={"entry_id": entry.pk})

        done = formtokens.save_once(
            request, form, save, message=pgettext("journal entry form", "Your entry is updated.")
        )
        if done:
            return done
    return render(request, "journal/entry_edit/index.html", {"form": form, "entry": entry})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = get_entry_of(request.user, entry_id)
    if request.method == "POST":
        services.delete_entry(entry)
        messages.success(request, pgettext("journal entry delete", "The entry is deleted."))
        return redirect("journal:entries")
    return render(request, "journal/entry_delete/index.html", {"item": _item(entry), "entry": entry})


@audience("owner")
@login_required
@require_POST
def entry_private(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """ "Reste privé": nobody the person shares with sees the entry."""
    found = get_entry_of(request.user, entry_id)
    private = private_records.wanted(request)
    services.mark_entry_private(found, private=private)
    private_records.tell(request, private)
    return redirect("journal:entry", entry_id=found.pk)
