"""(filled in this session by the second factor removal pages)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
