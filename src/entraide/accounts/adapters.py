"""Our hooks into allauth: who may sign up, how accounts are saved, how mail and secrets go."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from entraide.accounts.models import User
from entraide.core import crypto, instance, mail
from entraide.core.models import SignupMode

MFA_SECRET_PREFIX = "e1:"  # noqa: S105 — a format marker, not a secret


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Open to everyone, or to the holder of a usable invitation (kept in their session)."""
        from entraide.accounts.invitations import pending_invitation

        if instance.load_settings().signup_mode == SignupMode.OPEN:
            return True
        return pending_invitation(request) is not None

    def pre_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse | None:
        """Before allauth's stages: a second-factor removal whose 24 hours have passed applies now,
        so the second step does not ask for a code the person no longer has."""
        from entraide.accounts.second_factor_removal import apply_due_second_factor_removals

        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        if response is None:
            apply_due_second_factor_removals(user=user)
        return response

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user.pseudonym = form.cleaned_data["pseudonym"]
        user.preferred_language = get_language() or user.preferred_language
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Through core.mail, in the recipient's language when they have an account."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or get_language()
        site = SimpleNamespace(name=instance.load_settings().name, domain=urlparse(settings.SITE_URL).netloc)
        mail.send_mail(
            to=email,
            template_prefix=template_prefix,
            context={**context, "email": email, "current_site": site},
            language=language,
        )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets and recovery seeds are encrypted with the instance data key."""

    AD = crypto.associated_data("allauth-mfa")

    def encrypt(self, text: str) -> str:
        blob = crypto.encrypt(crypto.data_key_for(None, create=True), text.encode(), self.AD)
        return MFA_SECRET_PREFIX + base64.b64encode(blob).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(MFA_SECRET_PREFIX):
            raise crypto.DecryptionError("an authenticator secret is stored in clear: refusing it")
        blob = base64.b64decode(encrypted_text[len(MFA_SECRET_PREFIX) :])
        return crypto.decrypt(crypto.data_key_for(None), blob, self.AD, what="authenticator secret").decode()

    def get_totp_issuer(self) -> str:
        return instance.load_settings().name
