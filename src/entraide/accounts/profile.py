"""A person's own account: profile changes, the export of their data, the deletion of the account."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from entraide.accounts.models import PseudonymChange, SecurityEvent, User
from entraide.accounts.pseudonyms import canonical
from entraide.accounts.services import record_security_event
from entraide.core import mail, personal_data

logger = logging.getLogger(__name__)

REAL_NAME_KEY = "real_name"
AVATAR_COLOURS = 6  # CSS classes avatar--0 … avatar--5 in accounts/accounts.css


class PseudonymTakenError(Exception):
    """Someone took the pseudonym between the form's check and the save (the database said no)."""


class LastAdministratorError(Exception):
    """Deleting this account would leave the instance without any administrator."""


# --- profile ----------------------------------------------------------------------------------


def real_name_of(user: User) -> str:
    """The private real name, decrypted; only ever shown to its owner."""
    private = user.private or {}
    return str(private.get(REAL_NAME_KEY, "")) if isinstance(private, dict) else ""


def update_profile(
    user: User, *, pseudonym: str, real_name: str, preferred_language: str, time_zone: str
) -> bool:
    """Save the person's profile; returns whether the pseudonym changed.

    A change of pseudonym is kept in the history (for moderators) with a security event, in the
    same transaction as the change. Raises ``PseudonymTakenError`` when the database's uniqueness
    constraint refuses the pseudonym (someone took it meanwhile); then nothing is saved.
    """
    try:
        with transaction.atomic():
            row = User.objects.select_for_update().get(pk=user.pk)
            old = row.pseudonym
            changed = pseudonym != old
            fields = ["preferred_language", "time_zone"]
            row.preferred_language, row.time_zone = preferred_language, time_zone
            if changed:
                row.pseudonym = pseudonym
                fields.append("pseudonym")
            if real_name != real_name_of(row):
                private = dict(row.private or {})
                if real_name:
                    private[REAL_NAME_KEY] = real_name
                else:
                    private.pop(REAL_NAME_KEY, None)
                row.private = private
                fields.append("private")
            row.save(update_fields=fields)
            if changed:
                PseudonymChange.objects.create(user=row, old=old, new=pseudonym, at=timezone.now())
                record_security_event(row, SecurityEvent.Kind.PSEUDONYM_CHANGED, actor=row)
    except IntegrityError as exc:
        if User.objects.filter(pseudonym_key=canonical(pseudonym)).exclude(pk=user.pk).exists():
            raise PseudonymTakenError from exc
        raise
    # The caller's object (often request.user) shows the new values too.
    user.pseudonym, user.pseudonym_key = row.pseudonym, row.pseudonym_key
    user.preferred_language, user.time_zone = row.preferred_language, row.time_zone
    user.private = row.private
    return changed


@dataclass(frozen=True)
class Avatar:
    initials: str
    css_class: str


_WORDS = re.compile(r"[\W_]+")


def avatar_for(pseudonym: str) -> Avatar:
    """1–2 initials and a colour chosen from the pseudonym alone (the same everywhere, every time).

    No upload: a photo could identify the person, and the site promises pseudonymity.
    """
    words = [w for w in _WORDS.split(pseudonym) if w]
    letters = [w[0] for w in words[:2]] if len(words) > 1 else [c for c in pseudonym if c.isalnum()][:1]
    initials = "".join(letters).upper() or "?"
    digest = hashlib.sha256(canonical(pseudonym).encode()).digest()
    return Avatar(initials=initials, css_class=f"avatar--{digest[0] % AVATAR_COLOURS}")


# --- export -----------------------------------------------------------------------------------


def export_personal_data(user: User, *, instance_name: str) -> bytes:
    """Everything stored about the person, decrypted, as a zip; the export is recorded."""
    archive = personal_data.build_export(user, instance_name=instance_name)
    record_security_event(user, SecurityEvent.Kind.DATA_EXPORTED, actor=user)
    return archive


# --- deletion ---------------------------------------------------------------------------------


def is_last_administrator(user: User) -> bool:
    if not (user.is_superuser and user.is_active):
        return False
    return not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


def check_delete_account_allowed(user: User) -> None:
    if is_last_administrator(user):
        raise LastAdministratorError


def delete_account(user: User) -> str:
    """Erase the person's account and everything in it; returns the erased id.

    The confirmation email is rendered and sent first: afterwards the address is gone. A failure
    to send it does not stop the erasure the person asked for. Callers must not hold a
    transaction open (the erasure checkpoints the database after committing) and must log the
    session out afterwards.
    """
    check_delete_account_allowed(user)
    try:
        mail.send_mail(
            to=user.email,
            template_prefix="accounts/email/account_deleted",
            context={"pseudonym": user.pseudonym, "when": timezone.now(), "time_zone": user.time_zone},
            language=user.preferred_language,
        )
    except Exception:  # mail.send_mail logged it; the erasure the person asked for goes on
        logger.warning("account deleted without its confirmation email")
    # A fresh row, not request.user's lazy wrapper: the erasure works on the model itself.
    return personal_data.erase_person(User.objects.get(pk=user.pk))
