"""Taking a break ("Faire une pause", ``/communaute/pause/``): a member chooses how long to
step back from the community, and may resume at any time (a POST from that page, which is the confirmation).
Nobody else is told (``pause.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from entraide.community import pause
from entraide.community.forms_anonymity import PauseForm
from entraide.core.forms import formtokens
from entraide.core.web.routes import audience


@audience("login")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pause_page(request: HttpRequest) -> HttpResponse:
    until = pause.paused_until(request.user)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user, end = request.user, form.end()

        def save() -> str:
            pause.pause_member(user, until=end)
            return reverse("community:pause")

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext(
                "pause", "Your break has started. Take care of yourself; we are here when you come back."
            ),
        )
        if done:
            return done
    return render(
        request,
        "community/pause/index.html",
        {"form": form, "paused_until": until, "until_text": pause.until_text(until) if until else ""},
        status=400 if request.method == "POST" else 200,
    )


@audience("login")
@login_required
@require_POST
def pause_end(request: HttpRequest) -> HttpResponse:
    """ "Reprendre maintenant": harmless twice, and never ends a moderators' suspension."""
    pause.resume_member(request.user)
    messages.success(request, pgettext("pause", "Welcome back. You can write in the community again."))
    return redirect("community:spaces")
