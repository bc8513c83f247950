"""The circle's forms: inviting, typing a code, choosing what to share, the instance setting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import formats
from django.utils.translation import pgettext, pgettext_lazy

from entraide.circle.models import LinkKind
from entraide.circle.scopes import CO_EDIT, DEFAULT_GRANT_DAYS, LOOK_BACK_DAYS, READ, SCOPES, Scope
from entraide.circle.services import GrantChoice
from entraide.core.models import InstanceSettings


class CircleSettingsForm(forms.Form):
    invite_without_account = forms.BooleanField(
        label=pgettext_lazy("instance settings", "Members may invite people who have no account"),
        required=False,
        help_text=pgettext_lazy(
            "instance settings",
            "A member's invitation into their circle then opens sign-up for the person invited, even "
            "when this instance is by invitation only.",
        ),
    )

    @classmethod
    def for_settings(cls, row: InstanceSettings, data: dict[str, Any] | None) -> CircleSettingsForm:
        current = row.extra.get("circle", {}).get("invite_without_account", True)
        return cls(data, initial={"invite_without_account": current})

    def apply(self, row: InstanceSettings) -> None:
        extra = dict(row.extra)
        extra["circle"] = {
            **extra.get("circle", {}),
            "invite_without_account": self.cleaned_data["invite_without_account"],
        }
        row.extra = extra


class InviteForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("circle invite", "Who is this person for you?"),
        choices=LinkKind.choices,
        widget=forms.RadioSelect,
        initial=LinkKind.RELATIVE,
    )
    how = forms.ChoiceField(
        label=pgettext_lazy("circle invite", "How do you want to invite them?"),
        choices=[
            ("email", pgettext_lazy("circle invite", "By email: they receive a link")),
            ("code", pgettext_lazy("circle invite", "With a code I give them in person")),
        ],
        widget=forms.RadioSelect,
        initial="email",
    )
    email = forms.EmailField(
        label=pgettext_lazy("circle invite", "Their email address"),
        required=False,
        max_length=254,
        help_text=pgettext_lazy("circle invite", "Only for an invitation by email."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == "email" and not data.get("email"):
            self.add_error("email", pgettext_lazy("circle invite", "Enter the address to send the link to."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("circle code", "The code you were given"),
        max_length=40,
        help_text=pgettext_lazy("circle code", "Ten letters and digits, for example 7K3QD-M9XTA."),
    )


UNTIL_CHOICES = [
    ("days", pgettext_lazy("sharing form", "For 90 days")),
    ("date", pgettext_lazy("sharing form", "Until a date I choose")),
    ("none", pgettext_lazy("sharing form", "With no end date")),
]
FROM_CHOICES = [
    ("before", pgettext_lazy("sharing form", "From 30 days before today")),
    ("today", pgettext_lazy("sharing form", "From today")),
    ("all", pgettext_lazy("sharing form", "Everything, from the beginning")),
]


class SharingForm(forms.Form):
    """One box per scope (and its options); one end date and one start for what is ticked."""

    until_choice = forms.ChoiceField(
        label=pgettext_lazy("sharing form", "Until when"),
        choices=UNTIL_CHOICES,
        widget=forms.RadioSelect,
        initial="days",
    )
    until_date = forms.DateField(
        label=pgettext_lazy("sharing form", "End date"),
        required=False,
        # ISO: a browser drops any other value of a date input (a French "07/03/2027" came back empty).
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    from_choice = forms.ChoiceField(
        label=pgettext_lazy("sharing form", "What they see starts"),
        choices=FROM_CHOICES,
        widget=forms.RadioSelect,
        initial="before",
    )

    def __init__(self, data: Any = None, *, scopes: list[Scope], initial: dict[str, Any] | None = None,
                 today: date, zone: str, kept_from: tuple[date | None] | None = None) -> None:  # fmt: skip
        """``kept_from``: (the current start,) when something is shared already: keeping it is then
        offered first, so that saving the form again changes nothing."""
        super().__init__(data, initial=initial)
        self.scopes, self.today, self.zone, self.kept_from = scopes, today, zone, kept_from
        if kept_from is not None:
            kept = kept_from[0]
            label = (
                pgettext("sharing form", "Unchanged: from %(date)s") % {"date": formats.date_format(kept)}
                if kept
                else pgettext("sharing form", "Unchanged: from the beginning")
            )
            field = cast(forms.ChoiceField, self.fields["from_choice"])
            field.choices = [("kept", label), *FROM_CHOICES]
            field.initial = "kept"
        for scope in scopes:
            self.fields[f"scope_{scope.key}"] = forms.BooleanField(
                label=str(scope.label), required=False, help_text=str(scope.covers)
            )
            for option in scope.options:
                self.fields[f"option_{scope.key}_{option.key}"] = forms.BooleanField(
                    label=str(option.label), required=False
                )
            if CO_EDIT in scope.levels:
                self.fields[f"level_{scope.key}"] = forms.BooleanField(
                    label=pgettext_lazy("sharing form", "They may also change it with me"), required=False
                )

    def scope_rows(self) -> list[dict[str, Any]]:
        rows = []
        for scope in self.scopes:
            rows.append(
                {
                    "scope": scope,
                    "field": self[f"scope_{scope.key}"],
                    "options": [self[f"option_{scope.key}_{o.key}"] for o in scope.options],
                    "level": self[f"level_{scope.key}"] if CO_EDIT in scope.levels else None,
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("until_choice") == "date":
            chosen = data.get("until_date")
            if chosen is None:
                self.add_error("until_date", pgettext_lazy("sharing form", "Choose the end date."))
            elif not self.today < chosen <= date(9998, 12, 31):
                self.add_error("until_date", pgettext_lazy("sharing form", "Choose a date after today."))
        return data

    def _until(self) -> datetime | None:
        choice = self.cleaned_data["until_choice"]
        if choice == "none":
            return None
        end = (
            self.today + timedelta(days=DEFAULT_GRANT_DAYS)
            if choice == "days"
            else self.cleaned_data["until_date"]
        )
        # The end of that day, in the person's zone.
        return datetime.combine(end + timedelta(days=1), time(0), tzinfo=ZoneInfo(self.zone))

    def _from(self) -> date | None:
        choice = self.cleaned_data["from_choice"]
        if choice == "kept" and self.kept_from is not None:
            return self.kept_from[0]
        if choice == "all":
            return None
        return self.today - timedelta(days=LOOK_BACK_DAYS) if choice == "before" else self.today

    def choices(self) -> list[GrantChoice]:
        until, visible_from = self._until(), self._from()
        found = []
        for scope in self.scopes:
            if not self.cleaned_data.get(f"scope_{scope.key}"):
                continue
            options = {
                o.key: bool(self.cleaned_data.get(f"option_{scope.key}_{o.key}")) for o in scope.options
            }
            level = CO_EDIT if self.cleaned_data.get(f"level_{scope.key}") else READ
            found.append(
                GrantChoice(
                    scope=scope.key, until=until, visible_from=visible_from, options=options, level=level
                )
            )
        return found


def sharing_scopes(track_substances: bool) -> list[Scope]:
    """The scopes offered on the sharing form: substances only to those who track them."""
    return [s for s in SCOPES if s.key != "substances" or track_substances]


class ProposeForm(forms.Form):
    """A supporter asking to join someone's circle: by their email address only, never a pseudonym."""

    email = forms.EmailField(
        label=pgettext_lazy("circle proposal", "Their email address"),
        max_length=254,
        help_text=pgettext_lazy(
            "circle proposal",
            "The address they use here. Whatever the address, you will read “sent”: nobody "
            "learns from it whether someone has an account.",
        ),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("circle proposal", "Who are you for them?"),
        choices=LinkKind.choices,
        widget=forms.RadioSelect,
        initial=LinkKind.RELATIVE,
    )

    def __init__(self, data: Any = None, *, kinds: list[tuple[str, Any]]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds


class AnswerProposalForm(forms.Form):
    """The person's answer to a proposal; the kind matters only when they accept."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("circle proposal", "Who is this person for you?"),
        choices=LinkKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    answer = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("refused", "refused"), ("blocked", "blocked")],
        widget=forms.HiddenInput,
    )

    def __init__(self, data: Any = None, *, kinds: list[tuple[str, Any]], initial_kind: str) -> None:
        super().__init__(data, initial={"kind": initial_kind})
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
