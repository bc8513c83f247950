"""The fast form renderer writes what Django's form templates write, character for character,
for every widget and label it takes over: values to escape or not, attributes true, false or
zero, localised numbers and dates, labels with and without a tag."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.core.forms.form_renderer import FAST, FastFormRenderer

DJANGO, FAST_RENDERER = DjangoTemplates(), FastFormRenderer()

VALUES = [None, "", "texte", 'a "b" <c> & \'d\'', mark_safe("<i>sûr</i>"), 0, 7, 6.25, date(2026, 3, 4),
          datetime(2026, 3, 4, 9, 5, tzinfo=UTC), time(7, 30), pgettext_lazy("yes or no", "Yes"), ("a", "b")]  # fmt: skip
ATTRS = [{}, {"required": True, "disabled": False, "maxlength": 30, "step": 0},
         {"class": "input--short", "aria-describedby": 'x"y', "data-x": mark_safe("<b>")}, None]  # fmt: skip
WIDGETS = [forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.PasswordInput,
           forms.HiddenInput, forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.Textarea]  # fmt: skip


def test_every_fast_template_is_covered_here():
    covered = {w.template_name for w in WIDGETS} | {"django/forms/label.html"}
    assert covered <= set(FAST)
    assert {"django/forms/widgets/tel.html", "django/forms/widgets/search.html"} | covered == set(FAST)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("widget_class", WIDGETS)
def test_widgets_render_as_djangos_templates(language, widget_class):
    with translation.override(language):
        for value in VALUES:
            for attrs in ATTRS:
                widget = widget_class(attrs=attrs)
                context = widget.get_context("champ", value, {"id": "id_champ"})
                assert FAST_RENDERER.render(widget.template_name, context) == DJANGO.render(
                    widget.template_name, context
                ), (widget_class, value, attrs)


@settings(max_examples=200, deadline=None)
@given(value=st.text(), name=st.text(min_size=1, max_size=20), extra=st.text())
def test_any_text_renders_as_djangos_templates(value, name, extra):
    for widget_class in (forms.TextInput, forms.Textarea):
        context = widget_class(attrs={"title": extra}).get_context(name, value, None)
        template = widget_class.template_name
        assert FAST_RENDERER.render(template, context) == DJANGO.render(template, context)


class LabelsForm(forms.Form):
    required_css_class = "needed"
    plain = forms.CharField(label="Humeur")
    asking = forms.CharField(label="Comment ça va ?", required=False)
    marked = forms.CharField(label=mark_safe("<b>Gras</b>"), required=False, label_suffix="")
    escaped = forms.CharField(label='Un "label" <à> échapper & co', required=False)
    lazy = forms.CharField(label=pgettext_lazy("yes or no", "Yes"), required=False)
    choices = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, label="Choix")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_render_as_djangos_template(language, auto_id):
    with translation.override(language):
        rendered = {}
        for renderer in (DJANGO, FAST_RENDERER):
            form = LabelsForm(auto_id=auto_id, renderer=renderer)
            rendered[renderer] = [
                (
                    form[name].label_tag(),
                    form[name].label_tag(attrs={"class": "x", "hidden": True}, tag="legend"),
                )
                for name in form.fields
            ]
        assert rendered[FAST_RENDERER] == rendered[DJANGO]


def test_a_whole_form_renders_as_with_djangos_renderer():
    class Whole(forms.Form):
        name = forms.CharField(help_text="Votre nom <complet>")
        age = forms.IntegerField(required=False)
        note = forms.CharField(widget=forms.Textarea, required=False)
        when = forms.DateTimeField(required=False)

    data = {"name": "", "age": "x", "note": "<script>", "when": "demain"}
    assert Whole(data, renderer=FAST_RENDERER).as_div() == Whole(data, renderer=DJANGO).as_div()
