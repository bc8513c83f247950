"""Choice widgets rendered in Python rather than one template per option (the check-in's
scales and emotions, the questionnaires' answers)."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _checked_values(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


class FastChoices:
    """Renders radio buttons or boxes in Python rather than one template per option: a check-in
    form has about a hundred options, and Django's per-option templates cost ~30 ms a page."""

    option_class = ""
    wrapper = "div"
    wrapper_class = ""
    choices: Any
    input_type: Any  # from the Django widget it is mixed into (radio or checkbox)

    def render_options(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        checked = _checked_values(value)
        base_id = (attrs or {}).get("id")
        label_class = f' class="{_escaped(self.option_class)}"' if self.option_class else ""
        start = f'<label{label_class}><input type="{_escaped(self.input_type or "radio")}" name="{_escaped(name)}"'
        parts = [
            f'{start} value="{_escaped(option_value)}"'
            + (f' id="{_escaped(base_id)}_{index}"' if base_id else "")
            + (" checked" if str(option_value) in checked else "")
            + f"> <span>{_escaped(label)}</span></label>"
            for index, (option_value, label) in enumerate(self.choices)
        ]
        wrapper = self.wrapper
        return mark_safe(  # noqa: S308 — every value escaped; the tag name is a constant
            f'<{wrapper} class="{_escaped(self.wrapper_class)}">{"".join(parts)}</{wrapper}>'
        )


def _escaped(value: Any) -> str:
    """What ``format_html`` makes of an argument (``conditional_escape``), as an f-string part:
    a hundred options through ``format_html`` cost a tenth of the check-in form."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class ScaleWidget(FastChoices, forms.RadioSelect):
    """0 to 10 as a row of buttons (radio inputs: no JavaScript, one tap), words at both ends."""

    option_class = "scale__option"
    wrapper_class = "scale"

    def __init__(self, *, low: str = "", high: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = self.render_options(name, value, self.build_attrs(self.attrs, attrs))
        if not (self.low or self.high):
            return options
        ends = format_html('<p class="scale__ends"><span>{}</span><span>{}</span></p>', self.low, self.high)
        return format_html("{}{}", options, ends)


class ChipsWidget(FastChoices, forms.CheckboxSelectMultiple):
    """Several choices as compact boxes that wrap (emotions)."""

    input_type = "checkbox"
    option_class = "chip"
    wrapper_class = "chips"

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return self.render_options(name, value, self.build_attrs(self.attrs, attrs))


class FastRadioSelect(FastChoices, forms.RadioSelect):
    """Yes/no and choice lists, rendered like Django's RadioSelect but without a template per option."""

    wrapper_class = "inline-choices"

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return self.render_options(name, value, self.build_attrs(self.attrs, attrs))


class ItemRadios(forms.RadioSelect):
    """One answer per line, rendered in Python (forty radios through Django's per-option templates
    cost more than the rest of the page); the error summary links to the first answer (Django
    gives a radio group no id to link to)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index if index is not None else 0}" if id_ else ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        base_id = self.build_attrs(self.attrs, attrs).get("id")
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        options = [
            format_html(
                '<label><input type="radio" name="{}" value="{}"{}{}> {}</label>',
                name,
                option_value,
                format_html(' id="{}_{}"', base_id, index) if base_id else "",
                mark_safe(" checked") if str(option_value) in chosen else "",
                label,
            )
            for index, (option_value, label) in enumerate(self.choices)
        ]
        return format_html('<div class="answers-choice">{}</div>', mark_safe("".join(options)))  # noqa: S308 — built with format_html
