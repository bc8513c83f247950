"""Registries that higher apps fill in their ``AppConfig.ready()``: core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.utils.functional import Promise

from entraide.core.models import InstanceSettings


class Registered(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


R = TypeVar("R", bound=Registered)


class Registry(Generic[R]):
    """Items by key, each registered once, listed by (order, key)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: dict[str, R] = {}

    def register(self, item: R) -> None:
        if item.key in self.items:
            raise ValueError(f"{self.what} {item.key!r} is registered twice")
        self.items[item.key] = item

    def get(self, key: str) -> R | None:
        return self.items.get(key)

    def ordered(self) -> list[R]:
        return sorted(self.items.values(), key=lambda item: (item.order, item.key))


class SectionForm(Protocol):
    """What a settings section's form offers (a Form, or a formset wrapped as one)."""

    def is_valid(self) -> bool: ...

    def apply(self, row: InstanceSettings) -> None:
        """Copy the cleaned values onto the settings row (saved by the caller)."""


@dataclass(frozen=True)
class SettingsSection:
    """One form on the instance-settings page, posted and validated on its own."""

    key: str
    title: str | Promise
    build_form: Callable[[InstanceSettings, dict[str, Any] | None], SectionForm]
    order: int = 100
    template: str = "core/instance_settings/section.html"


settings_sections: Registry[SettingsSection] = Registry("settings section")
register_settings_section = settings_sections.register


# --- Personal data: how each app exports and erases one person's data ------------------------


@dataclass(frozen=True)
class ExportedPart:
    """One part of a person's export: records (JSON objects) and, when tabular, a CSV too."""

    records: list[dict[str, Any]]
    tabular: bool = False
    description: str = ""


@dataclass(frozen=True)
class ExportRegistration:
    key: str  # "journal.checkins": the file name in the archive
    models: tuple[type, ...]  # the models whose rows this part holds (checked by a test)
    export: Callable[[Any], ExportedPart]
    order: int = 100


@dataclass(frozen=True)
class ErasureRegistration:
    key: str
    models: tuple[type, ...]
    erase: Callable[[Any], object]  # deletes the person's rows; runs after their data key is gone
    order: int = 100


exports: Registry[ExportRegistration] = Registry("export part")
erasures: Registry[ErasureRegistration] = Registry("erasure")
register_export = exports.register
register_erasure = erasures.register
