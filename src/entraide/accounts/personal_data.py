"""The account's own part of a person's export (first in the archive)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from entraide.accounts.models import User
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


def register() -> None:
    # TODO(#4): consent records and security events join the export here.
    register_export(ExportRegistration(key="account.profile", models=(User,), export=export_profile, order=0))
