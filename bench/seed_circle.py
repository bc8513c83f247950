"""A supporter with whom the bench person shares their check-ins, every day of them and with no end
date (issue 20): the supporter's trend page is measured beside the person's own.

Runs inside the server's environment after `bench.seed` (three years of check-ins), started by
`bench.scenarios.seed_circle` through `entraide manage shell`:

    from bench.seed_circle import main; main("bench@example.org")

The supporter uses a second factor, as anyone reading someone else's data must: TOTP with the
secret below, which the harness's login answers (`bench.scenarios.log_in`). Idempotent.
"""

from __future__ import annotations

# The harness reads the constants below without Django: the imports are in main().
SUPPORTER_EMAIL = "soutien@example.org"
SUPPORTER_PASSWORD = "une autre phrase de passe pour mesurer"  # noqa: S105 — a throwaway account
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — the bench's own, in a temp dir


def main(email: str) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import is_mfa_enabled
    from django.db import transaction

    from entraide.accounts.models import User
    from entraide.accounts.services import record_signup_consents
    from entraide.circle import gate, services

    person = User.objects.get(email=email)
    supporter = User.objects.filter(email=SUPPORTER_EMAIL).first()
    with transaction.atomic():
        if supporter is None:
            supporter = User.objects.create_user(SUPPORTER_EMAIL, SUPPORTER_PASSWORD, pseudonym="Soutien")
            EmailAddress.objects.create(user=supporter, email=SUPPORTER_EMAIL, verified=True, primary=True)
            record_signup_consents(supporter, language="fr")
        if not is_mfa_enabled(supporter):
            TOTP.activate(supporter, TOTP_SECRET)
            RecoveryCodes.activate(supporter)
    if not gate.live_grants("checkins").filter(link__owner=person, link__supporter=supporter).exists():
        invitation, _ = services.invite_person(person, kind="other")
        link = services.accept_invitation(supporter, invitation.pk)
        choice = services.GrantChoice(scope="checkins", until=None, visible_from=None)
        services.grant_scope(link, choice=choice, by=person)
    print(
        f"seed: {supporter.pseudonym} reads the check-ins of {person.pseudonym}, all of them, person {person.pk}"
    )
