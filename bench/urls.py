"""The product's routes, plus the baseline the harness compares every page with."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from entraide.core.web.routes import audience
from entraide.urls import handler400, handler403, handler404, handler500
from entraide.urls import urlpatterns as product


@audience("public")
def baseline(request: HttpRequest) -> HttpResponse:
    """The full middleware stack and a 10 KB template, with no database query."""
    return render(request, "bench/baseline.html", {"rows": range(120)})


urlpatterns = [path("bench/baseline/", baseline, name="bench-baseline"), *product]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
