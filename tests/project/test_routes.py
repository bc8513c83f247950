"""Every URL pattern declares its audience; what is not public turns anonymous visitors away."""

import pytest
from django.test import Client

from entraide.core.web.routes import AUDIENCES, THIRD_PARTY_AUDIENCES, audience_of
from tests.project.pages import fill, walk


def test_every_route_declares_an_audience():
    undeclared = [r.pattern for r in walk() if audience_of(r.callback, r.name) not in AUDIENCES]
    assert not undeclared, f"routes without an audience (use @audience(...)): {undeclared}"


@pytest.mark.django_db
def test_non_public_routes_send_anonymous_visitors_to_login():
    client = Client()
    checked = 0
    for route in walk():
        if audience_of(route.callback, route.name) == "public":
            continue
        url = fill(route)
        response = client.get(url)
        if response.status_code == 405:  # POST-only: the same check on POST
            response = client.post(url)
        assert response.status_code == 302, (route.pattern, response.status_code)
        if route.name not in THIRD_PARTY_AUDIENCES:  # allauth's logout just goes home
            assert response["Location"].startswith("/compte/login/"), route.pattern
        checked += 1
    assert checked >= 3
