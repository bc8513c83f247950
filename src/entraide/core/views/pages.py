"""Public pages: home, help in a crisis, transparency, accessibility, legal documents."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

import entraide
from entraide.core import instance, jobs, legal
from entraide.core.models import LegalDocument
from entraide.core.web.routes import audience


@audience("public")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # The public page promises only what this instance runs: a part of the site that is not
    # installed (sharing with one's circle, community spaces) is not mentioned.
    offers = {name: apps.is_installed(f"entraide.{name}") for name in HOME_OFFERS}
    return render(request, "core/home/index.html", {"offers": offers})


HOME_OFFERS = ("journal", "thoughts", "goals", "safety", "circle", "community")


def _is_logged_in(request: HttpRequest) -> bool:
    """Whether the visitor is logged in; ``False`` when the database cannot tell."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        return bool(request.user.is_authenticated)
    except DatabaseError:
        return False


@audience("public")
@require_safe
def crisis_help(request: HttpRequest) -> HttpResponse:
    """/aide/: at most one query logged out, and served from the snapshot without a database."""
    facts = instance.facts_for(request)
    return render(
        request,
        "core/crisis_help/index.html",
        {"instance": facts, "logged_in": _is_logged_in(request), "minimal": True},
    )


@audience("public")
@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/transparency/index.html",
        {"version": entraide.__version__, "source_url": settings.SOURCE_URL},
    )


@audience("public")
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility/index.html")


def _kind_of(slug: str) -> str:
    try:
        return legal.SLUGS[slug]
    except KeyError:
        raise Http404 from None


@audience("public")
@require_safe
def legal_document(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind_of(slug)
    shown = legal.shown_document(kind, get_language(), instance.facts_for(request))
    history = LegalDocument.objects.filter(kind=kind).only(
        "kind", "language", "version", "published_at", "change_summary"
    )
    return render(
        request,
        "core/legal_document/index.html",
        {
            "slug": slug,
            "kind": kind,
            "shown": shown,
            "body_html": legal.render_markdown(shown.body),
            "history": history[:50],
        },
    )


@audience("public")
@require_safe
def legal_document_version(request: HttpRequest, slug: str, language: str, version: int) -> HttpResponse:
    kind = _kind_of(slug)
    try:
        doc = LegalDocument.objects.get(kind=kind, language=language, version=version)
    except LegalDocument.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "core/legal_document_version/index.html",
        {"slug": slug, "kind": kind, "doc": doc, "body_html": legal.render_markdown(doc.body)},
    )


@audience("public")
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For proxies and monitors: 200 when the database answers, 503 otherwise. The second line
    tells monitors whether a job worker runs: a dead one does not take the pages down (no 503),
    but mail and reminders wait for it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        silent = jobs.worker_is_silent()
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    worker = "worker: none running\n" if silent else "worker: ok\n"
    return HttpResponse("ok\n" + worker, content_type="text/plain")


def _source_archive() -> bytes:
    root = Path(entraide.__file__).parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, f"entraide-{entraide.__version__}/{path.relative_to(root.parent)}")
    return buffer.getvalue()


@audience("public")
@require_safe
def source_archive(request: HttpRequest) -> HttpResponse:
    """The running code, as the AGPL asks (section 13): no need to trust an outside link."""
    response = HttpResponse(_source_archive(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="entraide-{entraide.__version__}.zip"'
    return response


@audience("public")
@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability of this instance."""
    facts = instance.facts_for(request)
    contact = f"mailto:{facts.contact_email}" if facts.contact_email else f"{settings.SITE_URL}/transparence/"
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0).isoformat()
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires}",
        "Preferred-Languages: fr, en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        f"Policy: {settings.SITE_URL}/transparence/",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
