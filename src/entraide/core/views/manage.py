"""Pages for the instance's administrators: settings sections and legal documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from entraide.core import instance, legal, services
from entraide.core.forms.manage import legal_document_form
from entraide.core.models import LegalKind
from entraide.core.registries import settings_sections
from entraide.core.web.permissions import check_administer_instance_permission
from entraide.core.web.routes import audience


def _settings_page(
    request: HttpRequest, bound: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    row = instance.settings_for(request)
    bound = bound or {}
    sections = [
        {"section": s, "form": bound.get(s.key) or s.build_form(row, None)}
        for s in settings_sections.ordered()
    ]
    return render(
        request,
        "core/instance_settings/index.html",
        {"sections": sections, "legal_kinds": [(legal.SLUG_OF[k], k.label) for k in LegalKind]},
        status=status,
    )


@audience("role")
@login_required
@require_safe
def instance_settings(request: HttpRequest) -> HttpResponse:
    check_administer_instance_permission(request.user)
    return _settings_page(request)


@audience("role")
@login_required
@require_POST
def instance_settings_section(request: HttpRequest, section_key: str) -> HttpResponse:
    check_administer_instance_permission(request.user)
    section = settings_sections.get(section_key)
    if section is None:
        raise Http404
    row = instance.load_settings()
    form = section.build_form(row, request.POST)
    if not form.is_valid():
        # Same page, every value kept, the errors of this section summarised at its top.
        return _settings_page(request, {section.key: form}, status=400)
    services.save_instance_settings(row, form=form)
    messages.success(request, pgettext("instance settings", "Saved: “%(title)s”.") % {"title": section.title})
    return redirect(f"{reverse('core:instance-settings')}#section-{section.key}")


@audience("role")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def legal_document_edit(request: HttpRequest, slug: str) -> HttpResponse:
    check_administer_instance_permission(request.user)
    kind = legal.SLUGS.get(slug)
    if kind is None:
        raise Http404
    language = get_language()
    current = legal.latest_version(kind, language)
    body = current.body if current else legal.default_body(kind, language, instance.facts_for(request))
    form = legal_document_form(
        request.POST if request.method == "POST" else None, current=current, body=body, kind=kind
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_legal_document(
                kind=kind,
                language=language,
                body=form.cleaned_data["body"],
                change_summary=form.cleaned_data["change_summary"],
                base_version=form.cleaned_data["base_version"],
                by=request.user,
                requires_new_consent=form.cleaned_data.get("requires_new_consent", False),
            )
        except services.StaleVersionError:
            # Keep every word typed; the next submit publishes over the newer version knowingly.
            stale = True
            current = legal.latest_version(kind, language)
            data = request.POST.copy()
            data["base_version"] = str(current.version if current else 0)
            form = legal_document_form(data, current=current, body=body, kind=kind)
        else:
            messages.success(request, pgettext("legal editor", "The new version is published."))
            return redirect("core:legal-document", slug=slug)
    return render(
        request,
        "core/legal_document_edit/index.html",
        {"form": form, "slug": slug, "kind": kind, "current": current, "stale": stale, "language": language},
        status=400 if request.method == "POST" else 200,
    )
