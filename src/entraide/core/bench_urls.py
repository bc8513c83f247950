"""Mounted only when ENTRAIDE_BENCH=1: the baseline the benchmark harness compares pages with."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from entraide.core.routes import audience


@audience("public")
def baseline(request: HttpRequest) -> HttpResponse:
    """The full middleware stack and a 10 KB template, with no database query."""
    return render(request, "core/bench_baseline.html", {"rows": range(120)})


app_name = "bench"
urlpatterns = [path("baseline/", baseline, name="baseline")]
