"""The journal's menu follows the language, the page and the address prefix."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation


def journal_nav(current: str) -> str:
    return render_to_string("journal/includes/nav.html", {"current": current})


def test_the_menu_follows_the_language_the_page_and_the_prefix():
    with translation.override("fr"):
        french = journal_nav("trends")
    with translation.override("en"):
        english = journal_nav("trends")
        english_today = journal_nav("today")
    assert "Tendances" in french and "Trends" in english
    assert 'href="/journal/tendances/" aria-current="page"' in french
    assert english.count('aria-current="page"') == english_today.count('aria-current="page"') == 1
    assert 'href="/journal/" aria-current="page"' in english_today
    before = get_script_prefix()
    set_script_prefix("/entraide/")
    try:
        with translation.override("fr"):
            prefixed = journal_nav("trends")
    finally:
        set_script_prefix(before)
    assert 'href="/entraide/journal/tendances/"' in prefixed
