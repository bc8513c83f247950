"""What the login page needs to know about joining this instance."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def signup_is_open(request: HttpRequest) -> bool:
    """Whether this visitor may sign up: sign-up is open, or they hold a usable invitation."""
    return bool(get_adapter(request).is_open_for_signup(request))
