"""Choice widgets rendered in Python: the one family of markup built in Python site-wide
(docs/performance.md, "Exceptions").

Django renders a radio or checkbox group through a template per option; the check-in form has
about a hundred options (four scales, the emotions, yes/no questions, choice indicators) and a
questionnaire forty, and those templates cost 5 to 10 times what these ``render()`` methods do.
Everything else about the widgets is Django's: ``PythonChoiceWidget`` only overrides
``Widget.render()``, and each variant also inherits Django's ``RadioSelect`` or
``CheckboxSelectMultiple`` (reading the posted data, ``use_fieldset``, ``required``).

What a variant renders is what Django's templates give for the same choices, value and attributes
(core/tests/test_widgets.py compares them): one ``<input>`` per option inside its ``<label>``,
with Django's ids (``id_<name>_<index>``), every attribute the form adds (``required``,
``aria-invalid``) and ``checked``. Only the wrapper differs: a ``<div>`` with this widget's class
and no per-option ``<div>``. Flat choices only (no option groups).

Plain-Django equivalent: ``forms.RadioSelect`` / ``forms.CheckboxSelectMultiple`` with
``option_template_name`` giving the label its class and the ``<span>``.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import SafeString, mark_safe


def _escaped(value: Any) -> str:
    """What ``{{ value }}`` makes of a value: a safe string as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class PythonChoiceWidget(ChoiceWidget):
    """The base of the family: options rendered by ``render()``, without a template each.

    A variant sets ``input_type`` through the Django widget it also inherits, the wrapper's class,
    the label's class, and whether the label's text is in a ``<span>`` (for CSS that styles
    ``input:checked + span``).
    """

    wrapper_class = ""
    option_class = ""
    label_in_span = True

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        """The first option's id when no index is given: the error summary links to it (Django
        gives a radio group none, so the link would lead nowhere)."""
        return f"{id_}_{index if index is not None else 0}" if id_ else ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return self.render_options(name, value, self.build_attrs(self.attrs, attrs))

    def render_options(self, name: str, value: Any, attrs: dict[str, Any]) -> SafeString:
        chosen = set(self.format_value(value))  # Django's: None chooses the option ""
        base_id = attrs.get("id")
        # Every attribute but the id on each input, as Django's templates do; True: the bare name.
        shared = "".join(
            f" {_escaped(key)}" if val is True else f' {_escaped(key)}="{_escaped(val)}"'
            for key, val in attrs.items()
            if key != "id" and val is not False and val is not None
        )
        label_start = f'<label class="{_escaped(self.option_class)}">' if self.option_class else "<label>"
        start = f'{label_start}<input type="{_escaped(self.input_type)}" name="{_escaped(name)}"'
        text_start, text_end = ("<span>", "</span>") if self.label_in_span else ("", "")
        parts = [
            f'{start} value="{_escaped(option_value)}"'
            + (f' id="{_escaped(base_id)}_{index}"' if base_id else "")
            + shared
            + (" checked" if str(option_value) in chosen else "")
            + f"> {text_start}{_escaped(label)}{text_end}</label>"
            for index, (option_value, label) in enumerate(self.choices)
        ]
        return mark_safe(  # noqa: S308 — every value and label escaped above
            f'<div class="{_escaped(self.wrapper_class)}">{"".join(parts)}</div>'
        )


class ScaleWidget(PythonChoiceWidget, forms.RadioSelect):
    """0 to 10 as a row of buttons (radio inputs: no JavaScript, one tap), words at both ends."""

    option_class = "scale__option"
    wrapper_class = "scale"

    def __init__(self, *, low: str = "", high: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = super().render(name, value, attrs, renderer)
        if not (self.low or self.high):
            return options
        ends = (
            f'<p class="scale__ends"><span>{_escaped(self.low)}</span><span>{_escaped(self.high)}</span></p>'
        )
        return mark_safe(options + ends)  # noqa: S308 — both words escaped above


class ChipsWidget(PythonChoiceWidget, forms.CheckboxSelectMultiple):
    """Several choices as compact boxes that wrap (emotions)."""

    option_class = "chip"
    wrapper_class = "chips"


class InlineRadios(PythonChoiceWidget, forms.RadioSelect):
    """Yes/no and short choice lists, side by side."""

    wrapper_class = "inline-choices"


class AnswerRadios(PythonChoiceWidget, forms.RadioSelect):
    """A questionnaire's answers (and the questionnaires' rhythms), one per line."""

    wrapper_class = "answers-choice"
    label_in_span = False
