import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from entraide.core.views import errors

HANDLERS = [
    (errors.bad_request, 400),
    (errors.permission_denied, 403),
    (errors.page_not_found, 404),
    (errors.too_many_requests, 429),
    (errors.csrf_failure, 403),
]


@pytest.mark.parametrize(("handler", "status"), HANDLERS)
def test_error_pages_are_calm_translated_and_need_no_database(handler, status, db, django_assert_num_queries):
    request = RequestFactory().get("/quelque-part/")
    with translation.override("fr"), django_assert_num_queries(0):
        response = handler(request)
    body = response.content.decode()
    assert response.status_code == status
    assert body.count("<h1>") == 1
    assert 'lang="fr"' in body
    assert 'href="/aide/"' in body
    assert "3114" in body  # the crisis numbers themselves, from the snapshot or the defaults


def test_server_error_page_needs_no_database(db, django_assert_num_queries):
    with translation.override("en"), django_assert_num_queries(0):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_server_error_page_is_french_by_default():
    with translation.override("fr"):
        body = errors.server_error(RequestFactory().get("/")).content.decode()
    assert "Un problème est survenu de notre côté" in body


def test_permission_denied_shows_the_kind_message():
    response = errors.permission_denied(RequestFactory().get("/"), PermissionDenied("Réservé aux équipes."))
    assert "Réservé aux équipes." in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_is_a_404_with_the_crisis_link(client):
    response = client.get("/nulle-part/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert 'href="/aide/"' in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_uses_our_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/langue/", {"language": "en"})
    assert response.status_code == 403
    assert 'href="/aide/"' in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_exception_renders_the_500_page(client, monkeypatch):
    from entraide.core.views import pages

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "render", lambda *a, **k: boom(None))
    client.raise_request_exception = False
    response = client.get("/transparence/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500
    assert 'href="/aide/"' in response.content.decode()


def test_error_page_falls_back_to_plain_html_when_the_template_breaks(db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    with translation.override("fr"):
        response = errors.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert body.count("<h1>") == 1
    assert 'href="tel:3114"' in body
    assert 'href="/aide/"' in body
