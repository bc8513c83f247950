"""(filled in this session by the my data pages)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
