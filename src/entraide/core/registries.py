"""Registries that higher apps fill in their ``AppConfig.ready()``: core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise

from entraide.core.models import InstanceSettings


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


settings_sections: dict[str, SettingsSection] = {}


def register_settings_section(section: SettingsSection) -> None:
    if section.key in settings_sections:
        raise ValueError(f"settings section {section.key!r} is registered twice")
    settings_sections[section.key] = section


def ordered_settings_sections() -> list[SettingsSection]:
    return sorted(settings_sections.values(), key=lambda s: (s.order, s.key))


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


export_registry: dict[str, ExportRegistration] = {}
erasure_registry: dict[str, ErasureRegistration] = {}


def register_export(registration: ExportRegistration) -> None:
    if registration.key in export_registry:
        raise ValueError(f"export part {registration.key!r} is registered twice")
    export_registry[registration.key] = registration


def register_erasure(registration: ErasureRegistration) -> None:
    if registration.key in erasure_registry:
        raise ValueError(f"erasure {registration.key!r} is registered twice")
    erasure_registry[registration.key] = registration


def ordered_exports() -> list[ExportRegistration]:
    return sorted(export_registry.values(), key=lambda r: (r.order, r.key))


def ordered_erasures() -> list[ErasureRegistration]:
    return sorted(erasure_registry.values(), key=lambda r: (r.order, r.key))
