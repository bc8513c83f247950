"""Django's form renderer, with the templates every form uses most written in Python: the label,
the one-line inputs (text, number, time…) and the text area. Through the template engine each
costs about 0.1 ms, and the check-in form has forty of them. The output is the
templates' own, character for character (core/tests/test_form_renderer.py renders both); every
other template goes through the engine as before. Like Django's renderer, this one reads
Django's own form templates before any app's, so no app override is bypassed.

One of the declared exceptions of docs/performance.md, with the figures that keep it: the plain
Django equivalent is ``FORM_RENDERER = "django.forms.renderers.DjangoTemplates"``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# What {{ x }} is given in a form template: autoescaped, localised, as Django's engine does it.
_CONTEXT = Context(autoescape=True)


def _shown(value: Any) -> str:
    """``{{ value }}``."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (a safe value stays as it is, anything else is escaped)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return str(conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text))  # noqa: S308


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] != None else ""  # noqa: E711 — the template's test
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    text = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _shown(context["label"]).strip()
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_shown(context['label'])}</{tag}>"


_INPUTS = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "tel",
    "search",
)
FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/label.html": _label,
}


class FastFormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST.get(template_name)
        return fast(context) if fast is not None else super().render(template_name, context, request)
