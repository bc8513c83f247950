"""Every route but the API: the job worker's URLconf (links in emails and notifications), which
spares it django-ninja and pydantic (~18 MB). ``entraide.urls`` adds the API."""

from django.contrib import admin
from django.urls import include, path

from entraide.accounts.views import setup as accounts_views
from entraide.core.views import errors

urlpatterns = [
    path("", include("entraide.core.urls")),
    path("setup/", accounts_views.setup, name="setup"),
    path("langue/", accounts_views.set_language, name="set-language"),
    path("compte/acces-api/", include("entraide.api.urls")),
    path("compte/", include("allauth.urls")),
    path("", include("entraide.accounts.urls")),
    path("notifications/", include("entraide.notifications.urls")),
    path("journal/", include("entraide.journal.urls")),
    path("objectifs/", include("entraide.goals.urls")),
    path("pensees/", include("entraide.thoughts.urls")),
    path("questionnaires/", include("entraide.assessments.urls")),
    path("securite/", include("entraide.safety.urls")),
    path("traitements/", include("entraide.treatments.urls")),
    path("cercle/", include("entraide.circle.urls")),
    path("communaute/", include("entraide.community.urls")),
    path("gestion/espaces/", include("entraide.community.urls_manage")),
    path("gestion/moderation/", include("entraide.community.urls_moderation")),
    path("gestion/django/", admin.site.urls),  # entraide.admin_site: login through allauth only
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
