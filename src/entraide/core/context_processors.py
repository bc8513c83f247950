import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from entraide.core import instance

# The layout's links, reversed once per process: URL patterns never change at run time, and
# reversing a dozen names on every page cost about a millisecond.
LAYOUT_LINKS = {
    "home": "core:home",
    "help": "core:crisis-help",
    "transparency": "core:transparency",
    "accessibility": "core:accessibility",
    "login": "account_login",
    "logout": "account_logout",
    "profile": "accounts:profile",
    "people": "accounts:people",
    "settings": "core:instance-settings",
    "set_language": "set-language",
}
LEGAL_SLUGS = {
    "privacy": "confidentialite",
    "terms": "conditions",
    "notice": "mentions-legales",
    "charter": "charte",
}


@functools.cache
def layout_links() -> dict[str, str]:
    links = {key: reverse(name) for key, name in LAYOUT_LINKS.items()}
    links.update(
        {key: reverse("core:legal-document", kwargs={"slug": slug}) for key, slug in LEGAL_SLUGS.items()}
    )
    return links


def instance_facts(request: HttpRequest) -> dict[str, Any]:
    return {
        # Lazy: a page that never prints the instance's name makes no query for it.
        "instance": SimpleLazyObject(lambda: instance.facts_for(request)),
        "email_configured": settings.EMAIL_CONFIGURED,
        "links": SimpleLazyObject(layout_links),
    }
