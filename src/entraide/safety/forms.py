"""The safety plan form: one page, every step a list of text rows (two fields a row for people to
call), always with a few empty rows so that nothing needs JavaScript to add one (saving with "save and
keep writing" comes back with new empty rows). It parses what the
browser sends; the rules are ``safety.values``', shared with the API, and come back on the rows.

Field names: a text step's rows are all named after the step (``coping``); a contact step's rows are
``help_people-name`` and ``help_people-phone``, paired by their order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import pgettext

from entraide.core.errors import InvalidValuesError
from entraide.safety import values as v
from entraide.safety.models import SafetyPlan

EMPTY_ROWS = 3  # free rows under a step's items
MIN_ROWS = 3


@dataclass
class Row:
    id: str  # the id of the row's first input (the error summary links to it)
    value: str = ""
    name: str = ""
    phone: str = ""
    error: str = ""
    name_error: str = ""
    phone_error: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.id}_phone" if self.phone_error and not self.name_error else self.id

    @property
    def has_error(self) -> bool:
        return bool(self.error or self.name_error or self.phone_error)


@dataclass
class StepRows:
    step: v.Step
    rows: list[Row] = field(default_factory=list)
    error: str = ""

    @property
    def key(self) -> str:
        return self.step.key


def _pad(count: int, extra: int) -> int:
    return max(MIN_ROWS, min(count + extra, max(v.MAX_ITEMS, count)))


class PlanForm:
    def __init__(self, data: QueryDict | None = None, *, plan: SafetyPlan | None = None) -> None:
        self.data = data
        self.is_bound = data is not None
        self.errors: dict[str, str] = {}
        self.non_field_errors: list[str] = []
        self.steps: dict[str, Any] = {}
        self.cleaned_steps: dict[str, list[Any]] = {}
        for step in v.STEPS:
            if data is not None:
                self.steps[step.key] = self._posted(data, step)
            else:
                self.steps[step.key] = list(plan.items(step.key)) if plan is not None else []

    @staticmethod
    def _posted(data: QueryDict, step: v.Step) -> list[Any]:
        if not step.contacts:
            return [str(x) for x in data.getlist(step.key)][: v.MAX_ITEMS * 5]
        names, phones = data.getlist(f"{step.key}-name"), data.getlist(f"{step.key}-phone")
        count = min(max(len(names), len(phones)), v.MAX_ITEMS * 5)
        return [
            {
                "name": str(names[i]) if i < len(names) else "",
                "phone": str(phones[i]) if i < len(phones) else "",
            }
            for i in range(count)
        ]

    # --- validation --------------------------------------------------------------------------

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        try:
            self.cleaned_steps = v.clean_plan(self.steps)
        except InvalidValuesError as exc:
            self.add_service_errors(exc)
            return False
        return True

    def add_service_errors(self, exc: InvalidValuesError) -> None:
        for key, message in exc.errors.items():
            if key.split(".")[0] in v.STEP_KEYS:
                self.errors[key] = str(message)
            else:
                self.non_field_errors.append(str(message))

    def add_error(self, key: str | None, message: str | Promise) -> None:
        """What ``core.formtokens.save_once`` calls on a refused token (``key`` is ``None``: the
        whole form)."""
        if key is None or key not in v.STEP_KEYS:
            self.non_field_errors.append(str(message))
        else:
            self.errors[key] = str(message)

    # --- display ------------------------------------------------------------------------------

    def _rows(self, step: v.Step) -> list[Row]:
        items = self.steps[step.key]
        # As posted, empty rows included (the error keys count them); else the items and empty rows.
        total = max(len(items), MIN_ROWS) if self.is_bound else _pad(len(items), EMPTY_ROWS)
        rows = []
        for n in range(total):
            item = items[n] if n < len(items) else None
            row = Row(id=f"id_{step.key}_{n}")
            if step.contacts:
                item = item if isinstance(item, dict) else {}
                row.name, row.phone = str(item.get("name", "")), str(item.get("phone", ""))
                row.name_error = self.errors.get(f"{step.key}.{n}.name", "")
                row.phone_error = self.errors.get(f"{step.key}.{n}.phone", "")
            else:
                row.value = str(item or "")
                row.error = self.errors.get(f"{step.key}.{n}", "")
            rows.append(row)
        return rows

    @property
    def step_rows(self) -> list[StepRows]:
        return [StepRows(step=s, rows=self._rows(s), error=self.errors.get(s.key, "")) for s in v.STEPS]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.non_field_errors)

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in the order of the page."""
        found: list[tuple[str, str]] = []
        for block in self.step_rows:
            title = str(block.step.title)
            if block.error:
                found.append((f"step-{block.key}", f"{title}: {block.error}"))
            for n, row in enumerate(block.rows, start=1):
                for message in (row.error, row.name_error, row.phone_error):
                    if message:
                        line = pgettext("safety plan form", "%(step)s, line %(line)s: %(message)s") % {
                            "step": title,
                            "line": n,
                            "message": message,
                        }
                        found.append((row.anchor, line))
        return found
