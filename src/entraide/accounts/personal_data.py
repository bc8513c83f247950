"""The account's own part of a person's export (first in the archive)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from entraide.accounts.models import ConsentRecord, PseudonymChange, RoleGrant, SecurityEvent, User
from entraide.core.registries import ExportedPart, ExportRegistration, register_export


def export_profile(person: User) -> ExportedPart:
    addresses = EmailAddress.objects.filter(user=person).order_by("-primary", "email")
    return ExportedPart(
        description="The account: how you log in and how others see you.",
        records=[
            {
                "id": str(person.pk),
                "email": person.email,
                "pseudonym": person.pseudonym,
                "real_name": (person.private or {}).get("real_name", ""),
                "former_pseudonyms": [
                    {"pseudonym": c.old, "until": c.at}
                    for c in PseudonymChange.objects.filter(user=person).order_by("at")
                ],
                "preferred_language": person.preferred_language,
                "time_zone": person.time_zone,
                "date_joined": person.date_joined,
                "last_login": person.last_login,
                "email_addresses": [
                    {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
                ],
            }
        ],
    )


def export_consents(person: User) -> ExportedPart:
    return ExportedPart(
        description="What you agreed to: which text, which version, in which language, when.",
        records=[
            {
                "kind": c.kind,
                "text_version": c.text_version,
                "language": c.language,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in ConsentRecord.objects.filter(user=person).order_by("given_at")
        ],
        tabular=True,
    )


def export_security_events(person: User) -> ExportedPart:
    return ExportedPart(
        description="What happened to your account's security: logins, changes of password, address or second factor, roles.",
        records=[
            {"kind": e.kind, "at": e.at, "by_someone_else": e.actor_id not in (None, person.pk), **e.extra}
            for e in SecurityEvent.objects.filter(user=person).order_by("at")
        ],
        tabular=True,
    )


def export_roles(person: User) -> ExportedPart:
    return ExportedPart(
        description="The roles you were given, and when they ended.",
        records=[
            {"role": g.role, "granted_at": g.granted_at, "revoked_at": g.revoked_at}
            for g in RoleGrant.objects.filter(user=person).order_by("granted_at")
        ],
        tabular=True,
    )


def register() -> None:
    register_export(
        ExportRegistration(
            key="account.profile", models=(User, PseudonymChange), export=export_profile, order=0
        )
    )
    register_export(
        ExportRegistration(key="account.consents", models=(ConsentRecord,), export=export_consents, order=1)
    )
    register_export(
        ExportRegistration(
            key="account.security_events", models=(SecurityEvent,), export=export_security_events, order=2
        )
    )
    register_export(
        ExportRegistration(key="account.roles", models=(RoleGrant,), export=export_roles, order=3)
    )
