from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from entraide.core import instance


def instance_facts(request: HttpRequest) -> dict[str, Any]:
    return {
        # Lazy: a page that never prints the instance's name makes no query for it.
        "instance": SimpleLazyObject(lambda: instance.facts_for(request)),
        "email_configured": settings.EMAIL_CONFIGURED,
    }
