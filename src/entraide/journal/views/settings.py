"""The person's check-in settings: the daily reminder, substances, their own emotions."""

from __future__ import annotations

from datetime import time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.journal import services
from entraide.journal.forms import JournalSettingsForm


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def journal_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    row = services.journal_settings_of(user)
    reminder = services.checkin_reminder_of(user)
    weekly = services.weekly_summary_reminder_of(user)
    initial = {
        "weekly_email": bool(weekly and weekly.enabled),
        "reminder_enabled": bool(reminder and reminder.enabled),
        "reminder_time": reminder.local_time if reminder else time(20, 0),
        "track_substances": row.track_substances,
        "own_emotions": ", ".join(row.own_emotions),
    }
    form = JournalSettingsForm(formstash.posted_or_kept(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> str:
            services.update_journal_settings(
                user, track_substances=data["track_substances"], own_emotions=data["own_emotions"]
            )
            services.set_checkin_reminder(user, enabled=data["reminder_enabled"], at=data["reminder_time"])
            services.set_weekly_summary(user, enabled=data["weekly_email"])
            return reverse("journal:settings")

        done = formtokens.save_once(
            request, form, save, message=pgettext("journal settings", "Your choices are saved.")
        )
        if done:
            return done
    return render(request, "journal/settings/index.html", {"form": form})
