"""(filled in this session by the profile pages)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
