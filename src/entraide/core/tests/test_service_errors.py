"""A service's InvalidValuesError lands on the form's fields: each message on the field its key
names, the others at the top of the form."""

from __future__ import annotations

from django import forms

from entraide.core.errors import InvalidValuesError, ServiceErrorsMixin


class _Form(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(required=False)
    hours_0 = forms.IntegerField(required=False)

    def field_for(self, key: str) -> str | None:
        return super().field_for("hours_0" if key == "hours" else key)


def test_each_message_lands_on_its_field_or_on_top():
    form = _Form({})
    assert form.is_valid()
    form.add_service_errors(
        InvalidValuesError({"title": "Trop long.", "hours": "Une heure.", "other": "Non."})
    )
    assert form.errors["title"] == ["Trop long."]
    assert form.errors["hours_0"] == ["Une heure."]
    assert form.non_field_errors() == ["Non."]
