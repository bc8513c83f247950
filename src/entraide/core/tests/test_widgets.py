"""The choice widgets rendered in Python give what Django's templates give for the same choices,
value and attributes: the same inputs (type, name, value, id, ``checked``, ``required``,
``aria-invalid``), each in its label with the same text; escaped; read back like Django's."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import ChoiceWidget
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from entraide.core.forms.widgets import AnswerRadios, ChipsWidget, InlineRadios, ScaleWidget

CHOICES = [("a&b", '<b>"gras"</b>'), ("c", mark_safe("<i>sûr</i>")), ("", "Pas noté"), ("7", "7")]


class _Options(HTMLParser):
    """Each input with its attributes and the text of the label that holds or names it."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[tuple[dict[str, str | None], str]] = []
        self._label: dict[str, str | None] | None = None
        self._inputs: list[dict[str, str | None]] = []
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "label":
            self._label, self._inputs, self._text = dict(attrs), [], ""
        elif tag == "input":
            assert self._label is not None, "an input outside a label"
            self._inputs.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            (attrs,) = self._inputs
            # A label names its input by holding it; Django's also says so with for="…".
            assert self._label.get("for", attrs.get("id")) == attrs.get("id")
            self.options.append((attrs, " ".join(self._text.split())))
            self._label = None


def _options(markup: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Options()
    parser.feed(markup)
    return parser.options


def _django(widget: ChoiceWidget, name: str, value: Any, attrs: dict[str, Any] | None) -> str:
    return widget.render(name, value, attrs, renderer=DjangoTemplates())


OURS_AND_DJANGO = [
    (ScaleWidget, forms.RadioSelect),
    (InlineRadios, forms.RadioSelect),
    (AnswerRadios, forms.RadioSelect),
    (ChipsWidget, forms.CheckboxSelectMultiple),
]
VALUES_AND_ATTRS = [
    (None, {"id": "id_x"}),
    ("c", {"id": "id_x"}),
    (7, {"id": "id_x", "required": True, "aria-invalid": "true"}),
    (["a&b", "7"], None),
    ("", {}),
]


@pytest.mark.parametrize(("ours", "django"), OURS_AND_DJANGO)
@pytest.mark.parametrize(("value", "attrs"), VALUES_AND_ATTRS)
def test_each_widget_gives_the_inputs_and_labels_of_djangos_templates(ours, django, value, attrs):
    if django is forms.RadioSelect and isinstance(value, list):
        value = value[0]
    mine = _options(ours(choices=CHOICES).render("x", value, attrs))
    assert mine == _options(_django(django(choices=CHOICES), "x", value, attrs))
    assert len(mine) == len(CHOICES)
    if value is None:  # Django's "nothing chosen": the option "" for a radio, none for boxes
        expected = [] if django is forms.CheckboxSelectMultiple else [""]
    else:
        expected = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    assert [a["value"] for a, _ in mine if "checked" in a] == expected


def test_labels_and_values_are_escaped_and_the_chosen_ones_checked():
    widget = ChipsWidget(choices=[*CHOICES[:2], ("d", "d")])
    html = widget.render("emotions", ["c", "d"], {"id": "id_emotions"})
    assert html == (
        '<div class="chips">'
        '<label class="chip"><input type="checkbox" name="emotions" value="a&amp;b" id="id_emotions_0">'
        " <span>&lt;b&gt;&quot;gras&quot;&lt;/b&gt;</span></label>"
        '<label class="chip"><input type="checkbox" name="emotions" value="c" id="id_emotions_1" checked>'
        " <span><i>sûr</i></span></label>"
        '<label class="chip"><input type="checkbox" name="emotions" value="d" id="id_emotions_2" checked>'
        " <span>d</span></label></div>"
    )


def test_radios_without_an_id_and_a_scale_with_its_words():
    radios = InlineRadios(choices=[("yes", "Oui"), ("no", "Non")]).render("meals", "no", None)
    assert radios == (
        '<div class="inline-choices"><label><input type="radio" name="meals" value="yes"> <span>Oui</span></label>'
        '<label><input type="radio" name="meals" value="no" checked> <span>Non</span></label></div>'
    )
    scale = ScaleWidget(low="0 : <très bas>", high="10", choices=[("0", "0"), ("1", "1")]).render(
        "mood", 1, {}
    )
    assert 'value="1" checked>' in scale
    assert scale.endswith('<p class="scale__ends"><span>0 : &lt;très bas&gt;</span><span>10</span></p>')
    answers = AnswerRadios(choices=[("0", "Jamais")]).render("item_1", None, {"id": "id_item_1"})
    assert answers == (
        '<div class="answers-choice"><label><input type="radio" name="item_1" value="0" id="id_item_1_0">'
        " Jamais</label></div>"
    )


class _Form(forms.Form):
    mood = forms.ChoiceField(choices=[("1", "1"), ("2", "2")], widget=ScaleWidget(low="bas", high="haut"))
    emotions = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=ChipsWidget)
    meals = forms.ChoiceField(choices=[("yes", "Oui"), ("", "Pas noté")], required=False, widget=InlineRadios)


def test_in_a_form_they_read_the_post_mark_errors_and_the_summary_links_to_the_first_option():
    form = _Form(QueryDict("mood=9&emotions=a&emotions=b"))
    assert not form.is_valid()
    assert form.cleaned_data["emotions"] == ["a", "b"] and form.cleaned_data["meals"] == ""
    mood = str(form["mood"])
    assert mood.count('aria-invalid="true"') == 2 and mood.count(" required") == 2
    assert form["mood"].use_fieldset and form["mood"].id_for_label == "id_mood_0"
    summary = render_to_string("core/includes/form_errors.html", {"form": form})
    assert 'href="#id_mood_0"' in summary
    assert 'value="" id="id_meals_1" checked' in str(
        form["meals"]
    )  # nothing chosen: "Pas noté", as Django shows it
    assert str(form["emotions"]).count("checked") == 2
