"""The crisis-language watch's pages: the calm block a post's author sees once on the page after
posting (when the watch matched), the moderators' page that edits the lists and the caring
message's text (``/gestion/moderation/veille/``), and the caring message sent from a case.

The block after posting never says that words were looked for: it offers the crisis numbers and
the help page the way the site offers them everywhere, and, for a held post, when a moderator
will read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from entraide.community import moderation, rules, watch
from entraide.community.forms import ServiceErrorsMixin
from entraide.community.models import ModerationCase
from entraide.community.permissions import check_moderate_permission
from entraide.core import instance
from entraide.core.errors import InvalidValuesError
from entraide.core.forms import formtokens
from entraide.core.web.routes import audience

SESSION_KEY = "community_after_post_care"


# --- After posting --------------------------------------------------------------------------------


def remember_after_post(request: HttpRequest, *, held: bool) -> None:
    """The next page the author sees shows the crisis numbers once (a session flag: it survives
    the redirect and needs no JavaScript)."""
    request.session[SESSION_KEY] = {"held": held}


def when_read(current: rules.Rules, now: datetime) -> str:
    """Roughly when a moderator reads a held post: "in the next few hours" within moderation
    hours, else "from tomorrow at 09:00" (or the day's name, or today)."""
    if rules.within_hours(current, now):
        return pgettext("after post care", "in the next few hours")
    opening = rules.next_opening(current, now)
    if opening is None:
        return pgettext("after post care", "as soon as a moderator is on duty")
    today = timezone.localtime(now, opening.tzinfo).date()
    at = opening.strftime("%H:%M")
    days = (opening.date() - today).days
    if days == 0:
        return pgettext("after post care", "from today at %(time)s") % {"time": at}
    if days == 1:
        return pgettext("after post care", "from tomorrow at %(time)s") % {"time": at}
    return pgettext("after post care", "from %(day)s at %(time)s") % {
        "day": WEEKDAYS[opening.weekday()],
        "time": at,
    }


def after_post_context(request: HttpRequest) -> dict[str, Any]:
    """``after_post_care`` for the page after posting, once: the flag is taken out of the session
    as it is shown. No query for anyone else (the session is already loaded for a member)."""
    if not request.user.is_authenticated:
        return {}
    found = request.session.pop(SESSION_KEY, None)
    if not isinstance(found, dict):
        return {}
    care: dict[str, Any] = {"held": bool(found.get("held"))}
    if care["held"]:
        current = rules.Rules.of(instance.settings_for(request))
        care["when"] = when_read(current, timezone.now())
    return {"after_post_care": care}


# --- The moderators' page -------------------------------------------------------------------------


class WatchForm(ServiceErrorsMixin, forms.Form):
    french = forms.CharField(
        label=pgettext_lazy("crisis watch", "French words and phrases"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=pgettext_lazy("crisis watch", "One a line."),
    )
    english = forms.CharField(
        label=pgettext_lazy("crisis watch", "English words and phrases"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=pgettext_lazy("crisis watch", "One a line."),
    )
    concern_template = forms.CharField(
        label=pgettext_lazy("crisis watch", "The caring message's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=pgettext_lazy(
            "crisis watch",
            "Empty: the default text, in each member's language. The crisis numbers and the help page "
            "are added after it, then “— The moderation team”. Never write about a message here: "
            "the same text goes to everyone.",
        ),
    )


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def watch_settings(request: HttpRequest) -> HttpResponse:
    check_moderate_permission(request.user)
    row = instance.load_settings()
    fr, en = watch.lists_of(row)
    initial = {
        "french": "\n".join(fr),
        "english": "\n".join(en),
        "concern_template": watch.concern_template_of(row),
    }
    posted = request.method == "POST"
    if posted and "restore" in request.POST:
        watch.restore_defaults(request.user)
        messages.success(request, pgettext("crisis watch", "The default lists are back."))
        return redirect("moderation:watch")
    form = WatchForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        user = request.user
        data = form.cleaned_data

        def save() -> str:
            watch.save_watch(
                user,
                french=data["french"],
                english=data["english"],
                concern_template=data["concern_template"],
            )
            return reverse("moderation:watch")

        done = formtokens.save_once(request, form, save, message=pgettext("crisis watch", "Saved."))
        if done:
            return done
    return render(
        request,
        "community/moderation_watch/index.html",
        {"form": form, "preview": moderation.concern_body(get_language() or "fr")},
        status=400 if posted else 200,
    )


# --- The caring message ---------------------------------------------------------------------------


@audience("role")
@login_required
@require_POST
def send_concern(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Send the case's author the caring message (``moderation.send_concern``); the page tells the
    moderator whether it went, kindly when it did not (already sent today, not their case)."""
    check_moderate_permission(request.user)
    case = get_object_or_404(ModerationCase, pk=case_id)
    try:
        moderation.send_concern(request.user, case)
    except InvalidValuesError as refused:
        for message in refused.errors.values():
            messages.info(request, str(message))
    else:
        messages.success(
            request,
            pgettext(
                "concern message",
                "The caring message is sent, signed “the moderation team”. The person is not told why; the case "
                "stays open for you to handle.",
            ),
        )
    return redirect("moderation:case", case_id=case.pk)
