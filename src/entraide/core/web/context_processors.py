import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from entraide.core import instance
from entraide.core.web.routes import PRIVATE_AUDIENCES, audience_of

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
    "notifications": "notifications:centre",
    "my_space": "journal:overview",
    "notifications_unread": "notifications:unread-count",
    "community": "community:spaces",
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


def has_neutral_title(request: HttpRequest) -> bool:
    """A page about a person gets a neutral <title>: on a shared computer, the tab and the browser's
    history must not tell what the person was doing (its <h1> still says)."""
    match = request.resolver_match
    return match is not None and audience_of(match.func, match.url_name) in PRIVATE_AUDIENCES


def instance_facts(request: HttpRequest) -> dict[str, Any]:
    return {
        "neutral_title": has_neutral_title(request),
        # Lazy: a page that never prints the instance's name makes no query for it.
        "instance": SimpleLazyObject(lambda: instance.facts_for(request)),
        "email_configured": settings.EMAIL_CONFIGURED,
        "links": SimpleLazyObject(layout_links),
    }
