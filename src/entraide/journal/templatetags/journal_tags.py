from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def section_open(form: Any, names: str) -> bool:
    """Whether a folded section of the check-in form holds a value or an error: then it opens."""
    return bool(form.section_has(tuple(names.split(","))))
