"""``{% form_token %}``: the hidden one-time token every personal form carries (core.formtokens)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from entraide.core.forms import formtokens

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context: dict[str, Any]) -> SafeString:
    request = context["request"]
    return format_html(
        '<input type="hidden" name="{}" value="{}">', formtokens.FIELD, formtokens.token_to_render(request)
    )
