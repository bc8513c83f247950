"""Form fields shared by the apps' forms."""

from __future__ import annotations

import copy
from typing import Any

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
