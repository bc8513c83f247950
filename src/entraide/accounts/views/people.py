"""(filled in this session by the people pages)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
