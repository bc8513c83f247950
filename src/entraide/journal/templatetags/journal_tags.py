from __future__ import annotations

import functools
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext, pgettext_lazy

from entraide.core.reversing import cached_reverse

register = template.Library()


@register.filter
def section_open(form: Any, names: str) -> bool:
    """Whether a folded section of the check-in form holds a value or an error: then it opens."""
    return bool(form.section_has(tuple(names.split(","))))


NAV = (
    ("today", "journal:today", pgettext_lazy("journal menu", "Today")),
    ("overview", "journal:overview", pgettext_lazy("journal menu", "Overview")),
    ("checkins", "journal:checkins", pgettext_lazy("journal menu", "My check-ins")),
    ("entries", "journal:entries", pgettext_lazy("journal menu", "My journal")),
    ("week", "journal:week", pgettext_lazy("journal menu", "My week")),
    ("trends", "journal:trends", pgettext_lazy("journal menu", "Trends")),
    ("history", "journal:history", pgettext_lazy("journal menu", "History")),
    ("compare", "journal:compare", pgettext_lazy("journal menu", "Compare")),
    ("indicators", "journal:indicators", pgettext_lazy("journal menu", "My indicators")),
    ("settings", "journal:settings", pgettext_lazy("journal menu", "Settings")),
)


@register.simple_tag
def journal_nav(current: str = "") -> SafeString:
    """The journal's menu, on every page of it: the same markup for a language, a page and an
    address prefix, so it is built once for each."""
    return _nav(current, get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _nav(current: str, language: str | None, prefix: str, urlconf: Any) -> SafeString:
    urls = [cached_reverse(name) for _key, name, _label in NAV]
    items = format_html_join(
        "\n    ",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (url, mark_safe(' aria-current="page"') if key == current else "", label)
            for url, (key, _name, label) in zip(urls, NAV, strict=True)
        ),
    )
    return format_html(
        '<nav class="journal-nav" aria-label="{}">\n  <ul>\n    {}\n  </ul>\n</nav>',
        pgettext("journal menu", "My space"),
        items,
    )
