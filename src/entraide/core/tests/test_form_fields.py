"""Fields whose copies share their choice list: each form still has its own field and widget."""

from __future__ import annotations

import copy

from django import forms

from entraide.core.form_fields import (
    SharedChoiceField,
    SharedChoices,
    SharedMultipleChoiceField,
    share_fields,
)


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


def test_shared_fields_are_the_class_fields_but_for_the_ones_a_form_changes():
    @share_fields("pick")
    class SharedForm(forms.Form):
        name = forms.CharField(required=False, max_length=5)
        pick = forms.ChoiceField(choices=[("a", "A")], required=False)

    first, second = SharedForm({"name": "abcdef", "pick": "b"}), SharedForm({"name": "ok", "pick": "b"})
    assert first.fields["name"] is second.fields["name"] is SharedForm.base_fields["name"]
    assert first.fields["pick"] is not second.fields["pick"]
    first.fields["pick"].choices = [("b", "B")]  # one form's own choices stay its own
    del first.fields["name"]  # so does its own set of fields
    assert first.is_valid() and not second.is_valid()
    assert list(second.errors) == ["pick"] and "name" in SharedForm({}).fields
    # Rendering and errors add their attributes to copies, never to the shared field.
    bad = SharedForm({"name": "abcdef"})
    assert not bad.is_valid() and 'aria-invalid="true"' in str(bad["name"])
    assert "aria-invalid" not in SharedForm.base_fields["name"].widget.attrs
    assert "aria-invalid" not in str(SharedForm({"name": "ok"})["name"])
