"""Hostile values in every form the page walker finds (tests/project/pages.py), logged out and
as an administrator: one request per (field, kind of value) (tests/project/hostile.py).

Never a server error; and a form refused (shown again, 200) keeps every value typed in it, after
the one normalisation of core.text (passwords and tokens excepted: they are never shown again).
Each request runs in a savepoint rolled back after it, so a form that saves (or deletes) leaves
the next ones the same data. ``make hostile`` runs these alone.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from entraide.core import instance
from entraide.core.encryption import crypto
from entraide.core.forms import formtokens
from tests.project.hostile import TWICE, as_typed, kinds_for
from tests.project.test_pages import _clients, html_pages, people_samples, published  # noqa: F401

pytestmark = [pytest.mark.hostile, pytest.mark.django_db, pytest.mark.timeout(600)]

SHOWN_AGAIN = frozenset(
    {"text", "search", "email", "url", "tel", "number", "date", "month", "time", "datetime-local", "textarea"}
)
NOT_SENT = frozenset({"csrfmiddlewaretoken"})  # the test client does not check CSRF
NOT_SHOWN_AGAIN = frozenset({formtokens.FIELD})
REFUSED = frozenset({200, 400, 422})  # shown again: with its errors
SERIES_KEPT = 2  # of numbered fields (pattern_amount_0 … 11, crisis-0-label …): the first ones

# Known server errors in files another change is rewriting: (form action or page, field, kind).
KNOWN: dict[tuple[str, str, str], str] = {}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name → input type
    repeated: set[str] = field(default_factory=set)  # names of several inputs (a list of values)
    data: list[tuple[str, str]] = field(default_factory=list)  # what a browser sends unchanged


class FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action") or self.url)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag in {"input", "button"} and name:
            kind = a.get("type", "text" if tag == "input" else "submit")
            if kind in {"reset", "button", "image"}:
                return
            if kind == "submit":
                if "submit" not in form.fields.values():
                    form.fields.setdefault(name, "submit")
                    form.data.append((name, a.get("value", "")))
                return
            if name in form.fields and kind not in {"checkbox", "radio"}:
                form.repeated.add(name)
            form.fields.setdefault(name, kind)
            if kind not in {"checkbox", "radio"} or "checked" in a:
                form.data.append((name, a.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and name:
            form.fields.setdefault(name, "select")
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.data.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            form.fields.setdefault(name, "textarea")
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form.data.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            # The one line break after <textarea> is not part of its value (HTML).
            self._form.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def forms_of(url: str, html: str) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    return parser.forms


def target(form: Form) -> str:
    return form.action


def fields_to_try(form: Form) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name, kind in form.fields.items():
        if name in NOT_SENT or kind == "submit":
            continue
        series = re.sub(r"\d+", "#", name)
        seen[series] = seen.get(series, 0) + 1
        if seen[series] <= SERIES_KEPT:
            names.append(name)
    return names


def hostile_data(form: Form, name: str, kind: str, value: bytes, user) -> list[tuple[str, bytes]]:
    data = [(k, v.encode()) for k, v in form.data if k not in NOT_SENT]
    if user is not None and formtokens.FIELD in form.fields and name != formtokens.FIELD:
        data = [(k, v) for k, v in data if k != formtokens.FIELD]
        data.append((formtokens.FIELD, formtokens.new_token(user).encode()))
    if kind == TWICE:
        first = next((v for k, v in data if k == name), b"x")
        return [*data, (name, first), (name, value)]
    return [(k, v) for k, v in data if k != name] + [(name, value)]


def send(client: Client, form: Form, data: list[tuple[str, bytes]]):
    body = urlencode(data)
    if form.method == "post":
        return client.post(form.action, body, content_type="application/x-www-form-urlencoded")
    return client.get(f"{urlsplit(form.action).path}?{body}")


def kept_values(form: Form, sent: list[tuple[str, bytes]], response) -> list[str]:
    """The typed values a refused form lost (name: sent → shown)."""
    shown = next(
        (f for f in forms_of(form.action, response.content.decode()) if f.action == form.action), None
    )
    if shown is None:
        return []
    last = dict(sent)
    shown_values = dict(reversed(shown.data))  # the first one shown
    lost = []
    for name, kind in shown.fields.items():
        if kind not in SHOWN_AGAIN or name in NOT_SHOWN_AGAIN | shown.repeated:
            continue
        if name not in last or name not in shown_values:
            continue
        expected = as_typed(last[name])
        if shown_values[name] != expected:
            lost.append(f"{name}: {expected[:40]!r} → {shown_values[name][:40]!r}")
    return lost


def all_forms(admin_user) -> list[tuple[str, Client, object, Form]]:
    found: dict[tuple, tuple[str, Client, object, Form]] = {}
    for who, client in _clients(admin_user).items():
        client.raise_request_exception = False  # a 500 is a finding, not the test's end
        for url, response in html_pages(client):
            for form in forms_of(url, response.content.decode()):
                if "/logout/" in form.action:
                    continue  # would end the session for the next requests; tested on its own
                key = (who, form.method, urlsplit(form.action).path, tuple(sorted(form.fields)))
                found.setdefault(key, (who, client, admin_user if who == "admin" else None, form))
    return list(found.values())


@pytest.fixture
def indicators_of_every_kind(admin_user, people_samples):  # noqa: F811  # the fixture
    """The check-in form shows a field for each: one indicator of every kind."""
    from entraide.journal import services as journal
    from entraide.journal.models import IndicatorKind

    for kind in IndicatorKind.values:
        extra = {"choices": ["Maison", "Dehors"]} if kind == IndicatorKind.CHOICE else {}
        journal.create_indicator(admin_user, name=f"Indicateur {kind}", kind=kind, **extra)


def test_no_hostile_value_makes_a_server_error_and_a_refused_form_keeps_it(
    admin_user,
    published,  # noqa: F811  # the fixture
    indicators_of_every_kind,
):
    started = time.monotonic()
    forms = all_forms(admin_user)
    errors, lost, requests, fields = [], [], 0, 0
    statuses: dict[int, int] = {}
    for who, client, user, form in forms:
        for name in fields_to_try(form):
            fields += 1
            kinds = kinds_for(form.fields[name]) | {TWICE: "🌱".encode()}
            for kind, value in kinds.items():
                data = hostile_data(form, name, kind, value, user)
                cookies = client.cookies
                client.cookies = cookies.__class__(cookies)  # a login or logout must not stay
                with transaction.atomic():
                    response = send(client, form, data)
                    transaction.set_rollback(True)
                client.cookies = cookies
                crypto.clear_key_cache()
                instance.forget_cached_settings()
                requests += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                where = (urlsplit(form.action).path, name, kind)
                if response.status_code >= 500:
                    if where in KNOWN:
                        continue
                    errors.append(f"{who} {form.method.upper()} {where}: {response.status_code}")
                elif response.status_code in REFUSED and form.method == "post":
                    lost += [f"{who} {where}: {item}" for item in kept_values(form, data, response)]
    elapsed = time.monotonic() - started
    print(f"{len(forms)} forms, {fields} fields, {requests} requests in {elapsed:.0f} s: {statuses}")
    assert not errors, "\n".join(errors)
    assert not lost, "\n".join(lost)
    assert len(forms) >= 40 and requests >= 1000
