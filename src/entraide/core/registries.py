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
