"""The site's routes: the pages (``entraide.urls_pages``) and ``/api/v1``."""

from django.urls import path

from entraide.api.v1 import api
from entraide.urls_pages import handler400, handler403, handler404, handler500
from entraide.urls_pages import urlpatterns as pages

urlpatterns = [*pages, path("api/v1/", api.urls)]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
