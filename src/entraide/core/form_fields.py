"""Form fields shared by the apps' forms."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms


class SharedChoices:
    """Choices that never change in place (a list of tuples of strings): each form's copy of
    the field or widget shares the list. Django deep-copies and normalises it again for every
    form, which was a third of building the check-in form. Assigning new choices to one form's
    field is fine; changing the list in place would change it for every form."""

    _choices: Any

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result: Any
        if isinstance(self, forms.Field):
            result = forms.Field.__deepcopy__(self, memo)  # the widget, messages and validators
        else:
            result = copy.copy(self)
            result.attrs = self.attrs.copy()  # type: ignore[attr-defined]  # a widget's
            memo[id(self)] = result
        result._choices = self._choices
        return result


class SharedTypedChoiceField(SharedChoices, forms.TypedChoiceField):
    pass


class SharedChoiceField(SharedChoices, forms.ChoiceField):
    pass


class SharedMultipleChoiceField(SharedChoices, forms.MultipleChoiceField):
    pass


class SharedFields(dict[str, forms.Field]):
    """A form class's declared fields, shared by its forms instead of deep-copied for each one
    (Django copies every field, widget, message and validator per form: a third of a small POST).

    Fine because nothing changes a field once built: Django's rendering and cleaning copy the
    attributes they add. A form that changes one of its fields (new choices, a help text) names it
    in ``copied``: that one is still deep-copied for each form."""

    def __init__(self, fields: dict[str, forms.Field], *, copied: tuple[str, ...] = ()) -> None:
        super().__init__(fields)
        self.copied = frozenset(copied)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {
            name: copy.deepcopy(field, memo) if name in self.copied else field for name, field in self.items()
        }


FormClass = TypeVar("FormClass", bound=type[forms.Form])


def share_fields(*copied: str) -> Callable[[FormClass], FormClass]:
    """Class decorator: the form's declared fields are shared by its forms (``SharedFields``)."""

    def decorate(form_class: FormClass) -> FormClass:
        form_class.base_fields = SharedFields(form_class.base_fields, copied=copied)
        return form_class

    return decorate
