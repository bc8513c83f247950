"""The page that a reminder email's "snooze" and "not today" links open: one POST button, no login
needed (the signed, short-lived token is the authority), nothing changed on GET."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from entraide.core.web.routes import audience
from entraide.notifications import reminders
from entraide.notifications.models import Reminder


@audience("public")
@csrf_exempt  # opened from an email, perhaps in another browser: the token is the authority
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_action(request: HttpRequest, reminder_token: str) -> HttpResponse:
    read = reminders.read_action_token(reminder_token)
    reminder = Reminder.objects.select_related("owner").filter(pk=read[0]).first() if read else None
    if read is None or reminder is None:
        return render(request, "notifications/reminder_action/index.html", {"invalid": True}, status=400)
    action = read[1]
    done = False
    if request.method == "POST":
        if action == "snooze":
            reminders.snooze(reminder)
        else:
            reminders.not_today(reminder)
        done = True
    return render(request, "notifications/reminder_action/index.html", {"action": action, "done": done})
