from django.urls import path

from entraide.core.views import jobs_status, manage, pages

app_name = "core"
urlpatterns = [
    path("", pages.home, name="home"),
    path("aide/", pages.crisis_help, name="crisis-help"),
    path("transparence/", pages.transparency, name="transparency"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("documents/<slug:slug>/", pages.legal_document, name="legal-document"),
    path(
        "documents/<slug:slug>/<str:language>/v<int:version>/",
        pages.legal_document_version,
        name="legal-document-version",
    ),
    path("source.zip", pages.source_archive, name="source"),
    path("healthz", pages.healthz, name="healthz"),
    path(".well-known/security.txt", pages.security_txt, name="security-txt"),
    path("gestion/parametres/", manage.instance_settings, name="instance-settings"),
    path(
        "gestion/parametres/<slug:section_key>/",
        manage.instance_settings_section,
        name="instance-settings-section",
    ),
    path("gestion/documents/<slug:slug>/", manage.legal_document_edit, name="legal-document-edit"),
    path("gestion/travaux/", jobs_status.jobs_status, name="jobs-status"),
    path("gestion/travaux/<uuid:job_id>/", jobs_status.failed_job_action, name="failed-job"),
]
