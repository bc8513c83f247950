"""Loading a person's own notifications: another person's are a 404, never a 403."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from entraide.notifications.models import Notification


def filter_notifications_of(owner: Any, qs: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
    return (Notification.objects.all() if qs is None else qs).filter(owner_id=owner.pk)


def get_notification_of(owner: Any, notification_id: uuid.UUID | str) -> Notification:
    found = filter_notifications_of(owner).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found
