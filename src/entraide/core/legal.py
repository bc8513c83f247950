"""Legal pages: the latest published version, else the built-in text; Markdown made safe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from entraide.core.instance import PublicFacts
from entraide.core.models import LegalDocument, LegalKind

DEFAULTS_DIR = Path(__file__).parent / "defaults" / "legal"

SLUGS: dict[str, str] = {
    "confidentialite": LegalKind.PRIVACY,
    "conditions": LegalKind.TERMS,
    "mentions-legales": LegalKind.NOTICE,
    "charte": LegalKind.CHARTER,
}
SLUG_OF = {kind: slug for slug, kind in SLUGS.items()}

ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "hr"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above


@dataclass(frozen=True)
class ShownDocument:
    kind: str
    language: str
    body: str
    version: int  # 0: the built-in text, never published on this instance
    document: LegalDocument | None


def default_body(kind: str, language: str, facts: PublicFacts) -> str:
    path = DEFAULTS_DIR / f"{kind}.{language}.md"
    if not path.exists():
        path = DEFAULTS_DIR / f"{kind}.{settings.LANGUAGE_CODE}.md"
    text = path.read_text(encoding="utf-8")
    contact = facts.contact_email or "—"
    return text.replace("{instance_name}", facts.name).replace("{contact_email}", contact)


def latest_version(kind: str, language: str) -> LegalDocument | None:
    return LegalDocument.objects.filter(kind=kind, language=language).order_by("-version").first()


def shown_document(kind: str, language: str, facts: PublicFacts) -> ShownDocument:
    """The latest version in ``language``; else the newest version in another language (the
    instance's own text beats a built-in one); else the built-in text."""
    doc = latest_version(kind, language) or (
        LegalDocument.objects.filter(kind=kind).order_by("-published_at", "-version").first()
    )
    if doc is None:
        return ShownDocument(kind, language, default_body(kind, language, facts), 0, None)
    return ShownDocument(kind, doc.language, doc.body, doc.version, doc)
