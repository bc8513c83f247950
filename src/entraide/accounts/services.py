"""Account writes: set-up, consents, roles, security events."""

from __future__ import annotations

import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone, translation

from entraide.accounts.models import ConsentKind, ConsentRecord, Role, RoleGrant, SecurityEvent, User
from entraide.core import datadir, instance, services
from entraide.core.models import InstanceSettings, LegalKind


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
    terms_language: str,
) -> User:
    """The instance's settings and its first administrator, who accepted the terms and the charter
    in ``terms_language`` (the health-data consent waits for their first visit to their own space)."""
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
        record_consents(user, kinds=[ConsentKind.TERMS], language=terms_language, row=row)
    setup_token_path().unlink(missing_ok=True)
    return user


class SetupAlreadyDoneError(Exception):
    pass


def record_security_event(user: User, kind: str, *, actor: User | None = None, **extra: object) -> None:
    """An audit row; ``extra`` must hold no secret, health detail or email address."""
    SecurityEvent.objects.create(user=user, kind=kind, actor=actor, extra=extra)


# Bump when the wording of the health-data consent changes: everyone is asked again.
HEALTH_CONSENT_VERSION = 1


def current_consent_versions(row: InstanceSettings) -> dict[str, int]:
    """The version of each text a person must have agreed to: the terms' revision counts the
    charter's too (they are agreed together)."""
    terms = services.legal_revision(row, LegalKind.TERMS) + services.legal_revision(row, LegalKind.CHARTER)
    return {ConsentKind.TERMS: terms, ConsentKind.HEALTH_DATA: HEALTH_CONSENT_VERSION}


def agreed_versions(user: User) -> dict[str, int]:
    """The latest version of each text the person agreed to and did not withdraw."""
    agreed: dict[str, int] = {}
    rows = ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
        "kind", "text_version"
    )
    for kind, version in rows:
        agreed[kind] = max(version, agreed.get(kind, -1))
    return agreed


def record_consents(user: User, *, kinds: list[str], language: str, row: InstanceSettings) -> None:
    current = current_consent_versions(row)
    now = timezone.now()
    with transaction.atomic():
        for kind in kinds:
            ConsentRecord.objects.create(
                user=user, kind=kind, text_version=current[kind], language=language, given_at=now
            )
            record_security_event(user, SecurityEvent.Kind.CONSENT_GIVEN, consent=kind, version=current[kind])


def record_signup_consents(user: User, *, language: str) -> None:
    with transaction.atomic():
        row = instance.load_settings()
        record_consents(user, kinds=[ConsentKind.TERMS, ConsentKind.HEALTH_DATA], language=language, row=row)
        record_security_event(user, SecurityEvent.Kind.SIGNED_UP)


def active_roles(user: User | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    roles = set(RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def grant_role(user: User, *, role: str, by: User) -> RoleGrant:
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, revoked_at__isnull=True, defaults={"granted_by": by}
        )
        if created:
            record_security_event(user, SecurityEvent.Kind.ROLE_GRANTED, actor=by, role=role)
            _bump_roles_version()
    return grant


def revoke_role(user: User, *, role: str, by: User) -> None:
    with transaction.atomic():
        for grant in RoleGrant.objects.select_for_update().filter(
            user=user, role=role, revoked_at__isnull=True
        ):
            grant.revoked_at, grant.revoked_by = timezone.now(), by
            grant.save(update_fields=["revoked_at", "revoked_by"])
            record_security_event(user, SecurityEvent.Kind.ROLE_REVOKED, actor=by, role=role)
            _bump_roles_version()


def roles_version(row: InstanceSettings) -> int:
    return int(row.extra.get("accounts", {}).get("roles_version", 0))


def _bump_roles_version() -> None:
    """Every grant or revocation invalidates the roles sessions remember (see roles.roles_of)."""
    row = InstanceSettings.objects.select_for_update().filter(pk=InstanceSettings.SINGLETON_ID).first()
    row = row or instance.load_settings()
    row.extra.setdefault("accounts", {})["roles_version"] = roles_version(row) + 1
    services.save_instance_settings(row)
