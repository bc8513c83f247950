"""Account writes. Sign-up, roles and invitations arrive with #4."""

from __future__ import annotations

import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import translation

from entraide.accounts.models import User
from entraide.core import datadir, instance, services
from entraide.core.models import InstanceSettings


def create_administrator(*, email: str, pseudonym: str, password: str) -> User:
    """An administrator whose address counts as verified (they typed it on their own server)."""
    with transaction.atomic():
        user = User.objects.create_superuser(email, password, pseudonym=pseudonym)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def setup_token_path() -> Path:
    return Path(settings.DATA_DIR) / datadir.SETUP_TOKEN_FILE


def issue_setup_token() -> str:
    """The one-time token of the set-up page, kept until set-up is done."""
    path = setup_token_path()
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    token = secrets.token_urlsafe(24)
    datadir.write_private(path, token)
    return token


def setup_token_matches(candidate: str) -> bool:
    try:
        expected = setup_token_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return False
    return bool(candidate) and secrets.compare_digest(candidate.encode(), expected.encode())


def setup_is_done() -> bool:
    return InstanceSettings.objects.filter(setup_completed_at__isnull=False).exists()


def complete_instance_setup(
    *,
    name: str,
    contact_email: str,
    default_language: str,
    signup_mode: str,
    minimum_age: int,
    admin_email: str,
    admin_pseudonym: str,
    admin_password: str,
) -> User:
    with transaction.atomic():
        row = InstanceSettings.objects.select_for_update().filter(pk=InstanceSettings.SINGLETON_ID).first()
        if row is None:
            row = InstanceSettings()
        elif row.setup_completed_at is not None:
            raise SetupAlreadyDoneError
        row.name = name
        row.contact_email = contact_email
        row.default_language = default_language
        row.signup_mode = signup_mode
        row.minimum_age = minimum_age
        if not row.crisis_numbers:
            with translation.override(default_language):
                row.crisis_numbers = instance.default_crisis_numbers()
        user = create_administrator(email=admin_email, pseudonym=admin_pseudonym, password=admin_password)
        user.preferred_language = default_language
        user.save(update_fields=["preferred_language"])
        services.complete_setup(row)
    setup_token_path().unlink(missing_ok=True)
    return user


class SetupAlreadyDoneError(Exception):
    pass
