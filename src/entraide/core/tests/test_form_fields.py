"""Fields whose copies share their choice list: each form still has its own field and widget."""

from __future__ import annotations

import copy

from django import forms

from entraide.core.form_fields import SharedChoiceField, SharedChoices, SharedMultipleChoiceField


class Radios(SharedChoices, forms.RadioSelect):
    pass


def test_copies_share_the_list_until_one_form_assigns_its_own():
    field = SharedChoiceField(choices=[("a", "A"), ("b", "B")], widget=Radios, required=False)
    first, second = copy.deepcopy(field), copy.deepcopy(field)
    assert first.choices is field.choices and first.widget.choices is field.widget.choices
    assert first is not field and first.widget is not field.widget
    first.choices = [("c", "C")]
    assert first.widget.choices == [("c", "C")]
    assert second.choices == [("a", "A"), ("b", "B")] == second.widget.choices
    first.widget.attrs["class"] = "mine"
    assert "class" not in second.widget.attrs and "class" not in field.widget.attrs
    first.error_messages["invalid_choice"] = "other"
    assert second.error_messages["invalid_choice"] != "other"


def test_a_form_validates_against_its_own_copy():
    class PickForm(forms.Form):
        pick = SharedMultipleChoiceField(choices=[("a", "A")], required=False)

    narrowed = PickForm({"pick": ["b"]})
    narrowed.fields["pick"].choices = [("b", "B")]
    assert narrowed.is_valid()
    assert not PickForm({"pick": ["b"]}).is_valid()
