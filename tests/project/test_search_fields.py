"""Issue 19: a search of about 12 KB got gunicorn's bare English "414 URI Too Long" (gunicorn answers
before Django runs). Every field of a GET form (searches, filters) says how long it may be, short enough
that the longest answer, fully percent-encoded, stays far under gunicorn's limit on a request line."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.project.test_pages import _clients, html_pages, people_samples, published  # noqa: F401 — fixtures

GUNICORN_LIMIT_REQUEST_LINE = 4094  # bytes: gunicorn's default, which `entraide serve` keeps
LONGEST_SEARCH = 200  # characters: what the search services keep of a query
TYPED = {"text", "search", "email", "url", "tel"}


class GetFormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_get_form = False
        self.fields: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_get_form = a.get("method", "get").lower() == "get"
        elif self.in_get_form and (tag == "textarea" or (tag == "input" and a.get("type", "text") in TYPED)):
            self.fields.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def test_the_gunicorn_limit_is_the_one_documented():
    from gunicorn.config import LimitRequestLine

    assert LimitRequestLine.default == GUNICORN_LIMIT_REQUEST_LINE


@pytest.mark.django_db
def test_every_field_of_a_get_form_has_a_short_maxlength(admin_user, published):  # noqa: F811
    seen = 0
    for who, client in _clients(admin_user).items():
        for url, response in html_pages(client):
            parser = GetFormFields()
            parser.feed(response.content.decode())
            for field in parser.fields:
                seen += 1
                name = field.get("name") or field.get("id")
                assert field.get("maxlength", "").isdigit(), (who, url, name, "no maxlength")
                longest = int(field["maxlength"])
                assert longest <= LONGEST_SEARCH, (who, url, name, longest)
                # Each character is at most 4 bytes of UTF-8, each byte 3 characters once encoded.
                assert len(url) + 12 * longest < GUNICORN_LIMIT_REQUEST_LINE - 100, (who, url, name)
    assert seen >= 3  # the journal's, the thought records' and the people's searches


@pytest.mark.django_db
def test_a_long_search_is_cut_not_refused(admin_user, people_samples):  # noqa: F811
    """What a browser without maxlength (or a hand-typed address) sends: the page answers, cut."""
    client = Client()
    client.force_login(admin_user)
    for path in ("/journal/carnet/", "/pensees/"):
        response = client.get(path, {"q": "é" * 1000})
        assert response.status_code == 200, path
